"""Employees: parent rows, their skills, and protected attributes in a table of their own.

Deleting an employee is an erasure: skills, protected attributes and the transitions that name
them go in the same transaction (other modules add their rows through ``DEPENDENTS``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from engine.errors import EmployeeNotFound
from engine.models import Employee, EmployeeSkill, MobilityPreferences, ProtectedAttributes
from engine.store import tables as t
from engine.store.registry import EntitySpec
from engine.store.rows import fetch, group, in_order, record_erasure, replace_children, write_parents

__all__ = ["SPEC", "protected_from_row"]


def protected_from_row(row: Any) -> ProtectedAttributes:
    return ProtectedAttributes(sex=row.sex, race_ethnicity=row.race_ethnicity, age_band=row.age_band)


def _keep_protected(conn: Connection, recs: list[Employee]) -> list[Employee]:
    """A record without ``protected`` keeps the stored attributes: GET never shows them, so a
    GET-edit-PUT round trip (or an HRIS feed without them) must not wipe them. An object replaces
    them; one with every attribute null clears them (as ``Store.clear_protected`` does)."""
    missing = [e.id for e in recs if e.protected is None]
    stored = {r.employee_id: protected_from_row(r) for r in fetch(conn, t.employee_protected, missing, "employee_id")}
    out = []
    for e in recs:
        if e.protected is None:
            keep = stored.get(e.id)
        else:
            keep = e.protected if any(e.protected.model_dump().values()) else None
        out.append(e if keep is e.protected else e.model_copy(update={"protected": keep}))
    return out


def _write(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    for table in (t.employee_skills, t.employee_protected):
        replace_children(conn, table, "employee_id", existing, [])
    rows = [
        {
            "id": e.id,
            "display_name": e.display_name,
            "role_id": e.role_id,
            "months_in_role": e.months_in_role,
            "interests": e.interests,
            "mobility": e.mobility.model_dump_json(),
            "manager_id": e.manager_id,
            "team": e.team,
            "hired_at": e.hired_at.isoformat() if e.hired_at else None,
            "mentor_capacity": e.mentor_capacity,
            "content_hash": hashes[e.id],
            "version": v,
        }
        for e in recs
    ]
    write_parents(conn, "employee", t.employees, rows, existing)
    skills = [
        {
            "employee_id": e.id,
            "skill_id": s.skill_id,
            "level": s.level,
            "source": s.source,
            "updated_at": s.updated_at.isoformat() if s.updated_at else None,
        }
        for e in recs
        for s in e.skills
    ]
    prot = [
        {"employee_id": e.id, **e.protected.model_dump()}
        for e in recs
        if e.protected is not None and any(e.protected.model_dump().values())
    ]
    replace_children(conn, t.employee_skills, "employee_id", set(), skills)
    replace_children(conn, t.employee_protected, "employee_id", set(), prot)


def _load(conn: Connection, ids: list[str] | None) -> list[Employee]:
    parents = in_order(fetch(conn, t.employees, ids), ids)
    pids = [p.id for p in parents] if ids is not None else None
    skills = group(fetch(conn, t.employee_skills, pids, "employee_id"), "employee_id")
    prot = {r.employee_id: r for r in fetch(conn, t.employee_protected, pids, "employee_id")}
    out = []
    for p in parents:
        pr = prot.get(p.id)
        out.append(
            Employee.model_construct(
                id=p.id,
                display_name=p.display_name,
                role_id=p.role_id,
                months_in_role=p.months_in_role,
                interests=p.interests,
                mobility=MobilityPreferences.model_validate_json(p.mobility),
                skills=[
                    EmployeeSkill.model_construct(
                        skill_id=s.skill_id,
                        level=s.level,
                        source=s.source,
                        updated_at=datetime.fromisoformat(s.updated_at) if s.updated_at else None,
                    )
                    for s in sorted(skills.get(p.id, []), key=lambda s: s.skill_id)
                ],
                protected=protected_from_row(pr) if pr is not None else None,
                manager_id=p.manager_id,
                team=p.team,
                hired_at=date.fromisoformat(p.hired_at) if p.hired_at else None,
                mentor_capacity=p.mentor_capacity or 0,
            )
        )
    return out


def _references(rec: Employee) -> Iterator[tuple[str, str]]:
    if rec.role_id:
        yield "role", rec.role_id
    for s in rec.skills:
        yield "skill", s.skill_id


def _delete_children(conn: Connection, id_: str, version: int) -> None:
    # Children cascade in SQL, but delete explicitly so SQLite without FK enforcement erases too.
    conn.execute(delete(t.employee_skills).where(t.employee_skills.c.employee_id == id_))
    conn.execute(delete(t.employee_protected).where(t.employee_protected.c.employee_id == id_))
    moved = conn.execute(select(t.transitions.c.id).where(t.transitions.c.employee_id == id_)).first()
    if moved is not None:  # transition ids name the employee: the tombstone must not
        record_erasure(conn, "transition", version)
    conn.execute(delete(t.transitions).where(t.transitions.c.employee_id == id_))
    # Their API keys stop working in the same transaction and stop naming them.
    k = t.api_keys.c
    now = datetime.now(UTC).isoformat(timespec="seconds")
    conn.execute(update(t.api_keys).where(k.employee_id == id_, k.revoked_at.is_(None)).values(revoked_at=now))
    conn.execute(update(t.api_keys).where(k.employee_id == id_).values(employee_id=None))


SPEC = EntitySpec(
    kind="employee",
    model=Employee,
    table=t.employees,
    write=_write,
    load=_load,
    order=40,
    references=_references,
    delete_children=_delete_children,
    not_found=EmployeeNotFound,
    complete=_keep_protected,
    personal=True,
)
