"""What the store does differently per database: SQLite connection set-up and transactions, and
scrubbing the files after an erasure (SQLite checkpoint, PostgreSQL VACUUM)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection, Engine

from engine.store import tables as t

__all__ = ["insert_ignoring_duplicates", "scrub", "sqlite_begin", "sqlite_connect"]

log = logging.getLogger("skillgraph.store")


def insert_ignoring_duplicates(conn: Connection, table: Any) -> Any:
    """INSERT that skips rows whose key exists: two processes caching the same text vector at once
    (replicas building on one store) both succeed instead of one failing on the primary key."""
    name = conn.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).on_conflict_do_nothing()
    from sqlalchemy import insert

    return insert(table)


def sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite begins a transaction only before DML, so the reads of a write transaction ran
    # outside it; take over (autocommit at the driver) and emit BEGIN in sqlite_begin.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    # Deleted content is overwritten with zeros, so an erased person leaves nothing in free pages
    # (the WAL is truncated after an erasure: scrub).
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def sqlite_begin(conn: Connection) -> None:
    # Writers take the write lock up front: two writers never read the same snapshot and both write.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sg_write") else "BEGIN")


def scrub(engine: Engine) -> None:
    """Leave no deleted bytes behind in the store's files, as far as the database allows.

    SQLite (``secure_delete`` is on, so freed pages are zeroed): copy the WAL into the main file
    and truncate it, so older page images holding erased rows are gone too. PostgreSQL: VACUUM the
    skillgraph tables, so dead tuples and their index entries are reclaimed now (disk blocks, WAL
    segments and backups follow the policy in the README).
    """
    if engine.dialect.name == "sqlite":
        _checkpoint(engine)
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            quote = conn.dialect.identifier_preparer.quote
            conn.exec_driver_sql("VACUUM " + ", ".join(quote(tb.name) for tb in t.metadata.sorted_tables))


def _checkpoint(engine: Engine) -> None:
    raw = engine.raw_connection()  # autocommit at the driver: a checkpoint runs outside transactions
    try:
        for _ in range(3):  # each try waits for readers up to busy_timeout
            cur = raw.cursor()
            busy = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            cur.close()
            if not busy:
                return
        log.warning("WAL checkpoint after an erasure stayed busy (long-running readers); it runs again later")
    finally:
        raw.close()
