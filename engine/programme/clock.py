"""The date programme answers are computed at ("as of").

Live data is as of today. A store can pin another date (the demo company is a snapshot dated
2025-06-30): ``set_as_of`` writes it to the store's meta table and every programme answer, the
analytics' default window and which mentorships and opportunities are running follow it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select

from engine.store import Store
from engine.store import tables as t

__all__ = ["as_of", "set_as_of"]

KEY = "as_of"


def as_of(store: Store) -> dt.date:
    with store.engine.connect() as conn:
        value = conn.execute(select(t.meta.c.value).where(t.meta.c.key == KEY)).scalar()
    return dt.date.fromisoformat(value) if value else dt.date.today()


def set_as_of(store: Store, day: dt.date | None) -> None:
    """Pin the store's "today" (None: follow the calendar again)."""
    with store.write() as conn:
        conn.execute(delete(t.meta).where(t.meta.c.key == KEY))
        if day is not None:
            conn.execute(insert(t.meta), [{"key": KEY, "value": day.isoformat()}])
