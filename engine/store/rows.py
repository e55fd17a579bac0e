"""Row helpers shared by the entity modules: chunked IN queries, parent and child replacement."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select

from engine.store import tables as t

__all__ = [
    "chunks",
    "clear_deletions",
    "fetch",
    "group",
    "in_order",
    "record_deletion",
    "record_erasure",
    "replace_children",
    "write_parents",
]

# SQLite caps bound parameters per statement; 900 ids per IN list stays well under it.
IN_CHUNK = 900


def chunks(seq: Sequence[Any], n: int = 2000) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def record_deletion(conn: Connection, kind: str, id_: str, version: int) -> None:
    conn.execute(delete(t.deletions).where(t.deletions.c.entity == kind, t.deletions.c.id == id_))
    conn.execute(insert(t.deletions), [{"entity": kind, "id": id_, "version": version}])


ERASED = "erased:"  # id prefix of the anonymous tombstones erasures leave


def record_erasure(conn: Connection, kind: str, version: int) -> None:
    """A tombstone that says "a record of ``kind`` went at ``version``" without saying which:
    erasure keeps no id. Readers that held the record find out by comparing id sets."""
    conn.execute(insert(t.deletions), [{"entity": kind, "id": f"{ERASED}{uuid.uuid4().hex}", "version": version}])


def clear_deletions(conn: Connection, kind: str, ids: Iterable[str]) -> None:
    for chunk in chunks(list(ids), IN_CHUNK):
        conn.execute(delete(t.deletions).where(t.deletions.c.entity == kind, t.deletions.c.id.in_(chunk)))


def replace_children(conn: Connection, table: Table, key_col: str, ids: set[str], rows: list[dict[str, Any]]) -> None:
    """Delete the children of ``ids``, then insert ``rows``."""
    col = table.c[key_col]
    for chunk in chunks(sorted(ids), IN_CHUNK):
        conn.execute(delete(table).where(col.in_(chunk)))
    for chunk in chunks(rows, 5000):
        conn.execute(insert(table), list(chunk))


def write_parents(conn: Connection, kind: str, table: Table, rows: list[dict[str, Any]], existing: set[str]) -> None:
    """Replace parent rows (delete the stored ones, insert all) and forget earlier deletions of them."""
    if existing:
        for chunk in chunks(sorted(existing), IN_CHUNK):
            conn.execute(delete(table).where(table.c.id.in_(chunk)))
    for chunk in chunks(rows, 5000):
        conn.execute(insert(table), list(chunk))
    clear_deletions(conn, kind, [r["id"] for r in rows])


def group(rows: Iterable[Any], key: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for r in rows:
        out.setdefault(getattr(r, key), []).append(r)
    return out


def fetch(conn: Connection, table: Table, ids: list[str] | None, col: str = "id") -> list[Any]:
    """Rows whose ``col`` is in ``ids`` (every row for None)."""
    if ids is None:
        return list(conn.execute(select(table)))
    out: list[Any] = []
    for chunk in chunks(ids, IN_CHUNK):
        out.extend(conn.execute(select(table).where(table.c[col].in_(chunk))))
    return out


def in_order(rows: list[Any], ids: list[str] | None) -> list[Any]:
    """Rows in the order of ``ids`` (by id when None)."""
    if ids is None:
        return sorted(rows, key=lambda r: r.id)
    pos = {i: n for n, i in enumerate(ids)}
    return sorted(rows, key=lambda r: pos[r.id])
