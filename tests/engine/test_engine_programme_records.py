"""The mobility programme's records: fields, references, the manager tree, erasure, file imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from engine.errors import Conflict, InvalidInput
from engine.importers import import_files
from engine.models import (
    Employee,
    Mentorship,
    Opening,
    Opportunity,
    OpportunityAssignment,
    Role,
    Skill,
    Transition,
)
from engine.store import Store


def _base() -> list:
    return [
        Skill(id="care", name="Care"),
        Skill(id="lead", name="Leadership"),
        Role(id="rn", title="RN", level=3, requirements=[{"skill_id": "care", "level": 3}]),
        Role(id="nm", title="Nurse Manager", level=4, critical=True, requirements=[{"skill_id": "lead", "level": 3}]),
        Employee(
            id="BOSS",
            display_name="Boss",
            role_id="nm",
            team="ward-a",
            mentor_capacity=2,
            hired_at="2015-03-01",
            skills=[{"skill_id": "lead", "level": 4}],
        ),
        Employee(id="A", display_name="Ann", role_id="rn", manager_id="BOSS", team="ward-a", hired_at="2020-01-06"),
        Employee(id="B", display_name="Bo", role_id="rn", manager_id="A", team="ward-a"),
    ]


def _emp(id_: str, manager: str | None) -> Employee:
    return Employee(id=id_, display_name=id_, role_id="rn", manager_id=manager)


def test_new_fields_round_trip(store: Store) -> None:
    store.upsert(_base())
    boss = store.get_employee("BOSS")
    assert (boss.team, boss.mentor_capacity, str(boss.hired_at)) == ("ward-a", 2, "2015-03-01")
    assert store.get_employee("B").manager_id == "A"
    assert store.get_role("nm").critical is True and store.get_role("rn").critical is False
    again = store.upsert(_base())
    assert again.written == 0  # equal records are skipped: the new columns hash stably


def test_unknown_manager_and_self_manager_are_refused(store: Store) -> None:
    store.upsert(_base())
    with pytest.raises(InvalidInput, match="unknown manager 'GHOST'"):
        store.upsert([_emp("C", "GHOST")])
    with pytest.raises(ValueError, match="cannot be their own manager"):
        _emp("C", "C")


def test_a_write_that_closes_a_cycle_is_refused(store: Store) -> None:
    store.upsert(_base())  # BOSS <- A <- B
    with pytest.raises(InvalidInput, match=r"cycle in the manager tree: BOSS -> B -> A -> BOSS"):
        store.upsert([Employee(id="BOSS", display_name="Boss", role_id="nm", manager_id="B")])
    assert store.get_employee("BOSS").manager_id is None  # nothing written
    # Re-parenting that keeps a tree is fine, even when it reverses an edge in the same batch.
    store.upsert([_emp("A", "B"), _emp("B", "BOSS")])
    assert (store.get_employee("A").manager_id, store.get_employee("B").manager_id) == ("B", "BOSS")


def test_import_rejects_exactly_the_records_that_close_cycles(store: Store, tmp_path: Path) -> None:
    store.upsert([*_base(), _emp("C", None), _emp("D", None), _emp("E", None)])
    f = tmp_path / "employees.ndjson"
    f.write_text(
        '{"id": "C", "display_name": "C", "role_id": "rn", "manager_id": "D"}\n'  # line 1: C -> D
        '{"id": "D", "display_name": "D", "role_id": "rn", "manager_id": "E"}\n'  # line 2: D -> E
        '{"id": "E", "display_name": "E", "role_id": "rn", "manager_id": "C"}\n'  # line 3 closes C-D-E
        '{"id": "F", "display_name": "F", "role_id": "rn", "manager_id": "BOSS"}\n'  # fine
        '{"id": "G", "display_name": "G", "role_id": "rn", "manager_id": "NOBODY"}\n'
    )
    report = import_files(store, [f])
    rejected = {e.line: e.error for e in report.rejected}
    assert set(rejected) == {3, 5}
    assert "cycle in the manager tree: E -> C -> D -> E" in rejected[3]
    assert rejected[5] == "unknown manager 'NOBODY'"
    assert report.accepted == 3
    assert store.get_employee("C").manager_id == "D" and store.get_employee("F").manager_id == "BOSS"
    assert store.get_employee("E").manager_id is None  # the stored record is kept
    assert not store.exists("employee", "G")


def test_opening_rules_and_references(store: Store) -> None:
    store.upsert(_base())
    with pytest.raises(ValueError, match="closed opening needs source"):
        Opening(id="o1", role_id="rn", opened_at="2024-01-01", closed_at="2024-02-01")
    with pytest.raises(ValueError, match="no source or filled_by yet"):
        Opening(id="o1", role_id="rn", opened_at="2024-01-01", filled_by="A")
    with pytest.raises(ValueError, match="ends before it starts"):
        Opening(id="o1", role_id="rn", opened_at="2024-03-01", closed_at="2024-02-01", source="external")
    with pytest.raises(InvalidInput, match="unknown role 'ghost'"):
        store.upsert([Opening(id="o1", role_id="ghost", opened_at="2024-01-01")])
    with pytest.raises(InvalidInput, match="unknown employee 'ZZ'"):
        store.upsert(
            [
                Opening(
                    id="o1",
                    role_id="rn",
                    opened_at="2024-01-01",
                    closed_at="2024-02-01",
                    source="internal",
                    filled_by="ZZ",
                )
            ]
        )


def test_opportunity_and_mentorship_references(store: Store) -> None:
    store.upsert(_base())
    with pytest.raises(InvalidInput, match="unknown skill 'juggling'"):
        store.upsert([Opportunity(id="g1", title="G", hours=10, skills=[{"skill_id": "juggling", "to_level": 2}])])
    with pytest.raises(InvalidInput, match="unknown opportunity 'nope'"):
        store.upsert([OpportunityAssignment(opportunity_id="nope", employee_id="A")])
    with pytest.raises(ValueError, match="cannot mentor themselves"):
        Mentorship(mentor_id="A", mentee_id="A", started_at="2024-01-01")
    m = Mentorship(mentor_id="BOSS", mentee_id="A", started_at="2024-01-01", role_id="nm", skill_ids=["lead"])
    store.upsert([m])
    assert store.get("mentorship", "BOSS:A:2024-01-01").skill_ids == ["lead"]


def _programme_rows(store: Store) -> None:
    store.upsert(
        [
            Opening(
                id="o-int",
                role_id="nm",
                opened_at="2024-01-01",
                closed_at="2024-03-01",
                source="internal",
                filled_by="BOSS",
                hiring_manager_id="BOSS",
            ),
            Opportunity(
                id="g1", title="Budget gig", hours=20, owner_id="BOSS", skills=[{"skill_id": "lead", "to_level": 3}]
            ),
            OpportunityAssignment(opportunity_id="g1", employee_id="A"),
            Mentorship(mentor_id="BOSS", mentee_id="A", started_at="2024-01-01"),
            Mentorship(mentor_id="A", mentee_id="B", started_at="2024-05-01"),
            Transition(from_role_id="rn", to_role_id="nm", employee_id="BOSS", date="2019-01-01", from_manager_id="A"),
            Transition(from_role_id="rn", to_role_id="nm", employee_id="B", date="2023-01-01", from_manager_id="BOSS"),
        ]
    )


def test_erasure_removes_the_person_everywhere_and_keeps_org_facts(store: Store) -> None:
    store.upsert(_base())
    _programme_rows(store)
    store.delete("employee", "BOSS")
    assert store.get_employee("A").manager_id is None  # the report is kept, re-parented later
    opening = store.get("opening", "o-int")
    assert opening.filled_by is None and opening.hiring_manager_id is None and opening.source == "internal"
    assert store.get("opportunity", "g1").owner_id is None
    assert [m.id for m in store.all("mentorship")] == ["A:B:2024-05-01"]
    assert [t.from_manager_id for t in store.all("transition")] == [None]  # B's move; BOSS's own went
    with store.engine.connect() as conn:
        dump = " ".join(
            str(r)
            for t in (
                "sg_openings",
                "sg_opportunities",
                "sg_mentorships",
                "sg_employees",
                "sg_transitions",
                "sg_opportunity_assignments",
            )
            for r in conn.execute(text(f"SELECT * FROM {t}"))
        )
    assert "BOSS" not in dump
    # Erasing A takes their assignment and mentorships with them.
    store.delete("employee", "A")
    assert store.all("opportunity_assignment") == [] and store.all("mentorship") == []


def test_deletes_that_would_lose_history_are_refused(store: Store) -> None:
    store.upsert(_base())
    _programme_rows(store)
    store.upsert([Role(id="spare", title="Spare")])
    store.upsert([Opening(id="o2", role_id="spare", opened_at="2024-01-01")])
    with pytest.raises(Conflict, match="openings o2"):
        store.delete("role", "spare")
    with pytest.raises(Conflict, match="assignments g1:A"):
        store.delete("opportunity", "g1")
    with pytest.raises(Conflict, match="opportunities g1"):
        store.delete("skill", "lead")


def test_csv_and_json_imports_of_programme_records(store: Store, tmp_path: Path) -> None:
    store.upsert(_base())
    (tmp_path / "employees.csv").write_text(
        "id,display_name,role_id,manager_id,team,hired_at,mentor_capacity\n"
        "C,Cy,rn,BOSS,ward-b,2021-09-01,1\n"
        "D,Di,rn,C,ward-b,2022-02-01,0\n"
        "E,Ed,rn,NOPE,ward-b,2022-02-01,0\n"
    )
    (tmp_path / "opportunities.csv").write_text(
        "id,title,kind,hours,skills,capacity,starts_at,ends_at,owner_id,status,families\n"
        "g2,Rota redesign,stretch_project,30,lead:3;care:4,2,2025-01-01,2025-06-30,C,open,nursing;general\n"
    )
    (tmp_path / "openings.csv").write_text(
        "id,role_id,opened_at,closed_at,filled_by,source\no3,nm,2024-01-01,2024-04-01,D,internal\no4,nm,2024-06-01,,,\n"
    )
    (tmp_path / "mentorships.csv").write_text(
        "mentor_id,mentee_id,started_at,ended_at,role_id,skill_ids\nBOSS,D,2024-02-01,,nm,lead;care\n"
    )
    (tmp_path / "roles.json").write_text('[{"id": "cn", "title": "Charge Nurse", "level": 4, "critical": true}]')
    files = [*sorted(tmp_path.glob("*.csv")), tmp_path / "roles.json"]
    report = import_files(store, files)
    assert [(Path(e.file).name, e.line, e.error) for e in report.rejected] == [
        ("employees.csv", 4, "unknown manager 'NOPE'")
    ]
    assert store.get_employee("D").manager_id == "C" and store.get_employee("C").mentor_capacity == 1
    g2 = store.get("opportunity", "g2")
    assert g2.families == ["nursing", "general"]
    assert (g2.kind, g2.capacity, [(s.skill_id, s.to_level) for s in g2.skills]) == (
        "stretch_project",
        2,
        [("care", 4), ("lead", 3)],
    )
    assert store.get("opening", "o4").closed_at is None and store.get("opening", "o3").source == "internal"
    assert store.get("mentorship", "BOSS:D:2024-02-01").skill_ids == ["lead", "care"]
    assert store.get_role("cn").critical is True


def test_an_older_store_gains_the_new_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    s = Store(url).init()
    s.upsert(_base())
    with s.engine.begin() as conn:  # make it look like a store from before the programme
        conn.execute(text("ALTER TABLE sg_employees DROP COLUMN mentor_capacity"))
        conn.execute(text("ALTER TABLE sg_roles DROP COLUMN critical"))
    s.close()
    s = Store(url).init()
    assert s.get_employee("BOSS").mentor_capacity == 0 and s.get_role("nm").critical is False
    s.close()
