"""Compact answers: the top gaps with their best learning item, shapes unchanged; full on request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from embeddings import FakeEncoder
from engine.api import Skillgraph
from engine.compact import to_json
from engine.config import Config
from engine.errors import InvalidInput
from engine.models import Employee, LearningItem, Role, Skill

SKILLS = [f"s{i}" for i in range(8)]


@pytest.fixture
def wide(tmp_path: Path) -> Skillgraph:
    """One role needing eight skills, two courses per skill (the cheaper one is the plan's), a
    newcomer with none of them and a half-way colleague: the right compact gaps are known."""
    skills = [Skill(id=s, name=f"Skill {s}") for s in SKILLS]
    needs = [{"skill_id": s, "level": 3, "weight": round(1 - i / 10, 1)} for i, s in enumerate(SKILLS)]
    target = Role(id="lead", title="Lead", family="ops", level=2, track="ic", requirements=needs)
    start = Role(id="junior", title="Junior", family="ops", level=1, track="ic",
                 requirements=[{"skill_id": "s0", "level": 1, "weight": 1.0}], next_role_ids=["lead"])
    items = [LearningItem(id=f"{s}-{kind}", title=f"{s} {kind}", hours=h, skills=[{"skill_id": s, "to_level": 3}])
             for s in SKILLS for kind, h in (("short", 5), ("long", 50))]
    people = [Employee(id="E1", display_name="Newcomer", role_id="junior"),
              Employee(id="E2", display_name="Halfway", role_id="junior",
                       skills=[{"skill_id": s, "level": 3} for s in SKILLS[:4]])]
    sg = Skillgraph(Config(db_url=f"sqlite:///{tmp_path / 'w.db'}", home=tmp_path / "home"), encoder=FakeEncoder())
    sg.init()
    sg.store.upsert([*skills, start, target, *items, *people])
    sg.build_index()
    return sg


def _lead(body: dict) -> dict:  # type: ignore[type-arg]
    return next(i for i in body["items"] if i["role_id"] == "lead")


def test_compact_recommendation_keeps_the_top_gaps_and_their_best_course(wide: Skillgraph) -> None:
    recs = wide.recommend("E1", limit=5)
    full = _lead(json.loads(to_json(recs, "full")))
    small = _lead(json.loads(to_json(recs)))
    assert len(full["gaps"]) == 8
    assert [g["skill_id"] for g in small["gaps"]] == ["s0", "s1", "s2"]  # heaviest weight first
    assert [g["skill_id"] for g in small["gaps"]] == [g["skill_id"] for g in full["gaps"][:3]]
    for g in small["gaps"]:
        assert [x["id"] for x in g["learning"]] == [f"{g['skill_id']}-short"]  # the plan's, cheapest
    # every number a person reads is the same; nothing is re-estimated from the shorter lists
    for k in ("score", "coverage", "gap_hours", "est_months", "readiness", "why", "route", "move"):
        assert small[k] == full[k]
    assert "parts" not in small and full["parts"]


def test_compact_has_every_contract_field_and_is_smaller(wide: Skillgraph) -> None:
    recs = wide.recommend("E2", limit=5)
    small, full = to_json(recs), to_json(recs, "full")
    assert len(small) < len(full) * 0.75
    item = _lead(json.loads(small))
    assert set(item) >= {"role_id", "title", "family", "level", "track", "move", "score", "readiness", "coverage",
                         "gap_hours", "est_months", "matched_skills", "gaps", "route", "why"}
    assert item["matched_skills"] and set(item["matched_skills"][0]) == {"skill_id", "name", "have", "need"}


def test_compact_candidate_fits_in_600_bytes(wide: Skillgraph) -> None:
    cands = wide.candidates("lead", limit=5)
    full = json.loads(to_json(cands, "full"))["items"]
    small = json.loads(to_json(cands))["items"]
    assert [c["employee_id"] for c in small] == [c["employee_id"] for c in full] == ["E2", "E1"]
    for c, f in zip(small, full, strict=True):
        assert len(json.dumps(c, separators=(",", ":")).encode()) <= 600
        assert c["gaps"] == [{k: v for k, v in f["gaps"][0].items() if k in c["gaps"][0]}]
        assert c["why"] == f["why"] and c["coverage"] == f["coverage"]


def test_compact_routes_shorten_every_step(wide: Skillgraph) -> None:
    routes = wide.routes("E1", "lead")
    full = json.loads(to_json(routes, "full"))
    small = json.loads(to_json(routes))
    assert small["best"]["role_ids"] == full["best"]["role_ids"] == ["junior", "lead"]
    assert len(full["best"]["steps"][0]["gaps"]) == 8 and len(small["best"]["steps"][0]["gaps"]) == 3
    assert small["best"]["total_hours"] == full["best"]["total_hours"]


def test_unknown_detail_is_an_input_error(wide: Skillgraph) -> None:
    with pytest.raises(InvalidInput, match="detail must be one of compact, full"):
        to_json(wide.recommend("E1"), "verbose")
