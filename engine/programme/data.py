"""What the programme reads from the store, as plain rows (one query per table, no models).

Read in bulk with SQLAlchemy Core: the analytics and the mentor search look at every employee,
and building a pydantic model per row would cost more than the answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from engine.store import Store
from engine.store import tables as t
from engine.store.assignments import assignments
from engine.store.mentorships import mentorships
from engine.store.openings import openings

__all__ = ["OrgRows", "active_mentorships", "load_openings", "load_org_rows", "load_transitions", "taken_seats"]


def _day(v: str | None) -> dt.date | None:
    return dt.date.fromisoformat(v) if v else None


@dataclass
class OrgRows:
    """Employees' programme fields, in store id order."""

    ids: list[str]
    names: list[str]
    role_ids: list[str | None]
    manager_ids: list[str | None]
    teams: list[str | None]
    capacity: list[int]
    hired_at: list[dt.date | None]
    months_in_role: list[int]


def load_org_rows(store: Store) -> OrgRows:
    e = t.employees.c
    q = select(e.id, e.display_name, e.role_id, e.manager_id, e.team, e.mentor_capacity, e.hired_at, e.months_in_role)
    with store.engine.connect() as conn:
        rows = list(conn.execute(q.order_by(e.id)))
    return OrgRows(
        ids=[r[0] for r in rows],
        names=[r[1] for r in rows],
        role_ids=[r[2] for r in rows],
        manager_ids=[r[3] for r in rows],
        teams=[r[4] for r in rows],
        capacity=[int(r[5] or 0) for r in rows],
        hired_at=[_day(r[6]) for r in rows],
        months_in_role=[int(r[7] or 0) for r in rows],
    )


def load_transitions(store: Store) -> list[tuple[Any, ...]]:
    """(employee_id, date, from_role_id, to_role_id, from_team, from_manager_id) of dated moves."""
    c = t.transitions.c
    q = select(c.employee_id, c.date, c.from_role_id, c.to_role_id, c.from_team, c.from_manager_id)
    with store.engine.connect() as conn:
        return [(r[0], _day(r[1]), *r[2:]) for r in conn.execute(q.where(c.date.is_not(None)))]


def load_openings(store: Store) -> list[tuple[Any, ...]]:
    """(id, role_id, opened_at, closed_at, source, hiring_manager_id, team, filled_by) of every opening."""
    c = openings.c
    q = select(c.id, c.role_id, c.opened_at, c.closed_at, c.source, c.hiring_manager_id, c.team, c.filled_by)
    with store.engine.connect() as conn:
        return [(r[0], r[1], _day(r[2]), _day(r[3]), *r[4:]) for r in conn.execute(q)]


def active_mentorships(store: Store, day: dt.date) -> list[tuple[str, str]]:
    """(mentor_id, mentee_id) of mentorships not ended by ``day`` (planned ones count: the place is promised)."""
    m = mentorships.c
    q = select(m.mentor_id, m.mentee_id).where((m.ended_at.is_(None)) | (m.ended_at > day.isoformat()))
    with store.engine.connect() as conn:
        return [(r[0], r[1]) for r in conn.execute(q)]


def taken_seats(store: Store) -> list[tuple[str, str, str]]:
    """(opportunity_id, employee_id, status) of every assignment."""
    a = assignments.c
    with store.engine.connect() as conn:
        return [(r[0], r[1], r[2]) for r in conn.execute(select(a.opportunity_id, a.employee_id, a.status))]
