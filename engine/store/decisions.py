"""The decision log: every recommendation and shortlist answer, append-only.

Two tables. ``sg_decisions`` holds one row per answer (when, who, which endpoint and
parameters, the subject, model id, scoring-config hash, store version, and for a shortlist the
eligibility rule and size of its pool); ``sg_decision_items`` the returned ids in rank order with
score, readiness, move and level. A shortlist's pool itself is rebuilt from the roster ledger
(:mod:`engine.store.roster`) at the answer's store version, so logging stays one small write.

Nothing is updated in place. Rows go only by retention (:func:`purge`) or with a person: deleting
an employee removes the answers given about them and their entries in other answers' returned
lists (and the roster ledger forgets them), so no personal data outlives the erasure.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)

from engine.store import tables as t
from engine.store.registry import Dependent
from engine.store.rows import IN_CHUNK, chunks

__all__ = [
    "DEPENDENTS",
    "DecisionRow",
    "by_ids",
    "count",
    "insert_decision",
    "oldest_version",
    "page",
    "purge",
    "window_rows",
]

ID = t.ID

decisions = Table(
    "sg_decisions",
    t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),  # UTC, fixed width: 2025-06-01T12:00:00.000000Z
    Column("kind", String(20), nullable=False),  # recommendation | shortlist | succession
    Column("key_id", String(40)),
    Column("actor_role", String(20)),
    Column("endpoint", String(200), nullable=False),
    Column("request_id", String(128)),
    Column("params", Text, nullable=False, default="{}"),
    Column("subject_type", String(20), nullable=False),  # employee | role | profile
    Column("subject_id", String(ID)),
    Column("subject_level", Integer),  # level of the subject's current role when answered
    Column("model_id", String(200)),
    Column("config_hash", String(32), nullable=False),
    Column("store_version", String(200)),
    Column("version_no", Integer),  # the store version the answer was computed at
    Column("pool_rule", String(100)),  # shortlists: eligibility, e.g. "max_level_jump=2"
    Column("pool_size", Integer, nullable=False, default=0),
    Column("returned", Integer, nullable=False, default=0),
)

items = Table(
    "sg_decision_items",
    t.metadata,
    Column("decision_id", Integer, ForeignKey("sg_decisions.id", ondelete="CASCADE"), primary_key=True),
    Column("rank", Integer, primary_key=True),  # 1-based, in the order the answer listed them
    Column("employee_id", String(ID)),  # shortlists: who was listed
    Column("role_id", String(ID)),  # recommendations: which role was shown
    Column("score", Float, nullable=False),
    Column("readiness", String(20)),
    Column("move", String(20)),
    Column("level", Integer),
)

Index("ix_sg_decisions_kind_at", decisions.c.kind, decisions.c.at)
Index("ix_sg_decisions_at", decisions.c.at)
Index("ix_sg_decisions_subject", decisions.c.subject_id)
Index("ix_sg_decision_items_employee", items.c.employee_id)


@dataclass
class DecisionRow:
    """One logged answer as read back (items in rank order)."""

    id: int
    at: str
    kind: str
    key_id: str | None
    actor_role: str | None
    endpoint: str
    request_id: str | None
    params: dict[str, Any]
    subject_type: str
    subject_id: str | None
    subject_level: int | None
    model_id: str | None
    config_hash: str
    store_version: str | None
    version_no: int | None
    pool_rule: str | None
    pool_size: int
    returned: int
    items: list[dict[str, Any]]


# -- writes ----------------------------------------------------------------------------------------
def insert_decision(conn: Connection, row: dict[str, Any], item_rows: Sequence[dict[str, Any]]) -> int:
    """Append one decision and its items; returns the decision id."""
    data = {**row, "params": json.dumps(row.get("params") or {}, sort_keys=True, default=str)}
    decision_id = int(conn.execute(insert(decisions), data).inserted_primary_key[0])
    if item_rows:
        conn.execute(insert(items), [{**r, "decision_id": decision_id} for r in item_rows])
    return decision_id


def purge(conn: Connection, before: str) -> int:
    """Delete decisions logged before ``before``."""
    old = select(decisions.c.id).where(decisions.c.at < before)
    conn.execute(delete(items).where(items.c.decision_id.in_(old)))
    return int(conn.execute(delete(decisions).where(decisions.c.at < before)).rowcount or 0)


def oldest_version(conn: Connection) -> int | None:
    """The lowest store version a logged answer was computed at (what the roster must keep)."""
    return conn.execute(select(func.min(decisions.c.version_no))).scalar()


def _erase(conn: Connection, employee_id: str, _version: int) -> None:
    # Answers about the person (their recommendations) go whole; elsewhere only their entries.
    about = select(decisions.c.id).where(decisions.c.subject_type == "employee", decisions.c.subject_id == employee_id)
    conn.execute(delete(items).where(items.c.decision_id.in_(about)))
    conn.execute(delete(decisions).where(decisions.c.subject_type == "employee",
                                         decisions.c.subject_id == employee_id))
    conn.execute(delete(items).where(items.c.employee_id == employee_id))


DEPENDENTS = (Dependent(kind="employee", cleanup=_erase, name="decision log"),)


# -- reads -----------------------------------------------------------------------------------------
def _window(q: Any, kind: str | None, since: str | None, until: str | None) -> Any:
    if kind is not None:
        q = q.where(decisions.c.kind == kind)
    if since is not None:
        q = q.where(decisions.c.at >= since)
    if until is not None:
        q = q.where(decisions.c.at < until)
    return q


def count(conn: Connection, *, kind: str | None = None, since: str | None = None, until: str | None = None) -> int:
    q = _window(select(func.count()).select_from(decisions), kind, since, until)
    return int(conn.execute(q).scalar_one())


def _rows(conn: Connection, parents: list[Any]) -> list[DecisionRow]:
    by_id: dict[int, list[dict[str, Any]]] = {p.id: [] for p in parents}
    for chunk in chunks(list(by_id), IN_CHUNK):
        q = select(items).where(items.c.decision_id.in_(chunk)).order_by(items.c.decision_id, items.c.rank)
        for r in conn.execute(q):
            by_id[r.decision_id].append({"rank": r.rank, "employee_id": r.employee_id, "role_id": r.role_id,
                                         "score": r.score, "readiness": r.readiness, "move": r.move,
                                         "level": r.level})
    out = []
    for p in parents:
        data = dict(p._mapping)
        data["params"] = json.loads(data["params"] or "{}")
        out.append(DecisionRow(**data, items=by_id[p.id]))
    return out


def page(
    conn: Connection, *, kind: str | None = None, since: str | None = None, until: str | None = None,
    after: int | None = None, limit: int = 50,
) -> list[DecisionRow]:
    """Decisions in log order (oldest first), after the decision id ``after``."""
    q = _window(select(decisions), kind, since, until).order_by(decisions.c.id).limit(limit)
    if after is not None:
        q = q.where(decisions.c.id > after)
    return _rows(conn, list(conn.execute(q)))


def window_rows(
    conn: Connection, *, kind: str, since: str | None, until: str | None, subject_id: str | None = None
) -> list[DecisionRow]:
    """Every decision of ``kind`` in the window (about one subject when given), with items."""
    q = _window(select(decisions), kind, since, until).order_by(decisions.c.id)
    if subject_id is not None:
        q = q.where(decisions.c.subject_id == subject_id)
    return _rows(conn, list(conn.execute(q)))


def by_ids(conn: Connection, ids: Sequence[int]) -> list[DecisionRow]:
    parents: list[Any] = []
    for chunk in chunks(sorted(set(ids)), IN_CHUNK):
        parents.extend(conn.execute(select(decisions).where(decisions.c.id.in_(chunk))))
    return _rows(conn, sorted(parents, key=lambda p: p.id))
