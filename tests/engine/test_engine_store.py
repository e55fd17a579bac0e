"""Store round trips on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from engine.errors import Conflict, EmployeeNotFound, InvalidInput
from engine.models import Employee, LearningItem, Role, Skill, Transition
from engine.store import Store


def _org() -> list:
    return [
        Skill(id="py", name="Python", aliases=["python3", "py3"], category="technical"),
        Skill(id="sql", name="SQL"),
        Role(
            id="dev",
            title="Developer",
            family="eng",
            level=2,
            track="ic",
            requirements=[{"skill_id": "py", "level": 3, "weight": 0.9}],
            next_role_ids=["sr"],
        ),
        Role(
            id="sr",
            title="Senior Developer",
            family="eng",
            level=3,
            track="ic",
            requirements=[{"skill_id": "py", "level": 4}, {"skill_id": "sql", "level": 2, "weight": 0.5}],
        ),
        LearningItem(id="c1", title="Advanced Python", hours=30, skills=[{"skill_id": "py", "to_level": 4}]),
        Employee(
            id="E1",
            display_name="Ada",
            role_id="dev",
            skills=[{"skill_id": "py", "level": 3}],
            interests="data",
            protected={"sex": "f", "race_ethnicity": "x", "age_band": "30-39"},
        ),
        Transition(from_role_id="dev", to_role_id="sr", employee_id="E1", date="2023-05-01"),
    ]


def test_round_trip_every_entity(store: Store) -> None:
    res = store.upsert(_org())
    assert res.created == 7
    assert store.get_skill("py").aliases == ["python3", "py3"]
    sr = store.get_role("sr")
    assert [(q.skill_id, q.level, q.weight) for q in sr.requirements] == [("py", 4, 1.0), ("sql", 2, 0.5)]
    assert store.get_role("dev").next_role_ids == ["sr"]
    e = store.get_employee("E1")
    assert e.skills[0].level == 3 and e.interests == "data"
    assert store.get_protected("E1").age_band == "30-39"  # type: ignore[union-attr]
    assert store.get_learning_item("c1").skills[0].to_level == 4
    assert [t.to_role_id for t in store.all("transition")] == ["sr"]


def test_version_changes_on_every_write_and_not_on_equal_rewrite(store: Store) -> None:
    v0 = store.version()
    store.upsert(_org())
    v1 = store.version()
    assert v1 != v0
    again = store.upsert(_org())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    assert store.version() == v1
    store.upsert([Skill(id="sql", name="SQL", aliases=["postgres"])])
    assert store.version() != v1
    assert store.changed_since("skill", int(v1.split(":")[1]))[0] == ["sql"]


def test_unknown_references_are_rejected_with_names(store: Store) -> None:
    store.upsert(_org())
    with pytest.raises(InvalidInput, match="unknown skill 'rust'"):
        store.upsert([Employee(id="E2", display_name="B", skills=[{"skill_id": "rust", "level": 2}])])
    with pytest.raises(InvalidInput, match="unknown role 'ghost'"):
        store.upsert([Role(id="x", title="X", next_role_ids=["ghost"])])
    assert store.count("employee") == 1


def test_delete_employee_removes_every_row_about_them(store: Store) -> None:
    store.upsert(_org())
    store.delete("employee", "E1")
    with pytest.raises(EmployeeNotFound):
        store.get_employee("E1")
    assert store.get_protected("E1") is None
    assert store.count("transition") == 0
    assert store.employee_skill_rows() == []
    # the deletion is visible to index refreshes, but the tombstone names no one (erasure, issue 12)
    assert store.erased_since("employee", 0) and store.changed_since("employee", 0)[1]
    assert "E1" not in store.changed_since("employee", 0)[1]


def test_delete_blocked_while_referenced(store: Store) -> None:
    store.upsert(_org())
    with pytest.raises(Conflict, match="roles dev"):
        store.delete("skill", "py")
    with pytest.raises(Conflict, match="employees E1"):
        store.delete("role", "dev")


def test_update_replaces_children(store: Store) -> None:
    store.upsert(_org())
    store.upsert([Employee(id="E1", display_name="Ada L.", role_id="sr", skills=[{"skill_id": "sql", "level": 4}])])
    e = store.get_employee("E1")
    assert e.display_name == "Ada L." and [s.skill_id for s in e.skills] == ["sql"]
    # a write without protected attributes keeps the stored ones (issue 12, defect 6)
    assert e.protected is not None and e.protected.age_band == "30-39"


def test_list_pages_by_cursor(store: Store) -> None:
    store.upsert(_org())
    first = store.list("role", limit=1)
    rest = store.list("role", limit=10, after=first[0].id)  # type: ignore[attr-defined]
    assert [r.id for r in first + rest] == ["dev", "sr"]  # type: ignore[attr-defined]
