"""Observed role transitions (career moves)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection

from engine.models import Transition
from engine.store import tables as t
from engine.store.registry import EntitySpec
from engine.store.rows import fetch, in_order, write_parents

__all__ = ["SPEC"]


def _write(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    rows = [
        {
            "id": r.id,
            "from_role_id": r.from_role_id,
            "to_role_id": r.to_role_id,
            "date": r.date.isoformat() if r.date else None,
            "employee_id": r.employee_id,
            "from_team": r.from_team,
            "from_manager_id": r.from_manager_id,
            "content_hash": hashes[r.id],
            "version": v,
        }
        for r in recs
    ]
    write_parents(conn, "transition", t.transitions, rows, existing)


def _load(conn: Connection, ids: list[str] | None) -> list[Transition]:
    return [
        Transition.model_construct(
            id=r.id,
            from_role_id=r.from_role_id,
            to_role_id=r.to_role_id,
            date=date.fromisoformat(r.date) if r.date else None,
            employee_id=r.employee_id,
            from_team=r.from_team,
            from_manager_id=r.from_manager_id,
        )
        for r in in_order(fetch(conn, t.transitions, ids), ids)
    ]


def _references(rec: Transition) -> Iterator[tuple[str, str]]:
    yield "role", rec.from_role_id
    yield "role", rec.to_role_id
    if rec.employee_id:
        yield "employee", rec.employee_id


SPEC = EntitySpec(
    kind="transition",
    model=Transition,
    table=t.transitions,
    write=_write,
    load=_load,
    order=50,
    references=_references,
)
