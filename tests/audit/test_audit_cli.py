"""The audit from the command line: answers logged as `cli`, impact tables, CSV, overrides, report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from audit_checks import assert_matches, by_hand
from audit_org import PEOPLE, sex_of

from engine.api import Skillgraph
from service import cli


@pytest.fixture
def run(sg: Skillgraph, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`skillgraph ...` in-process over the skewed org's store (its FakeEncoder injected)."""
    from engine.config import Config

    def engine(args: Any) -> Skillgraph:
        return Skillgraph(Config.resolve(db=args.db, home=args.home), encoder=sg.encoder)

    monkeypatch.setattr(cli, "_engine", engine)
    base = ["--db", sg.config.db_url, "--home", str(sg.config.home)]
    return lambda *argv: cli.main([*base, *argv])


def test_cli_answers_are_logged_and_audited(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("candidates", "lead", "--limit", "20", "--json") == 0
    listed = {c["employee_id"] for c in json.loads(capsys.readouterr().out)["items"]}
    assert run("recommend", "P001", "--limit", "3") == 0
    capsys.readouterr()

    assert run("audit", "decisions", "--json") == 0
    log = json.loads(capsys.readouterr().out)["items"]
    assert [(d["kind"], d["key_id"], d["endpoint"]) for d in log] == [
        ("shortlist", "cli", "cli candidates"), ("recommendation", "cli", "cli recommend")]

    assert run("audit", "impact", "--kind", "shortlist", "--category", "sex", "--format", "json") == 0
    assert_matches(json.loads(capsys.readouterr().out), by_hand([(sex_of(e), e in listed) for e in PEOPLE]))
    assert run("audit", "impact", "--kind", "shortlist", "--category", "sex") == 0
    table = capsys.readouterr().out
    assert "female" in table and "FLAG" in table and "nonbinary *" in table
    assert run("audit", "impact", "--kind", "shortlist", "--category", "sex", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["group"] for r in rows} == {"female", "male", "nonbinary", "unknown"}


def test_cli_override_report_purge_and_errors(run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("candidates", "lead", "--limit", "5", "--json") == 0
    first = json.loads(capsys.readouterr().out)["items"][0]["employee_id"]
    assert run("override", "lead", "remove", first, "--reason", "has accepted another offer") == 0
    assert f"remove {first}" in capsys.readouterr().out
    assert run("override", "lead", "remove", first, "--reason", "again") == 2
    assert "is not on shortlist" in capsys.readouterr().err
    assert run("audit", "overrides", "--role", "lead") == 0
    assert "has accepted another offer" in capsys.readouterr().out

    out = tmp_path / "audit.html"
    assert run("audit", "report", "--html", str(out), "--csv", str(tmp_path / "audit.csv")) == 0
    html = out.read_text()
    assert html.startswith("<!doctype html>") and "<svg" in html and "Bias audit" in html
    assert (tmp_path / "audit.csv").read_text().count("\n") > 10

    assert run("audit", "protected", "P061") == 0
    assert "sex=nonbinary" in capsys.readouterr().out
    assert run("audit", "purge") == 2
    assert "no retention set" in capsys.readouterr().err
    assert run("audit", "purge", "--days", "30") == 0
    assert "deleted 0 decisions" in capsys.readouterr().out
    assert run("audit", "impact", "--kind", "shortlist", "--category", "sex", "--since", "yesterday") == 2
    assert "since must be a date" in capsys.readouterr().err
    assert run("audit", "impact", "--kind", "nope", "--category", "sex") == 2
