"""The demo company's mobility programme: a plausible org around the people the generator makes."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import pytest

from engine.demo import REFERENCE_DATE, DemoOrg, load_demo
from engine.demo.generator import generate_people
from engine.demo.programme import HOARDING_TEAM


@pytest.fixture(scope="module")
def org() -> DemoOrg:
    return load_demo()


def test_three_critical_roles(org: DemoOrg) -> None:
    assert sorted(r.id for r in org.roles if r.critical) == ["engineering-manager", "nurse-manager", "store-manager"]


def test_teams_managers_and_hire_dates(org: DemoOrg) -> None:
    people = {e.id: e for e in org.employees}
    assert all(e.team and e.hired_at and e.hired_at <= REFERENCE_DATE for e in org.employees)
    for e in org.employees:  # a tree: every chain ends, and managers are colleagues
        seen, m = {e.id}, e.manager_id
        while m is not None:
            assert m in people and m not in seen
            seen.add(m)
            m = people[m].manager_id
    spans = Counter(e.manager_id for e in org.employees if e.manager_id)
    assert 80 <= len(spans) <= 250 and max(spans.values()) <= 25  # spans of control a real org has
    first = {}
    for t in sorted(org.transitions, key=lambda t: t.date):
        first.setdefault(t.employee_id, t.date)
        assert t.from_team  # each move records the team it left
    assert all(people[e].hired_at <= d for e, d in first.items())


def test_programme_does_not_touch_people_or_protected_attributes(org: DemoOrg) -> None:
    base, moves = generate_people(org.roles, org.skills, seed=7, n_employees=1200)
    fields = {"manager_id", "team", "hired_at", "mentor_capacity", "skills"}
    for a, b in zip(base, org.employees, strict=True):
        assert a.model_dump(exclude=fields) == b.model_dump(exclude=fields)
    assert [t.id for t in moves] == [t.id for t in org.transitions]


def test_openings_match_the_moves_and_hires(org: DemoOrg) -> None:
    people = {e.id: e for e in org.employees}
    moved_into = {(t.employee_id, t.to_role_id, t.date) for t in org.transitions}
    sources = Counter(o.source for o in org.openings)
    assert sources["internal"] > 100 and sources["external"] > 100 and 10 <= sources[None] <= 200
    for o in org.openings:
        assert REFERENCE_DATE - timedelta(days=830) <= o.opened_at <= REFERENCE_DATE
        if o.source == "internal":
            assert (o.filled_by, o.role_id, o.closed_at) in moved_into
        elif o.source == "external":
            assert people[o.filled_by].hired_at == o.closed_at and people[o.filled_by].role_id == o.role_id


def test_mentorships_respect_capacity_and_skip_managers(org: DemoOrg) -> None:
    people = {e.id: e for e in org.employees}
    running = Counter(m.mentor_id for m in org.mentorships if m.ended_at is None)
    assert len(org.mentorships) >= 30 and running
    assert all(running[m] <= people[m].mentor_capacity for m in running)
    assert all(people[m.mentee_id].manager_id != m.mentor_id for m in org.mentorships)


def test_open_gigs_and_seats(org: DemoOrg) -> None:
    people = {e.id: e for e in org.employees}
    open_ = [o for o in org.opportunities if o.status == "open" and o.ends_at and o.ends_at > REFERENCE_DATE]
    assert len(open_) >= 6 and {o.kind for o in open_} == {"gig", "stretch_project", "rotation"}
    assert all(o.owner_id in people for o in org.opportunities)
    taken = Counter(a.opportunity_id for a in org.assignments if a.status == "assigned")
    assert all(taken[o.id] <= o.capacity for o in org.opportunities)
    done = [a for a in org.assignments if a.status == "completed"]
    assert done and all(any(s.source == "opportunity" for s in people[a.employee_id].skills) for a in done)


def test_planted_hoarding_team_is_the_one_flagged(org: DemoOrg, tmp_path: Path) -> None:
    from engine.api import Skillgraph
    from engine.config import Config
    from engine.programme.clock import set_as_of

    sg = Skillgraph(Config(db_url=f"sqlite:///{tmp_path / 'demo.db'}", home=tmp_path / "home"))
    sg.init()
    result = sg.store.upsert(org.records())  # every reference resolves; the manager tree has no cycle
    assert result.created == len(org.records())
    set_as_of(sg.store, REFERENCE_DATE)
    rep = sg.programme.mobility(by="team")
    assert [h.label for h in rep.hoarding if h.flag] == [HOARDING_TEAM]
    by_family = {g.key: g for g in sg.programme.mobility(by="family").groups}
    assert 0.1 < (by_family["nursing"].internal_fill_rate or 0) < 0.9
    teams = defaultdict(int)
    for e in org.employees:
        teams[e.team] += 1
    assert teams[HOARDING_TEAM] >= 30
