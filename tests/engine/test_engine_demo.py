"""The built-in demo organisation: size, integrity, ladders and determinism."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import timedelta

import pytest

from engine.demo import DEMO_EMPLOYEE_ID, DEMO_OPEN_ROLE_ID, REFERENCE_DATE, DemoOrg, load_demo
from engine.models import Role

NURSING = ["certified-nursing-assistant", "licensed-practical-nurse", "registered-nurse", "nurse-manager"]
SE_IC = [
    "junior-software-engineer",
    "software-engineer",
    "senior-software-engineer",
    "staff-engineer",
    "principal-engineer",
]
SE_MANAGEMENT = ["engineering-manager", "director-of-engineering"]
RETAIL = ["store-associate", "department-lead", "assistant-store-manager", "store-manager", "district-manager"]
NAMED_BRIDGES = [
    ("software-engineer", "data-engineer"),
    ("data-analyst", "financial-analyst"),
    ("registered-nurse", "clinical-informatics-analyst"),
    ("store-manager", "warehouse-operations-manager"),
    ("customer-support-lead", "people-operations-specialist"),
]


@pytest.fixture(scope="module")
def org() -> DemoOrg:
    return load_demo()


@pytest.fixture(scope="module")
def roles(org: DemoOrg) -> dict[str, Role]:
    return {r.id: r for r in org.roles}


def _demand(role: Role) -> float:
    return sum(q.level * q.weight for q in role.requirements)


def test_counts(org: DemoOrg) -> None:
    assert len(org.roles) >= 60
    assert len({r.family for r in org.roles}) >= 6
    assert len(org.skills) >= 190
    assert len(org.learning_items) >= 120
    assert len(org.employees) == 1200
    assert 200 <= len(org.transitions) <= 1000


def test_ids_are_unique(org: DemoOrg) -> None:
    for items in (org.skills, org.roles, org.learning_items, org.employees, org.transitions):
        ids = [x.id for x in items]
        assert len(ids) == len(set(ids))


def test_every_reference_resolves(org: DemoOrg, roles: dict[str, Role]) -> None:
    skill_ids = {s.id for s in org.skills}
    employee_ids = {e.id for e in org.employees}
    assert all(s.parent_id in skill_ids for s in org.skills if s.parent_id)
    for r in org.roles:
        assert {q.skill_id for q in r.requirements} <= skill_ids, r.id
        assert set(r.next_role_ids) <= roles.keys(), r.id
    for e in org.employees:
        assert e.role_id in roles
        assert {s.skill_id for s in e.skills} <= skill_ids, e.id
    for item in org.learning_items:
        assert {s.skill_id for s in item.skills} <= skill_ids, item.id
    for t in org.transitions:
        assert t.from_role_id in roles and t.to_role_id in roles
        assert t.employee_id in employee_ids


def test_roles_are_well_formed(org: DemoOrg) -> None:
    for r in org.roles:
        assert len(r.description.split()) >= 10, r.id
        assert 5 <= len(r.requirements) <= 12, r.id
        assert all(0.3 <= q.weight <= 1.0 for q in r.requirements), r.id
        assert 1 <= r.level <= 7, r.id
    assert sum(r.open_positions > 0 for r in org.roles) >= 20


@pytest.mark.parametrize(
    "ladder", [NURSING, SE_IC, SE_MANAGEMENT, RETAIL], ids=["nursing", "se-ic", "se-mgmt", "retail"]
)
def test_named_ladders_connect_and_climb(roles: dict[str, Role], ladder: list[str]) -> None:
    for lower, upper in itertools.pairwise(ladder):
        assert upper in roles[lower].next_role_ids, f"{lower} -> {upper}"
        assert roles[upper].level > roles[lower].level
        assert roles[upper].family == roles[lower].family
        # The next rung asks for more: extra skills or higher levels.
        assert _demand(roles[upper]) > _demand(roles[lower]), f"{lower} -> {upper}"


def test_software_engineering_is_a_dual_ladder(roles: dict[str, Role]) -> None:
    assert all(roles[r].track == "ic" for r in SE_IC)
    assert all(roles[r].track == "management" for r in SE_MANAGEMENT)
    assert "engineering-manager" in roles["senior-software-engineer"].next_role_ids
    assert roles["engineering-manager"].level == roles["staff-engineer"].level


def test_nursing_has_expert_and_management_tracks(roles: dict[str, Role]) -> None:
    assert "clinical-nurse-specialist" in roles["registered-nurse"].next_role_ids
    assert roles["clinical-nurse-specialist"].track == "ic"
    assert roles["nurse-manager"].track == "management"


def test_lateral_bridges_cross_families(org: DemoOrg, roles: dict[str, Role]) -> None:
    bridges = [(r.id, n) for r in org.roles for n in r.next_role_ids if roles[n].family != r.family]
    assert len(bridges) >= 3
    for src, dst in NAMED_BRIDGES:
        assert (src, dst) in bridges


def test_skill_aliases_and_ids(org: DemoOrg) -> None:
    skills = {s.id: s for s in org.skills}
    assert "k8s" in skills["kubernetes"].aliases
    assert {"EHR", "EMR"} <= set(skills["ehr"].aliases)
    assert {"CPR", "BLS"} <= set(skills["cpr"].aliases)
    assert {"python3", "py"} <= set(skills["python"].aliases)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", s.id) for s in org.skills)
    assert len({s.category for s in org.skills}) >= 6
    assert sum(s.parent_id is not None for s in org.skills) >= 10


def test_learning_catalogue(org: DemoOrg) -> None:
    assert {i.format for i in org.learning_items} == {"course", "certification", "mentoring", "stretch_project", "gig"}
    for item in org.learning_items:
        assert 2 <= item.hours <= 200, item.id
        assert 1 <= len(item.skills) <= 4, item.id
    # Most skills a role needs at level >= 2 can be learned to that level; a few are left
    # uncovered on purpose so the default-hours fallback gets exercised.
    need: dict[str, int] = {}
    for r in org.roles:
        for q in r.requirements:
            need[q.skill_id] = max(need.get(q.skill_id, 0), q.level)
    reach: dict[str, int] = {}
    for item in org.learning_items:
        for s in item.skills:
            reach[s.skill_id] = max(reach.get(s.skill_id, 0), s.to_level)
    required = [s for s, lvl in need.items() if lvl >= 2]
    uncovered = [s for s in required if reach.get(s, 0) < need[s]]
    assert 1 <= len(uncovered) <= 10
    assert len(uncovered) / len(required) < 0.05


def test_employees_look_real(org: DemoOrg, roles: dict[str, Role]) -> None:
    assert all(re.fullmatch(r"E\d{4}", e.id) for e in org.employees)
    headcount = Counter(roles[e.role_id or ""].level for e in org.employees)
    assert headcount[1] > headcount[5] + headcount[6] + headcount[7]
    assert len({e.role_id for e in org.employees}) == len(org.roles)
    assert sum(bool(e.interests) for e in org.employees) > 0.7 * len(org.employees)
    assert any(e.mobility.management for e in org.employees)
    assert any(e.mobility.families for e in org.employees)
    assert len({e.months_in_role for e in org.employees}) > 30
    for e in org.employees:
        assert e.skills and all(s.updated_at is not None and s.source for s in e.skills)


def test_protected_attributes_present(org: DemoOrg) -> None:
    assert all(e.protected is not None for e in org.employees)
    for attr in ("sex", "race_ethnicity", "age_band"):
        values = Counter(getattr(e.protected, attr) for e in org.employees)
        assert len(values) >= 3, attr
    assert all(e.scoring_view().protected is None for e in org.employees[:5])


def test_skill_levels_sit_around_role_needs(org: DemoOrg, roles: dict[str, Role]) -> None:
    deltas: Counter[int] = Counter()
    for e in org.employees:
        have = {s.skill_id: s.level for s in e.skills}
        for q in roles[e.role_id or ""].requirements:
            deltas[have.get(q.skill_id, 0) - q.level] += 1
    total = sum(deltas.values())
    at_or_slightly_below = deltas[0] + deltas[-1]
    above = sum(n for d, n in deltas.items() if d > 0)
    assert at_or_slightly_below / total > 0.6
    assert 0.1 < above / total < 0.4


def test_transitions_follow_ladders(org: DemoOrg, roles: dict[str, Role]) -> None:
    on_ladder = sum(t.to_role_id in roles[t.from_role_id].next_role_ids for t in org.transitions)
    cross = sum(roles[t.from_role_id].family != roles[t.to_role_id].family for t in org.transitions)
    assert on_ladder / len(org.transitions) > 0.75
    assert cross >= 10
    earliest = REFERENCE_DATE - timedelta(days=5 * 366 + 30)
    assert all(t.date is not None and earliest <= t.date <= REFERENCE_DATE for t in org.transitions)
    # Each person's latest move lands in the role they hold now.
    current = {e.id: e.role_id for e in org.employees}
    latest = {}
    for t in sorted(org.transitions, key=lambda t: t.date or REFERENCE_DATE):
        latest[t.employee_id] = t.to_role_id
    assert all(current[e] == r for e, r in latest.items())


def test_demo_ids(org: DemoOrg, roles: dict[str, Role]) -> None:
    demo = next(e for e in org.employees if e.id == DEMO_EMPLOYEE_ID)
    assert demo.role_id == "licensed-practical-nurse"
    assert "registered nurse" in demo.interests
    assert roles[DEMO_OPEN_ROLE_ID].open_positions > 0
    assert DEMO_OPEN_ROLE_ID in roles[demo.role_id].next_role_ids


def test_same_seed_same_output_different_seed_differs() -> None:
    a, b, c = load_demo(seed=3, n_employees=200), load_demo(seed=3, n_employees=200), load_demo(seed=4, n_employees=200)
    dump = lambda o: [x.model_dump() for x in o.employees + o.transitions]  # noqa: E731
    assert dump(a) == dump(b)
    assert dump(a) != dump(c)
    # The hand-written demo employee does not depend on the seed (who manages them does).
    assert a.employees[0].model_copy(update={"manager_id": None}) == c.employees[0].model_copy(
        update={"manager_id": None}
    )
    programme = lambda o: [x.model_dump() for x in o.openings + o.opportunities + o.assignments + o.mentorships]  # noqa: E731
    assert programme(a) == programme(b) and programme(a) != programme(c)


def test_size_parameter() -> None:
    small = load_demo(n_employees=25)
    assert len(small.employees) == 25
    assert small.employees[0].id == DEMO_EMPLOYEE_ID
    with pytest.raises(ValueError):
        load_demo(n_employees=0)
