"""Opportunity assignments: who takes (took) part in which opportunity, and whether they completed it.

They go with the employee on erasure. An opportunity with assignments cannot be deleted (close it:
``status: closed`` keeps who did what); delete its assignments first to remove it entirely.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, String, Table, delete, select

from engine.models import OpportunityAssignment
from engine.store import tables as t
from engine.store.registry import Blocker, Dependent, EntitySpec
from engine.store.rows import fetch, in_order, record_deletion, write_parents

__all__ = ["DEPENDENTS", "SPEC", "assignments"]

assignments = Table(
    "sg_opportunity_assignments",
    t.metadata,
    Column("id", String(t.ID * 2 + 1), primary_key=True),
    Column("opportunity_id", String(t.ID), nullable=False),
    Column("employee_id", String(t.ID), nullable=False),
    Column("status", String(20), nullable=False),
    Column("started_at", String(10)),
    Column("completed_at", String(10)),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False),
)
Index("ix_sg_assignments_opportunity", assignments.c.opportunity_id)
Index("ix_sg_assignments_employee", assignments.c.employee_id)


def _d(v: str | None) -> date | None:
    return date.fromisoformat(v) if v else None


def _write(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    rows = [
        {
            "id": a.id,
            "opportunity_id": a.opportunity_id,
            "employee_id": a.employee_id,
            "status": a.status,
            "started_at": a.started_at.isoformat() if a.started_at else None,
            "completed_at": a.completed_at.isoformat() if a.completed_at else None,
            "content_hash": hashes[a.id],
            "version": v,
        }
        for a in recs
    ]
    write_parents(conn, "opportunity_assignment", assignments, rows, existing)


def _load(conn: Connection, ids: list[str] | None) -> list[OpportunityAssignment]:
    return [
        OpportunityAssignment.model_construct(
            id=r.id,
            opportunity_id=r.opportunity_id,
            employee_id=r.employee_id,
            status=r.status,
            started_at=_d(r.started_at),
            completed_at=_d(r.completed_at),
        )
        for r in in_order(fetch(conn, assignments, ids), ids)
    ]


def _references(rec: OpportunityAssignment) -> Iterator[tuple[str, str]]:
    yield "opportunity", rec.opportunity_id
    yield "employee", rec.employee_id


def _opportunity_blocker(_conn: Connection, id_: str) -> list[Blocker]:
    return [("assignments", select(assignments.c.id).where(assignments.c.opportunity_id == id_))]


def _erase(conn: Connection, id_: str, version: int) -> None:
    a = assignments.c
    for aid in list(conn.execute(select(a.id).where(a.employee_id == id_)).scalars()):
        record_deletion(conn, "opportunity_assignment", aid, version)
    conn.execute(delete(assignments).where(a.employee_id == id_))


SPEC = EntitySpec(
    kind="opportunity_assignment",
    model=OpportunityAssignment,
    table=assignments,
    write=_write,
    load=_load,
    order=70,
    references=_references,
    label="assignment",
)
DEPENDENTS = (
    Dependent(kind="opportunity", blocker=_opportunity_blocker, name="assignments"),
    Dependent(kind="employee", cleanup=_erase, name="assignments"),
)
