"""The `skillgraph` CLI end to end (in-process, the session's real model injected)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "engine" / "examples"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_encoder):  # type: ignore[no-untyped-def]
    from engine.api import Skillgraph
    from engine.config import Config

    def engine(args):  # type: ignore[no-untyped-def]
        return Skillgraph(Config.resolve(db=args.db, home=args.home, model=args.model), encoder=real_encoder)

    monkeypatch.setattr(cli, "_engine", engine)
    base = ["--db", f"sqlite:///{tmp_path / 'cli.db'}", "--home", str(tmp_path / "home")]

    def _run(*argv: str) -> int:
        return cli.main([*base, *argv])

    return _run


def test_import_reports_bad_lines_and_exits_2(run, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "roles.ndjson"
    bad.write_text('{"id": "x", "title": "X", "requirements": [{"skill_id": "python", "level": 6}]}\n')
    assert run("import", str(EXAMPLES / "org.json"), str(bad)) == 2
    out, err = capsys.readouterr()
    assert f"rejected {bad}:1: role 'x': field 'requirements.0.level'" in err
    assert "accepted 5 records" in out
    assert run("import", str(EXAMPLES / "org.json")) == 0
    assert "0 new, 0 updated, 5 unchanged" in capsys.readouterr().out


@pytest.mark.slow
def test_import_index_recommend_candidates_route(run, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    files = [str(EXAMPLES / f) for f in ("org.json", "learning_items.ndjson", "employees.csv")]
    assert run("import", *files) == 0
    assert run("index", "--quiet") == 0
    assert "indexed 2 roles" in capsys.readouterr().out
    assert run("recommend", "E100", "--json") == 0
    recs = json.loads(capsys.readouterr().out)
    assert recs["employee_id"] == "E100"
    top = recs["items"][0]
    assert top["role_id"] == "senior-data-analyst" and top["move"] == "promotion"
    assert {"sex", "race_ethnicity", "age_band", "protected"}.isdisjoint(top)
    assert "parts" not in top and all(len(g["learning"]) <= 1 for g in top["gaps"])  # compact by default
    assert run("recommend", "E100", "--json", "--detail", "full") == 0
    full = json.loads(capsys.readouterr().out)["items"][0]
    assert full["role_id"] == top["role_id"] and full["parts"] and len(full["gaps"]) >= len(top["gaps"])
    assert run("recommend", "E100") == 0
    assert "Senior Data Analyst" in capsys.readouterr().out
    assert run("candidates", "senior-data-analyst", "--json") == 0
    cands = json.loads(capsys.readouterr().out)["items"]
    assert next(c["employee_id"] for c in cands) == "E101"
    assert "hispanic" not in json.dumps(cands) and "female" not in json.dumps(cands)
    assert run("route", "E100", "senior-data-analyst") == 0
    assert "data-analyst -> senior-data-analyst" in capsys.readouterr().out
    assert run("resolve-skill", "py", "--json") == 0
    assert json.loads(capsys.readouterr().out)[0]["matches"][0]["id"] == "python"


def test_user_errors_are_one_line_exit_2(run, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert run("recommend", "E1", "--limit", "0") == 2
    assert "--limit" in capsys.readouterr().err
    assert run("frobnicate") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert run("import-onet", "/nonexistent") == 2
    assert "not an O*NET text directory" in capsys.readouterr().err


def test_broken_model_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", f"sqlite:///{tmp_path / 'm.db'}", "--home", str(tmp_path / "home")]
    assert cli.main([*base, "import", str(EXAMPLES / "org.json")]) == 0
    capsys.readouterr()
    assert cli.main([*base, "--model", str(tmp_path / "no-such-model"), "index", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot load embedding model from") and "no-such-model" in err
    assert err.count("\n") == 1
