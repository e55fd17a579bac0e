"""Human overrides of shortlists: a recruiter adds, removes or moves a candidate, with a reason.

Append-only, each row tied to the shortlist decision it changes. Erased with the person the
override names (the reason may describe them); kept by the same retention as the decision log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, String, Table, Text, delete, insert, select

from engine.store import tables as t
from engine.store.registry import Dependent

__all__ = ["DEPENDENTS", "OverrideRow", "insert_override", "list_overrides", "purge"]

overrides = Table(
    "sg_overrides",
    t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("key_id", String(40)),
    Column("actor_role", String(20)),
    Column("endpoint", String(200), nullable=False),
    Column("role_id", String(t.ID), nullable=False),
    Column("decision_id", Integer, nullable=False),  # the shortlist answer it changes
    Column("action", String(10), nullable=False),  # add | remove | reorder
    Column("employee_id", String(t.ID), nullable=False),
    Column("position", Integer),  # 1-based place on the list after the change (add, reorder)
    Column("reason", Text, nullable=False),
)

Index("ix_sg_overrides_role", overrides.c.role_id)
Index("ix_sg_overrides_decision", overrides.c.decision_id)
Index("ix_sg_overrides_employee", overrides.c.employee_id)
Index("ix_sg_overrides_at", overrides.c.at)


@dataclass
class OverrideRow:
    id: int
    at: str
    key_id: str | None
    actor_role: str | None
    endpoint: str
    role_id: str
    decision_id: int
    action: str
    employee_id: str
    position: int | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def insert_override(conn: Connection, row: dict[str, Any]) -> int:
    return int(conn.execute(insert(overrides).values(**row)).inserted_primary_key[0])


def list_overrides(
    conn: Connection, *, role_id: str | None = None, decision_ids: list[int] | None = None,
    since: str | None = None, until: str | None = None, after: int | None = None, limit: int | None = None,
) -> list[OverrideRow]:
    """Overrides in the order they were recorded."""
    c = overrides.c
    q = select(overrides).order_by(c.id)
    if role_id is not None:
        q = q.where(c.role_id == role_id)
    if decision_ids is not None:
        q = q.where(c.decision_id.in_(decision_ids))
    if since is not None:
        q = q.where(c.at >= since)
    if until is not None:
        q = q.where(c.at < until)
    if after is not None:
        q = q.where(c.id > after)
    if limit is not None:
        q = q.limit(limit)
    return [OverrideRow(**dict(r._mapping)) for r in conn.execute(q)]


def purge(conn: Connection, before: str) -> int:
    return int(conn.execute(delete(overrides).where(overrides.c.at < before)).rowcount or 0)


def _erase(conn: Connection, employee_id: str, _version: int) -> None:
    conn.execute(delete(overrides).where(overrides.c.employee_id == employee_id))


DEPENDENTS = (Dependent(kind="employee", cleanup=_erase, name="shortlist overrides"),)
