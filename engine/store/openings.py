"""Openings (requisitions for a role): one row each.

A role with openings cannot be deleted (its fill history would dangle: delete the openings first).
Erasing the employee who filled one keeps the opening and its ``source`` (the internal fill rate
stays true) and nulls ``filled_by``; the same for the hiring manager.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, String, Table, select

from engine.models import Opening
from engine.store import tables as t
from engine.store.refs import detach
from engine.store.registry import Blocker, Dependent, EntitySpec
from engine.store.rows import fetch, in_order, write_parents

__all__ = ["DEPENDENTS", "SPEC", "openings"]

openings = Table(
    "sg_openings",
    t.metadata,
    Column("id", String(t.ID), primary_key=True),
    Column("role_id", String(t.ID), nullable=False),
    Column("opened_at", String(10), nullable=False),
    Column("closed_at", String(10)),
    Column("filled_by", String(t.ID)),
    Column("source", String(20)),
    Column("hiring_manager_id", String(t.ID)),
    Column("team", String(200)),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False),
)
Index("ix_sg_openings_role", openings.c.role_id)


def _d(v: str | None) -> date | None:
    return date.fromisoformat(v) if v else None


def _write(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    rows = [
        {
            "id": o.id,
            "role_id": o.role_id,
            "opened_at": o.opened_at.isoformat(),
            "closed_at": o.closed_at.isoformat() if o.closed_at else None,
            "filled_by": o.filled_by,
            "source": o.source,
            "hiring_manager_id": o.hiring_manager_id,
            "team": o.team,
            "content_hash": hashes[o.id],
            "version": v,
        }
        for o in recs
    ]
    write_parents(conn, "opening", openings, rows, existing)


def _load(conn: Connection, ids: list[str] | None) -> list[Opening]:
    return [
        Opening.model_construct(
            id=r.id,
            role_id=r.role_id,
            opened_at=_d(r.opened_at),
            closed_at=_d(r.closed_at),
            filled_by=r.filled_by,
            source=r.source,
            hiring_manager_id=r.hiring_manager_id,
            team=r.team,
        )
        for r in in_order(fetch(conn, openings, ids), ids)
    ]


def _references(rec: Opening) -> Iterator[tuple[str, str]]:
    yield "role", rec.role_id
    if rec.filled_by:
        yield "employee", rec.filled_by
    if rec.hiring_manager_id:
        yield "employee", rec.hiring_manager_id


def _role_blocker(_conn: Connection, id_: str) -> list[Blocker]:
    return [("openings", select(openings.c.id).where(openings.c.role_id == id_))]


def _erase(conn: Connection, id_: str, version: int) -> None:
    detach(conn, openings, "filled_by", id_, version)
    detach(conn, openings, "hiring_manager_id", id_, version)


SPEC = EntitySpec(
    kind="opening",
    model=Opening,
    table=openings,
    write=_write,
    load=_load,
    order=60,
    references=_references,
)
DEPENDENTS = (
    Dependent(kind="role", blocker=_role_blocker, name="openings"),
    Dependent(kind="employee", cleanup=_erase, name="openings filled"),
)
