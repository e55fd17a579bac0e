"""Succession slates, mentors and opportunities on a hand-made org whose answers are known.

The org (fake encoder, learning pace 1 h/week so every missing level costs 20 h = 4.6 months):

- Nurse Manager ``nm`` (critical, level 4) needs lead 3 (weight 1), budget 2 (0.6), care 3 (0.5);
  Charge Nurse ``cn`` (level 3) is its ladder feeder; ``ops`` people are in another family.
- Slate: READY (cn, no gap) is ready now; FEED (cn) and OPS1 (ops, a smaller gap) are within a
  year, FEED first (natural feeder); FAR3 (3 levels) within two years; FAR6 (8 levels) is off the
  slate; OPS2 (another family, 46% coverage) is not a credible successor; INC holds the role.
- Mentors for P (cn, team A, manager MGR) toward nm: P lacks lead (1 of 3) and budget (0 of 2).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.api import Skillgraph
from engine.config import Config
from engine.errors import Conflict, InvalidInput
from engine.models import (
    Employee,
    Mentorship,
    Opportunity,
    OpportunityAssignment,
    Role,
    Skill,
)
from engine.programme.clock import set_as_of

AS_OF = dt.date(2025, 6, 30)


def _emp(id_: str, role: str, skills: dict[str, int], **kw: object) -> Employee:
    kw.setdefault("months_in_role", 36)  # long enough in role that skills alone decide readiness
    return Employee(
        id=id_,
        display_name=id_.title(),
        role_id=role,
        skills=[{"skill_id": s, "level": lv} for s, lv in skills.items()],
        **kw,
    )


def org() -> list:
    skills = [Skill(id=s, name=s.title()) for s in ("lead", "budget", "care", "ops", "cfo-craft")]
    roles = [
        Role(
            id="cn",
            title="Charge Nurse",
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
            critical=True,
            requirements=[
                {"skill_id": "lead", "level": 3, "weight": 1.0},
                {"skill_id": "budget", "level": 2, "weight": 0.6},
                {"skill_id": "care", "level": 3, "weight": 0.5},
            ],
        ),
        Role(id="ops", title="Ops Lead", family="operations", level=3, requirements=[{"skill_id": "ops", "level": 3}]),
        Role(
            id="cfo",
            title="CFO",
            family="finance",
            level=5,
            critical=True,
            requirements=[{"skill_id": "cfo-craft", "level": 5}],
        ),
    ]
    people = [
        _emp("INC", "nm", {"lead": 4, "budget": 3}, team="A", mentor_capacity=0),
        _emp("READY", "cn", {"care": 3, "lead": 3, "budget": 2}, team="A"),
        _emp("FEED", "cn", {"care": 3, "lead": 2, "budget": 1}, team="A"),  # 2 levels short
        _emp("OPS1", "ops", {"ops": 3, "care": 3, "lead": 3, "budget": 1}, team="B"),  # 1 level short
        _emp("OPS2", "ops", {"ops": 3, "lead": 2, "budget": 1}, team="B"),  # other family, covers 46%
        _emp("FAR3", "cn", {"care": 3, "lead": 1, "budget": 1}, team="A"),  # 3 levels
        _emp("FAR6", "cn", {}, team="A"),  # 8 levels short: 37 months
        # Mentoring cast around P.
        _emp("MGR", "nm", {"lead": 4, "budget": 3}, team="A", mentor_capacity=3),
        _emp("P", "cn", {"care": 3, "lead": 1}, team="A", manager_id="MGR", mentor_capacity=2),
        _emp("FULL", "nm", {"lead": 4}, team="B", mentor_capacity=1),
        _emp("FREED", "ops", {"lead": 4}, team="C", mentor_capacity=1),
        _emp("ZERO", "nm", {"lead": 5, "budget": 5}, team="B", mentor_capacity=0),
        _emp("LOW", "ops", {"lead": 2, "budget": 1}, team="B", mentor_capacity=2),
        _emp("SAME", "ops", {"lead": 3}, team="A", mentor_capacity=2),
        _emp("OTHER", "ops", {"lead": 3}, team="B", mentor_capacity=2),
        _emp("BOTH", "ops", {"lead": 3, "budget": 2}, team="A", mentor_capacity=2),
        _emp("MENTEE", "ops", {"ops": 1}, team="C"),
    ]
    ships = [
        Mentorship(mentor_id="FULL", mentee_id="MENTEE", started_at="2025-01-01"),
        Mentorship(mentor_id="FREED", mentee_id="MENTEE", started_at="2024-01-01", ended_at="2025-03-01"),
    ]
    return [*skills, *roles, *people, *ships]


@pytest.fixture
def sg(tmp_path: Path) -> Skillgraph:
    from embeddings import FakeEncoder

    config = Config(db_url=f"sqlite:///{tmp_path / 'p.db'}", home=tmp_path / "home", learning_hours_per_week=1.0)
    engine = Skillgraph(config, encoder=FakeEncoder())
    engine.init()
    engine.store.upsert(org())
    set_as_of(engine.store, AS_OF)
    engine.build_index()
    return engine


def _bucket_of(c) -> str:  # type: ignore[no-untyped-def]
    return "ready_now" if c.readiness == "ready_now" else "ready_1y" if c.est_months <= 12 else "ready_2y"


def test_slate_buckets_incumbents_and_feeders(sg: Skillgraph) -> None:
    s = sg.programme.succession("nm", limit=5)
    listed = {c.employee_id: b for b in ("ready_now", "ready_1y", "ready_2y") for c in getattr(s, b)}
    assert s.critical and s.incumbents == ["FULL", "INC", "MGR", "ZERO"]
    assert not set(s.incumbents) & set(listed)  # an incumbent is never a successor
    assert listed["READY"] == "ready_now"
    assert listed["FEED"] == "ready_1y" and listed["OPS1"] == "ready_1y"
    assert listed["FAR3"] == "ready_2y"
    assert "FAR6" not in listed  # more than two years away
    assert "OPS2" not in listed  # from another family with under 60% of the role: not a successor
    for b in ("ready_now", "ready_1y", "ready_2y"):
        assert all(_bucket_of(c) == b for c in getattr(s, b))
    one_year = [c.employee_id for c in s.ready_1y]
    ops1 = next(c for c in s.ready_1y if c.employee_id == "OPS1")
    feed = next(c for c in s.ready_1y if c.employee_id == "FEED")
    assert ops1.est_months < feed.est_months  # OPS1 is closer, yet the natural feeder comes first
    assert one_year.index("FEED") < one_year.index("OPS1")
    assert feed.natural_feeder and not ops1.natural_feeder
    assert s.bench_strength == sum(s.counts.values()) and not s.at_risk
    blob = s.model_dump_json()
    assert "protected" not in blob and "sex" not in blob


def test_org_view_flags_the_critical_role_nobody_can_fill(sg: Skillgraph) -> None:
    view = sg.programme.succession_overview(critical=True)
    rows = {r.role_id: r for r in view.items}
    assert set(rows) == {"nm", "cfo"}  # critical roles only
    assert rows["cfo"].at_risk and rows["cfo"].ready_now == rows["cfo"].ready_1y == 0
    assert not rows["nm"].at_risk and rows["nm"].ready_now >= 1
    assert view.items[0].role_id == "cfo"  # at-risk roles first
    assert {r.role_id for r in sg.programme.succession_overview(critical=False).items} == {"cn", "nm", "ops", "cfo"}


def test_mentors_hold_the_gap_have_room_and_are_not_the_boss(sg: Skillgraph) -> None:
    m = sg.programme.mentors("P", "nm", limit=10)
    ids = [x.employee_id for x in m.items]
    assert set(m.gap_skills) == {"lead", "budget"}
    assert "P" not in ids and "MGR" not in ids  # never the person, never their direct manager
    assert "FULL" not in ids  # at capacity: one running mentorship of one place
    assert "FREED" in ids  # their only mentorship ended: the place is free again
    assert "ZERO" not in ids and "LOW" not in ids  # not a mentor / below the needed level
    assert ids[0] == "BOTH"  # holds both gap skills
    assert ids.index("OTHER") < ids.index("SAME")  # same skills: another team first
    for x in m.items:
        assert x.active_mentees < x.capacity
        assert x.skills and all(s.level >= s.need for s in x.skills)
    both = m.items[0]
    assert "2 of your 2 gap skills" in both.why and {s.skill_id for s in both.skills} == {"lead", "budget"}


def test_recording_mentorships_uses_up_capacity(sg: Skillgraph) -> None:
    sg.programme.start_mentorship("OTHER", "P", role_id="nm")
    sg.programme.start_mentorship("OTHER", "FAR3", role_id="nm")
    with pytest.raises(Conflict, match="no free place"):
        sg.programme.start_mentorship("OTHER", "FEED")
    assert "OTHER" not in [x.employee_id for x in sg.programme.mentors("FEED", "nm", limit=10).items]
    # P's own mentor is not offered to them again.
    assert "OTHER" not in [x.employee_id for x in sg.programme.mentors("P", "nm", limit=10).items]


def _gigs(sg: Skillgraph) -> None:
    gigs = [
        Opportunity(
            id="g-budget",
            title="Budget gig",
            hours=20,
            skills=[{"skill_id": "budget", "to_level": 2}],
            ends_at="2025-12-31",
        ),
        Opportunity(
            id="g-lead",
            title="Lead a rota project",
            kind="stretch_project",
            hours=60,
            skills=[{"skill_id": "lead", "to_level": 5}],
            owner_id="MGR",
        ),
        Opportunity(id="g-care", title="Care gig", hours=10, skills=[{"skill_id": "care", "to_level": 5}]),
        Opportunity(
            id="g-closed", title="Closed", hours=5, status="closed", skills=[{"skill_id": "lead", "to_level": 3}]
        ),
        Opportunity(
            id="g-ended", title="Ended", hours=5, ends_at="2025-01-31", skills=[{"skill_id": "lead", "to_level": 3}]
        ),
        Opportunity(id="g-full", title="Full", hours=5, capacity=1, skills=[{"skill_id": "lead", "to_level": 3}]),
        OpportunityAssignment(opportunity_id="g-full", employee_id="FAR6"),
        Opportunity(
            id="g-ward-only",
            title="Ward rotation",
            kind="rotation",
            hours=500,
            families=["nursing"],
            skills=[{"skill_id": "budget", "to_level": 2}],
        ),
    ]
    sg.upsert(gigs)


def test_opportunities_close_real_gaps_within_capacity_and_dates(sg: Skillgraph) -> None:
    _gigs(sg)
    res = sg.programme.opportunities("P", "nm", limit=10)
    ids = [o.opportunity_id for o in res.items]
    # lead 1 -> 3 (two levels, the most one gig gives) closes 2.0 of the 3.2 weighted gap; budget 0 -> 2, 1.2.
    assert ids == ["g-lead", "g-budget", "g-ward-only"]  # same share as g-budget, more hours
    assert [o.score for o in res.items] == [pytest.approx(0.625), pytest.approx(0.375), pytest.approx(0.375)]
    p = sg.store.get_employee("P")
    have = {s.skill_id: s.level for s in p.skills}
    need = {"lead": 3, "budget": 2}
    for o in res.items:
        for c in o.closes:  # each closes a real gap: from what P has to at most what the role needs
            assert c.from_ == have.get(c.skill_id, 0) < c.to <= need[c.skill_id]
    assert res.items[0].model_dump()["closes"][0] == {"skill_id": "lead", "name": "Lead", "from": 1, "to": 3}
    # An opportunity for one job family is offered to its people only (OPS1 lacks budget too).
    assert "g-ward-only" in ids
    assert "g-ward-only" not in [o.opportunity_id for o in sg.programme.opportunities("OPS1", "nm").items]
    with pytest.raises(Conflict, match="open to nursing only"):
        sg.programme.assign("g-ward-only", "OPS1")
    # The owner is not offered their own project.
    assert "g-lead" not in [o.opportunity_id for o in sg.programme.opportunities("MGR", "nm").items]


def test_completing_an_opportunity_raises_skills_and_closes_the_gap(sg: Skillgraph) -> None:
    _gigs(sg)
    sg.programme.assign("g-lead", "P")
    with pytest.raises(Conflict, match="already on"):
        sg.programme.assign("g-lead", "P")
    with pytest.raises(Conflict, match="full"):
        sg.programme.assign("g-full", "P")
    done = sg.programme.complete("g-lead", "P")
    assert [(r.skill_id, r.from_, r.to) for r in done.raised] == [("lead", 1, 3)]
    lead = next(s for s in sg.store.get_employee("P").skills if s.skill_id == "lead")
    assert (lead.level, lead.source) == (3, "opportunity")
    assert sg.store.get("opportunity_assignment", "g-lead:P").status == "completed"
    assert sg.programme.mentors("P", "nm").gap_skills == ["budget"]  # the engine sees the new level
    with pytest.raises(Conflict, match="already completed"):
        sg.programme.complete("g-lead", "P")


def test_people_an_opportunity_would_grow_most(sg: Skillgraph) -> None:
    _gigs(sg)
    sg.upsert([OpportunityAssignment(opportunity_id="g-budget", employee_id="FEED")])
    res = sg.programme.opportunity_candidates("g-budget", limit=20)
    ids = [x.employee_id for x in res.items]
    # Charge nurses head for nm (budget 2): P and FAR6 (budget 0) gain 2 levels, FAR3 1; FULL holds nm
    # without budget: 2 levels for the role they are in. FEED is on it already.
    assert ids[:3] == ["FAR6", "FULL", "P"] and ids[3] == "FAR3" and "FEED" not in ids
    assert "READY" not in ids and "INC" not in ids  # nothing to gain
    assert "MENTEE" not in ids  # ops roles' path does not need budget
    assert res.items[0].grows[0].model_dump() == {"skill_id": "budget", "name": "Budget", "from": 0, "to": 2}


def test_bad_requests_say_what_is_wrong(sg: Skillgraph) -> None:
    from engine.errors import EmployeeNotFound, NotFound, RoleNotFound

    with pytest.raises(RoleNotFound):
        sg.programme.succession("nope")
    with pytest.raises(EmployeeNotFound):
        sg.programme.mentors("NOPE", "nm")
    with pytest.raises(NotFound, match="opportunity 'nope'"):
        sg.programme.opportunity_candidates("nope")
    with pytest.raises(InvalidInput, match="limit"):
        sg.programme.mentors("P", "nm", limit=0)


def test_slates_follow_writes(sg: Skillgraph) -> None:
    before = sg.programme.succession("nm")
    assert "FAR6" not in [c.employee_id for c in before.ready_now]
    overview = {r.role_id: r.ready_now for r in sg.programme.succession_overview().items}
    far6 = _emp("FAR6", "cn", {"care": 3, "lead": 3, "budget": 2}, team="A")
    sg.upsert([far6])  # FAR6 finishes their development: the cached slate must not survive the write
    after = sg.programme.succession("nm")
    assert "FAR6" in [c.employee_id for c in after.ready_now]
    assert {r.role_id: r.ready_now for r in sg.programme.succession_overview().items}["nm"] == overview["nm"] + 1


def test_a_succession_slate_is_logged_like_a_shortlist(sg: Skillgraph) -> None:
    s = sg.programme.succession("nm", limit=5)
    listed = [c.employee_id for b in (s.ready_now, s.ready_1y, s.ready_2y) for c in b]
    items, _ = sg.audit.decisions(kind="succession")
    assert len(items) == 1 and items[0]["subject"] == {"type": "role", "id": "nm"}
    assert [r["id"] for r in items[0]["returned"]] == listed
    assert "protected" not in str(items[0])
