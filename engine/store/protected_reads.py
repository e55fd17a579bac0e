"""Who read protected attributes, when, and how many people's: the access log of the audit.

One row per read: a single employee's attributes (``employee_id`` set) or an audit computation
over many (``employees`` = how many were read, ``purpose`` = what for). Erasing a person keeps the
fact that a read happened but drops their id from it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, String, Table, delete, insert, select, update

from engine.store import tables as t
from engine.store.registry import Dependent

__all__ = ["DEPENDENTS", "insert_read", "list_reads", "purge"]

protected_reads = Table(
    "sg_protected_reads",
    t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("key_id", String(40)),
    Column("actor_role", String(20)),
    Column("endpoint", String(200), nullable=False),
    Column("purpose", String(200), nullable=False),  # "employee record", "impact shortlist sex", ...
    Column("employee_id", String(t.ID)),  # one person's read; null for aggregate reads
    Column("employees", Integer, nullable=False),  # how many people's attributes were read
)

Index("ix_sg_protected_reads_at", protected_reads.c.at)
Index("ix_sg_protected_reads_employee", protected_reads.c.employee_id)


def insert_read(conn: Connection, row: dict[str, Any]) -> int:
    return int(conn.execute(insert(protected_reads).values(**row)).inserted_primary_key[0])


def list_reads(
    conn: Connection, *, since: str | None = None, until: str | None = None, after: int | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    c = protected_reads.c
    q = select(protected_reads).order_by(c.id).limit(limit)
    if since is not None:
        q = q.where(c.at >= since)
    if until is not None:
        q = q.where(c.at < until)
    if after is not None:
        q = q.where(c.id > after)
    return [dict(r._mapping) for r in conn.execute(q)]


def purge(conn: Connection, before: str) -> int:
    return int(conn.execute(delete(protected_reads).where(protected_reads.c.at < before)).rowcount or 0)


def _erase(conn: Connection, employee_id: str, _version: int) -> None:
    c = protected_reads.c
    conn.execute(update(protected_reads).where(c.employee_id == employee_id).values(employee_id=None))


DEPENDENTS = (Dependent(kind="employee", cleanup=_erase, name="protected-attribute read log"),)
