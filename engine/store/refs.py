"""Nulling references to an erased record (a manager, an opening's filler, an opportunity's owner).

The rows stay (they are facts about other people or about the organisation); only the pointer to
the erased person goes. The rows' version moves to the delete's so derived data sees the change,
and their content hash is cleared so the next import of them is written, not skipped as equal.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, update

__all__ = ["detach"]


def detach(conn: Connection, table: Table, column: str, id_: str, version: int) -> None:
    col = table.c[column]
    values: dict[str, object] = {column: None}
    if "version" in table.c:
        values |= {"version": version, "content_hash": ""}
    conn.execute(update(table).where(col == id_).values(**values))
