"""Web app sessions: one row per signed-in browser, bound to the API key it signed in with.

The browser's cookie holds a random token; only its SHA-256 is stored here. A session counts while
it has not expired, has not been signed out, and its key is not revoked (the web app checks all
three in one query per page), so revoking a key ends every session opened with it. Erasing an
employee deletes the sessions of their keys with the rest of their rows.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Index, String, Table, delete, select

from engine.store import tables as t
from engine.store.registry import Dependent

__all__ = ["DEPENDENTS", "web_sessions"]

web_sessions = Table(
    "sg_web_sessions",
    t.metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the cookie token
    Column("key_id", String(40), nullable=False),
    Column("csrf", String(64), nullable=False),  # synchroniser token every form of the session carries
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("ended_at", String(40)),  # signed out
)
Index("ix_sg_web_sessions_key", web_sessions.c.key_id)


def _erase(conn: Connection, employee_id: str, _version: int) -> None:
    keys = select(t.api_keys.c.id).where(t.api_keys.c.employee_id == employee_id)
    conn.execute(delete(web_sessions).where(web_sessions.c.key_id.in_(keys)))


DEPENDENTS = (Dependent("employee", cleanup=_erase, name="web sessions"),)
