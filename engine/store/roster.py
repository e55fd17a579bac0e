"""The roster ledger: who held which role, and at which level each role sat, by store version.

A shortlist's pool (everyone the engine was eligible to rank) is a function of the roster at the
store version of the answer, so the decision log records that version and the eligibility rule,
and the audit rebuilds the pool from this ledger. Storing the roster's changes instead of each
pool keeps logging cheap at any size: a log write first brings the ledger up to the store's
version, which costs nothing when no employee or role changed and a few rows when some did.

Rows are ``[from_version, to_version)`` intervals taken from each record's own write version and
from the store's deletion log, so several processes agree. Erasing a person removes their rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Column, Connection, Index, Integer, String, Table, and_, delete, insert, or_, select, update

from engine.store import tables as t
from engine.store.registry import Dependent
from engine.store.rows import IN_CHUNK, chunks

__all__ = ["DEPENDENTS", "Roster", "load_roster", "purge", "sync"]

roster = Table(
    "sg_audit_roster",
    t.metadata,
    Column("employee_id", String(t.ID), primary_key=True),
    Column("from_version", Integer, primary_key=True),
    Column("to_version", Integer),  # null while current
    Column("role_id", String(t.ID)),
)

role_levels = Table(
    "sg_audit_role_levels",
    t.metadata,
    Column("role_id", String(t.ID), primary_key=True),
    Column("from_version", Integer, primary_key=True),
    Column("to_version", Integer),
    Column("level", Integer, nullable=False),
)

synced = Table(
    "sg_audit_roster_synced",
    t.metadata,
    Column("key", String(20), primary_key=True),
    Column("version", Integer, nullable=False),
)

Index("ix_sg_audit_roster_open", roster.c.to_version)
Index("ix_sg_audit_roster_from", roster.c.from_version)


def _store_version(conn: Connection) -> int:
    return int(conn.execute(select(t.meta.c.value).where(t.meta.c.key == "version")).scalar_one())


def _open(conn: Connection, table: Table, key: str, ids: Sequence[str], value: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for chunk in chunks(sorted(ids), IN_CHUNK):
        q = select(table.c[key], table.c[value]).where(table.c[key].in_(chunk), table.c.to_version.is_(None))
        out.update(conn.execute(q).all())  # type: ignore[arg-type]
    return out


def _apply(conn: Connection, table: Table, key: str, value: str, current: list[tuple[str, Any, int]],
           gone: list[tuple[str, int]]) -> None:
    """Close changed or deleted intervals and open new ones."""
    ids = [c[0] for c in current] + [g[0] for g in gone]
    if not ids:
        return
    opened = _open(conn, table, key, ids, value)
    new_rows, closes = [], []
    for id_, val, version in current:
        if id_ in opened and opened[id_] == val:
            continue
        if id_ in opened:
            closes.append((id_, version))
        new_rows.append({key: id_, "from_version": version, "to_version": None, value: val})
    seen = {c[0] for c in current}
    closes += [(id_, version) for id_, version in gone if id_ in opened and id_ not in seen]
    by_version: dict[int, list[str]] = {}
    for id_, version in closes:  # a bulk import closes many intervals at one version
        by_version.setdefault(version, []).append(id_)
    for version, group in by_version.items():
        for chunk in chunks(group, IN_CHUNK):
            conn.execute(update(table).where(table.c[key].in_(chunk), table.c.to_version.is_(None))
                         .values(to_version=version))
    for chunk in chunks(new_rows, 5000):
        conn.execute(insert(table), list(chunk))


def sync(conn: Connection, *, seen: int | None = None) -> int:
    """Bring the ledger up to the store's version inside the caller's write transaction.

    ``seen``: a version the caller knows the store has reached (the answer's); when the ledger is
    already there, that is the only query.
    """
    q = select(synced.c.version).where(synced.c.key == "roster")
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()  # one process syncs at a time; the others then find nothing to do
    done = conn.execute(q).scalar()
    if done is not None and seen is not None and done >= seen:
        return int(done)
    version = _store_version(conn)
    if done is not None and done >= version:
        return version
    since = -1 if done is None else done
    e, r, d = t.employees.c, t.roles.c, t.deletions.c
    emps = [tuple(x) for x in conn.execute(select(e.id, e.role_id, e.version).where(e.version > since))]
    roles = [tuple(x) for x in conn.execute(select(r.id, r.level, r.version).where(r.version > since))]
    deleted = conn.execute(select(d.entity, d.id, d.version).where(d.version > since,
                                                                    d.entity.in_(("employee", "role")))).all()
    _apply(conn, roster, "employee_id", "role_id", emps, [(i, v) for k, i, v in deleted if k == "employee"])
    _apply(conn, role_levels, "role_id", "level", roles, [(i, v) for k, i, v in deleted if k == "role"])
    if done is None:
        conn.execute(insert(synced), [{"key": "roster", "version": version}])
    else:
        conn.execute(update(synced).where(synced.c.key == "roster").values(version=version))
    return version


NEVER = np.iinfo(np.int64).max


@dataclass
class Roster:
    """Ledger rows overlapping a range of versions, as arrays (one row per interval)."""

    employee_ids: np.ndarray  # (n,) object
    role_code: np.ndarray  # (n,) int64 into ``roles``; -1 = no role
    start: np.ndarray  # (n,) int64
    end: np.ndarray  # (n,) int64, NEVER while current
    roles: list[str]
    role_level: dict[str, list[tuple[int, int, int]]]  # role -> [(from, to, level)]

    def level_of(self, role_id: str, version: int) -> int | None:
        for lo, hi, level in self.role_level.get(role_id, ()):
            if lo <= version < hi:
                return level
        return None

    def eligible(
        self, role_id: str, version: int, *, target_level: int, max_jump: int, step_down: bool = True
    ) -> list[str]:
        """Who the shortlist rule admitted at ``version``: alive, not an incumbent, at most
        ``max_jump`` levels below the role and, unless ``step_down``, not above it (people without
        a role, or in a role of unknown level, are eligible, as in the shortlist)."""
        alive = (self.start <= version) & (version < self.end)
        levels = [self.level_of(r, version) for r in self.roles]
        by_code = np.array([target_level - 1 if lv is None else lv for lv in levels] + [target_level - 1], np.int64)
        cur = by_code[self.role_code]  # code -1 picks the trailing "eligible" level
        mine = self.roles.index(role_id) if role_id in self.roles else -2
        ok = alive & (self.role_code != mine) & (target_level - cur <= max_jump)
        if not step_down:
            ok &= cur <= target_level
        return self.employee_ids[ok].tolist()  # type: ignore[no-any-return]


def load_roster(conn: Connection, lo: int, hi: int) -> Roster:
    """Intervals that overlap versions ``[lo, hi]``."""
    c = roster.c
    q = select(c.employee_id, c.role_id, c.from_version, c.to_version).where(
        c.from_version <= hi, or_(c.to_version.is_(None), c.to_version > lo))
    rows = conn.execute(q).all()
    lv = role_levels.c
    levels: dict[str, list[tuple[int, int, int]]] = {}
    for rid, start, end, level in conn.execute(select(lv.role_id, lv.from_version, lv.to_version, lv.level)):
        levels.setdefault(rid, []).append((start, NEVER if end is None else end, level))
    roles = sorted({r[1] for r in rows if r[1] is not None} | set(levels))
    code = {r: i for i, r in enumerate(roles)}
    return Roster(
        employee_ids=np.array([r[0] for r in rows], dtype=object),
        role_code=np.array([code[r[1]] if r[1] is not None else -1 for r in rows], dtype=np.int64),
        start=np.array([r[2] for r in rows], dtype=np.int64),
        end=np.array([NEVER if r[3] is None else r[3] for r in rows], dtype=np.int64),
        roles=roles,
        role_level=levels,
    )


def purge(conn: Connection, before_version: int | None) -> int:
    """Drop closed intervals no logged answer can see any more: those that ended at or before
    ``before_version`` (the oldest answer's version; None when no answer is left: all closed ones)."""
    c = roster.c
    cond = c.to_version.is_not(None)
    if before_version is not None:
        cond = and_(cond, c.to_version <= before_version)
    return int(conn.execute(delete(roster).where(cond)).rowcount or 0)


def _erase(conn: Connection, employee_id: str, _version: int) -> None:
    conn.execute(delete(roster).where(roster.c.employee_id == employee_id))


DEPENDENTS = (Dependent(kind="employee", cleanup=_erase, name="audit roster"),)
