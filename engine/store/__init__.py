"""SQL store (SQLAlchemy 2.x): SQLite file by default, PostgreSQL by URL.

One module per record type (``skills``, ``roles``, ``learning``, ``employees``, ``transitions``),
registered in :mod:`engine.store.registry`; :class:`Store` orchestrates them.
"""

from engine.store.store import Entity, Store, UpsertResult

__all__ = ["Entity", "Store", "UpsertResult"]
