"""The programme's CLI commands end to end (in-process, fake encoder): output, formats, errors."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest

from engine.models import Employee, Opening, Opportunity, Role, Skill, Transition
from service import cli


def _org() -> list:
    skills = [Skill(id=s, name=s.title()) for s in ("care", "lead", "budget")]
    roles = [
        Role(
            id="rn",
            title="Registered Nurse",
            family="nursing",
            level=3,
            next_role_ids=["nm"],
            requirements=[{"skill_id": "care", "level": 3}],
        ),
        Role(
            id="nm",
            title="Nurse Manager",
            family="nursing",
            level=4,
            track="management",
            critical=True,
            requirements=[{"skill_id": "lead", "level": 3}, {"skill_id": "budget", "level": 2, "weight": 0.5}],
        ),
    ]
    people = [
        Employee(
            id="M1",
            display_name="Mia Manager",
            role_id="nm",
            team="ward-a",
            hired_at="2015-01-05",
            mentor_capacity=2,
            skills=[{"skill_id": "lead", "level": 4}, {"skill_id": "budget", "level": 3}],
        ),
        Employee(
            id="M2",
            display_name="Max Mentor",
            role_id="nm",
            team="ward-b",
            hired_at="2016-01-04",
            mentor_capacity=1,
            skills=[{"skill_id": "lead", "level": 4}, {"skill_id": "budget", "level": 2}],
        ),
        Employee(
            id="N1",
            display_name="Nia Nurse",
            role_id="rn",
            team="ward-a",
            manager_id="M1",
            hired_at="2020-02-03",
            months_in_role=30,  # served the time in role a promotion needs
            skills=[{"skill_id": "care", "level": 3}, {"skill_id": "lead", "level": 2}],
        ),
        Employee(
            id="N2",
            display_name="Ned Nurse",
            role_id="rn",
            team="ward-a",
            manager_id="M1",
            hired_at="2021-02-01",
            months_in_role=20,
            skills=[{"skill_id": "care", "level": 3}],
        ),
    ]
    return [
        *skills,
        *roles,
        *people,
        Transition(from_role_id="rn", to_role_id="nm", employee_id="M2", date="2024-04-01", from_team="ward-a"),
        Opening(
            id="o1", role_id="nm", opened_at="2024-01-08", closed_at="2024-04-01", source="internal", filled_by="M2"
        ),
        Opening(id="o2", role_id="rn", opened_at="2024-02-05", closed_at="2024-06-03", source="external"),
        Opportunity(id="g-budget", title="Budget gig", hours=20, skills=[{"skill_id": "budget", "to_level": 2}]),
    ]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from embeddings import FakeEncoder
    from engine.api import Skillgraph
    from engine.config import Config
    from engine.programme.clock import set_as_of

    encoder = FakeEncoder()

    def engine(args):  # type: ignore[no-untyped-def]
        return Skillgraph(Config.resolve(db=args.db, home=args.home, model=args.model), encoder=encoder)

    monkeypatch.setattr(cli, "_engine", engine)
    base = ["--db", f"sqlite:///{tmp_path / 'cli.db'}", "--home", str(tmp_path / "home")]
    sg = engine(cli.build_parser().parse_args([*base, "init"]))
    sg.init()
    sg.store.upsert(_org())
    set_as_of(sg.store, __import__("datetime").date(2025, 6, 30))
    sg.build_index()

    def _run(*argv: str) -> int:
        return cli.main([*base, *argv])

    return _run


def test_succession_table_json_and_plot(run, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert run("succession", "nm") == 0
    out = capsys.readouterr().out
    assert "Succession for Nurse Manager (nm) - critical role" in out and "Nia Nurse (N1)" in out
    assert "Incumbents (2): M1, M2" in out
    assert run("succession", "nm", "--format", "json") == 0
    slate = json.loads(capsys.readouterr().out)
    assert {c["employee_id"] for b in ("ready_now", "ready_1y", "ready_2y") for c in slate[b]} == {"N1", "N2"}
    assert run("succession", "--plot", str(tmp_path / "bench.svg")) == 0
    assert "Nurse Manager (nm)" in capsys.readouterr().out
    assert (tmp_path / "bench.svg").read_text().startswith("<svg")
    assert run("succession", "--plot", str(tmp_path / "bench.png")) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "SVG" in err and "bench.png" in err


def test_mentors_and_opportunities(run, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert run("mentors", "N1", "--role", "nm") == 0
    out = capsys.readouterr().out
    assert "Max Mentor (M2)" in out and "Mia Manager" not in out  # M1 is N1's manager
    assert run("opportunities", "N1", "--role", "nm", "--json") == 0
    res = json.loads(capsys.readouterr().out)
    assert res["items"][0]["closes"] == [{"skill_id": "budget", "name": "Budget", "from": 0, "to": 2}]
    assert run("opportunities", "--opportunity", "g-budget") == 0
    assert "Nia Nurse (N1)" in capsys.readouterr().out
    assert run("opportunities", "N1", "--opportunity", "g-budget") == 2
    assert "not both" in capsys.readouterr().err
    assert run("mentors", "NOBODY", "--role", "nm") == 2
    assert "employee 'NOBODY' not found" in capsys.readouterr().err


def test_report_mobility_formats_and_errors(run, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    window = ["--since", "2024-01-01", "--until", "2024-12-31"]
    assert run("report", "mobility", *window, "--by", "role") == 0
    out = capsys.readouterr().out
    assert "Mobility by role, 2024-01-01 to 2024-12-31" in out and "Registered Nurse" in out
    assert run("report", "mobility", *window, "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    nursing = next(r for r in rows if r["key"] == "nursing")
    assert (nursing["headcount"], nursing["promotions"], nursing["internal_fill_rate"]) == ("4", "1", "0.5")
    assert run("report", "mobility", *window, "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["totals"]["openings_closed"] == 2
    assert run("report", "mobility", "--since", "last year") == 2
    assert "expected a date YYYY-MM-DD" in capsys.readouterr().err
    assert run("report", "mobility", "--by", "site") == 2
    assert run("report", "mobility", "--since", "2025-01-01", "--until", "2024-01-01") == 2
    assert "before since" in capsys.readouterr().err


def test_map(run, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert run("map", "nursing") == 0
    out = capsys.readouterr().out
    assert "Career map of nursing (2 roles)" in out and "ladder" in out and "1 moved" in out
    assert run("map", "plumbing") == 2
    assert "no roles in family 'plumbing' (families: nursing)" in capsys.readouterr().err
    code = run("map", "nursing", "--plot", str(tmp_path / "map.svg"))
    if importlib.util.find_spec("engine.charts.career_map") is None:
        assert code == 2 and "not in this build yet" in capsys.readouterr().err
    else:  # once the career-map picture exists, the command draws it
        assert code == 0 and (tmp_path / "map.svg").read_text().startswith("<svg")
