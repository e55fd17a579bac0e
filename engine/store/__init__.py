"""SQL store (SQLAlchemy 2.x): SQLite file by default, PostgreSQL by URL."""

from engine.store.store import Entity, Store, UpsertResult

__all__ = ["Entity", "Store", "UpsertResult"]
