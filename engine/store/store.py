"""The SQL store: the source of truth for every record type (see :mod:`engine.store.registry`).

SQLite file by default (WAL mode), PostgreSQL by URL. Every write takes the next store version
with one atomic ``UPDATE ... RETURNING`` in its own transaction, before it reads anything, so
concurrent writers are serialised and never share a version; derived data (indexes, matrices,
graph) records the version it was built from and catches up with :meth:`Store.changed_since`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel
from sqlalchemy import Connection, Engine, Integer, String, cast, create_engine, delete, event, func, insert, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import SQLAlchemyError

from engine.errors import ConfigError, Conflict, InvalidInput, NotFound
from engine.models import Employee, LearningItem, ProtectedAttributes, Role, Skill
from engine.store import registry
from engine.store import tables as t
from engine.store.dialects import insert_ignoring_duplicates, scrub, sqlite_begin, sqlite_connect
from engine.store.employees import protected_from_row
from engine.store.hashing import content_hash
from engine.store.migrate import add_missing_columns
from engine.store.rows import ERASED, IN_CHUNK, chunks, record_deletion, record_erasure

__all__ = ["Entity", "Store", "UpsertResult"]

Entity = str  # a registered record type: "skill", "role", "employee", ... (engine.store.registry)

log = logging.getLogger("skillgraph.store")


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @property
    def written(self) -> int:
        return self.created + self.updated


class _NothingChanged(Exception):
    """Rolls back a write transaction that changed nothing (so the version does not move)."""


class Store:
    """Typed access to the SQL store. Cheap to construct: nothing connects until first use."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url, echo=echo, future=True, pool_pre_ping=True)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise ConfigError(f"bad store URL {url!r}: {exc}") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", sqlite_connect)
            event.listen(self.engine, "begin", sqlite_begin)
        self._store_id: str | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def init(self) -> Store:
        """Create tables if missing and add columns added since (idempotent); the version row."""
        registry.load_all_tables()
        try:
            t.metadata.create_all(self.engine)
            with self.write() as conn:
                add_missing_columns(conn, t.metadata)
                have = {r.key for r in conn.execute(select(t.meta.c.key))}
                if "store_id" not in have:
                    conn.execute(insert(t.meta), [{"key": "store_id", "value": uuid.uuid4().hex[:12]}])
                if "version" not in have:
                    conn.execute(insert(t.meta), [{"key": "version", "value": "0"}])
        except SQLAlchemyError as exc:
            raise ConfigError(f"cannot open store {self.safe_url}: {type(exc).__name__}") from None
        return self

    @property
    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def drop_all(self) -> None:
        registry.load_all_tables()
        t.metadata.drop_all(self.engine)
        self._store_id = None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (SQLite: BEGIN IMMEDIATE, so its reads see what it writes over)."""
        with self.engine.execution_options(sg_write=True).begin() as conn:
            yield conn

    # -- version ----------------------------------------------------------------------------------
    def version_number(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(t.meta.c.value).where(t.meta.c.key == "version")).scalar_one())

    def version(self) -> str:
        """A stamp that changes on every write (store id + counter)."""
        if self._store_id is None:
            with self.engine.connect() as conn:
                self._store_id = conn.execute(select(t.meta.c.value).where(t.meta.c.key == "store_id")).scalar_one()
        return f"{self._store_id}:{self.version_number()}"

    @staticmethod
    def bump(conn: Connection) -> int:
        """Take the next version in one atomic statement; on PostgreSQL the row lock it takes
        serialises concurrent writers until commit, so versions follow commit order."""
        v = t.meta.c.value
        stmt = (
            sql_update(t.meta)
            .where(t.meta.c.key == "version")
            .values(value=cast(cast(v, Integer) + 1, String(200)))
            .returning(v)
        )
        return int(conn.execute(stmt).scalar_one())

    # -- validation -------------------------------------------------------------------------------
    def _existing(self, conn: Connection, kind: Entity, ids: Iterable[str]) -> set[str]:
        table = registry.spec(kind).table
        found: set[str] = set()
        wanted = sorted(set(ids))
        for chunk in chunks(wanted, IN_CHUNK):
            found.update(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
        return found

    def check_references(self, records: Sequence[BaseModel], conn: Connection | None = None) -> list[str | None]:
        """Per record: None when every id it references exists (in the store or the batch), else why not."""
        if conn is None:
            with self.engine.connect() as c:
                return self.check_references(records, c)
        kinds = registry.specs()
        refs: dict[str, set[str]] = {k: set() for k in kinds}
        batch: dict[str, set[str]] = {k: set() for k in kinds}
        pairs: list[list[tuple[str, str]]] = []
        for rec in records:
            s = kinds[registry.kind_of(rec)]
            rid = getattr(rec, "id", None)
            if rid is not None:
                batch[s.kind].add(rid)
            mine = list(s.references(rec))
            pairs.append(mine)
            for ref_kind, ref in mine:
                refs[ref_kind].add(ref)
        known = {k: batch[k] | self._existing(conn, k, refs[k] - batch[k]) if refs[k] else batch[k] for k in kinds}
        out: list[str | None] = []
        for mine in pairs:
            missing = [f"unknown {kinds[k].what} {r!r}" for k, r in mine if r not in known[k]]
            out.append("; ".join(dict.fromkeys(missing)) or None)
        # Batch checks (registry.Check): rules over the stored rows and the whole batch of a kind.
        positions: dict[str, list[int]] = {}
        for i, rec in enumerate(records):
            positions.setdefault(registry.kind_of(rec), []).append(i)
        for kind, pos in positions.items():
            for check in registry.checks_of(kind):
                for i, why in zip(pos, check.run(conn, [records[i] for i in pos]), strict=True):
                    if why:
                        out[i] = f"{out[i]}; {why}" if out[i] else why
        return out

    # -- writes -----------------------------------------------------------------------------------
    def upsert(self, records: Sequence[BaseModel]) -> UpsertResult:
        """Insert or replace records (any mix of types) in one transaction.

        Raises InvalidInput naming every unresolved reference; nothing is written then.
        Records equal to what is stored are skipped, so re-imports change nothing (and a batch
        that changes nothing leaves the version where it was).
        """
        by_kind: dict[str, list[BaseModel]] = {}
        for rec in records:
            by_kind.setdefault(registry.kind_of(rec), []).append(rec)
        result = UpsertResult()
        if not records:
            return result
        try:
            with self.write() as conn:
                version = self.bump(conn)  # first: serialises writers before anything is read
                problems = [(r, p) for r, p in zip(records, self.check_references(records, conn), strict=True) if p]
                if problems:
                    detail = "; ".join(
                        f"{registry.kind_of(r).replace('_', ' ')} {_rid(r)!r}: {p}" for r, p in problems[:20]
                    )
                    raise InvalidInput(detail)
                for s in registry.ordered():
                    recs = _dedupe_last(by_kind.get(s.kind, []))
                    if recs:
                        self._write_kind(conn, s, recs, version, result)
                if not result.written:
                    raise _NothingChanged
        except _NothingChanged:
            pass
        return result

    @staticmethod
    def _write_kind(
        conn: Connection, s: registry.EntitySpec, recs: list[BaseModel], version: int, result: UpsertResult
    ) -> None:
        if s.complete is not None:
            recs = s.complete(conn, recs)
        hashes = {_rid(r): content_hash(r) for r in recs}
        table = s.table
        stored: dict[str, str] = {}
        for chunk in chunks(list(hashes), IN_CHUNK):
            stored.update(conn.execute(select(table.c.id, table.c.content_hash).where(table.c.id.in_(chunk))).all())  # type: ignore[arg-type]
        changed = [r for r in recs if stored.get(_rid(r)) != hashes[_rid(r)]]
        result.unchanged += len(recs) - len(changed)
        if not changed:
            return
        new = [r for r in changed if _rid(r) not in stored]
        result.created += len(new)
        result.updated += len(changed) - len(new)
        result.ids.setdefault(s.kind, []).extend(_rid(r) for r in changed)
        s.write(conn, changed, hashes, version, {_rid(r) for r in changed} - {_rid(r) for r in new})

    def clear_protected(self, employee_id: str) -> bool:
        """Erase an employee's protected attributes (the explicit way: a write without them keeps
        them). Returns False when there were none (nothing written, the version does not move)."""
        s = registry.spec("employee")
        result = UpsertResult()
        try:
            with self.write() as conn:
                version = self.bump(conn)
                found = s.load(conn, [employee_id])
                if not found:
                    raise self._not_found("employee", employee_id)
                if found[0].protected is None:
                    raise _NothingChanged
                self._write_kind(conn, s, [found[0].model_copy(update={"protected": ProtectedAttributes()})],
                                 version, result)
        except _NothingChanged:
            return False
        return True

    def delete(self, kind: Entity, id_: str) -> int:
        """Delete one record (and every row that hangs on it); returns the version of the delete.

        Deleting a personal record (an employee) is an erasure: every row about them goes, here and
        in dependent modules, the tombstone names no id, and the files are scrubbed (:meth:`scrub`).
        """
        s = registry.spec(kind)
        with self.write() as conn:
            version = self.bump(conn)
            if not conn.execute(select(s.table.c.id).where(s.table.c.id == id_)).first():
                raise self._not_found(kind, id_)
            blockers = self._blockers(conn, kind, id_)
            if blockers:
                raise Conflict(f"{s.what} {id_!r} is still referenced by {blockers}")
            # Dependent rows first: they may find theirs through the record's own children
            # (web sessions through the person's API keys, which delete_children unbinds).
            for d in registry.dependents_of(kind):
                if d.cleanup is not None:
                    d.cleanup(conn, id_, version)
            s.delete_children(conn, id_, version)
            conn.execute(delete(s.table).where(s.table.c.id == id_))
            if s.personal:
                record_erasure(conn, kind, version)
            else:
                record_deletion(conn, kind, id_, version)
        if s.personal:
            self.scrub()
        return version

    def scrub(self) -> None:
        """Leave no deleted bytes behind in the store's files, as far as the database allows
        (run after an erasure; see :func:`engine.store.dialects.scrub`)."""
        try:
            scrub(self.engine)
        except SQLAlchemyError as exc:
            log.warning("scrubbing the store after an erasure failed: %s", type(exc).__name__)

    def erased_since(self, kind: Entity, version: int) -> bool:
        """Whether records of ``kind`` were erased after ``version`` (their ids are not kept)."""
        d = t.deletions.c
        with self.engine.connect() as conn:
            q = select(d.id).where(d.entity == kind, d.version > version, d.id.startswith(ERASED)).limit(1)
            return conn.execute(q).first() is not None

    @staticmethod
    def _blockers(conn: Connection, kind: Entity, id_: str) -> str:
        checks = list(registry.spec(kind).blockers(conn, id_))
        for d in registry.dependents_of(kind):
            if d.blocker is not None:
                checks.extend(d.blocker(conn, id_))
        parts = []
        for what, q in checks:
            ids = list(conn.execute(q.limit(4)).scalars())
            if ids:
                more = ", ..." if len(ids) > 3 else ""
                parts.append(f"{what} {', '.join(ids[:3])}{more}")
        return "; ".join(parts)

    @staticmethod
    def _not_found(kind: Entity, id_: str) -> Exception:
        factory = registry.spec(kind).not_found
        return factory(id_) if factory is not None else NotFound(id_, f"{registry.spec(kind).what} {id_!r} not found")

    # -- reads ------------------------------------------------------------------------------------
    def get(self, kind: Entity, id_: str) -> BaseModel:
        found = self._load(kind, [id_])
        if not found:
            raise self._not_found(kind, id_)
        return found[0]  # type: ignore[no-any-return]

    def get_skill(self, id_: str) -> Skill:
        return self.get("skill", id_)  # type: ignore[return-value]

    def get_role(self, id_: str) -> Role:
        return self.get("role", id_)  # type: ignore[return-value]

    def get_employee(self, id_: str) -> Employee:
        return self.get("employee", id_)  # type: ignore[return-value]

    def get_learning_item(self, id_: str) -> LearningItem:
        return self.get("learning_item", id_)  # type: ignore[return-value]

    def exists(self, kind: Entity, id_: str) -> bool:
        table = registry.spec(kind).table
        with self.engine.connect() as conn:
            return conn.execute(select(table.c.id).where(table.c.id == id_)).first() is not None

    def load(self, kind: Entity, ids: Sequence[str]) -> list[BaseModel]:
        """Several records in one round of queries (missing ids are skipped), in the order given."""
        return self._load(kind, list(dict.fromkeys(ids))) if ids else []

    def get_protected(self, employee_id: str) -> ProtectedAttributes | None:
        """Audit-only access to an employee's protected attributes."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.employee_protected).where(t.employee_protected.c.employee_id == employee_id)
            ).first()
        return protected_from_row(row) if row is not None else None

    def list(self, kind: Entity, *, limit: int = 100, after: str | None = None) -> list[BaseModel]:
        """A page of records ordered by id, starting after the given id (cursor)."""
        table = registry.spec(kind).table
        q = select(table.c.id).order_by(table.c.id).limit(limit)
        if after is not None:
            q = q.where(table.c.id > after)
        with self.engine.connect() as conn:
            ids = list(conn.execute(q).scalars())
        return self._load(kind, ids)

    def all(self, kind: Entity) -> list[BaseModel]:
        return self._load(kind, None)

    def ids(self, kind: Entity) -> list[str]:
        table = registry.spec(kind).table
        with self.engine.connect() as conn:
            return list(conn.execute(select(table.c.id).order_by(table.c.id)).scalars())

    def count(self, kind: Entity) -> int:
        table = registry.spec(kind).table
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    def changed_since(self, kind: Entity, version: int) -> tuple[list[str], list[str]]:
        """(ids written after `version`, ids deleted after `version`).

        Erasures leave anonymous ``erased:...`` entries among the deleted ids (so "anything
        changed?" stays true); which records went is found with :meth:`erased_since` and a
        comparison of id sets.
        """
        table = registry.spec(kind).table
        with self.engine.connect() as conn:
            written = list(conn.execute(select(table.c.id).where(table.c.version > version)).scalars())
            gone = list(
                conn.execute(
                    select(t.deletions.c.id).where(t.deletions.c.entity == kind, t.deletions.c.version > version)
                ).scalars()
            )
        seen = set(written)
        return written, [g for g in gone if g not in seen]

    def employee_skill_rows(self) -> list[tuple[str, str, int]]:
        """(employee_id, skill_id, level) for everyone: the raw input of the skills matrix."""
        return [row for chunk in self.iter_employee_skill_rows() for row in chunk]

    def iter_employee_skill_rows(self, chunk: int = 50_000) -> Iterator[list[tuple[str, str, int]]]:
        """The same rows in chunks, so a 100k-employee build never holds millions of tuples."""
        s = t.employee_skills.c
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=chunk).execute(
                select(s.employee_id, s.skill_id, s.level)
            )
            for part in result.partitions(chunk):
                yield [tuple(r) for r in part]  # type: ignore[misc]

    def employee_rows(self) -> list[tuple[str, str, str | None, int, str, str]]:
        """(id, display_name, role_id, months_in_role, interests, mobility json); no protected attributes."""
        e = t.employees.c
        with self.engine.connect() as conn:
            q = select(e.id, e.display_name, e.role_id, e.months_in_role, e.interests, e.mobility).order_by(e.id)
            return [tuple(r) for r in conn.execute(q)]  # type: ignore[misc]

    # -- embedding cache (implements embeddings.TextCache) ---------------------------------------
    def get_many(self, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        c = t.embedding_cache.c
        with self.engine.connect() as conn:
            for chunk in chunks(list(keys), IN_CHUNK):
                rows = conn.execute(select(c.key, c.vector).where(c.key.in_(chunk), c.model_id == model_id))
                for key, blob in rows:
                    out[key] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put_many(self, model_id: str, items: Mapping[str, np.ndarray]) -> None:
        if not items:
            return
        with self.write() as conn:
            have: set[str] = set()
            for chunk in chunks(list(items), IN_CHUNK):
                have.update(
                    conn.execute(select(t.embedding_cache.c.key).where(t.embedding_cache.c.key.in_(chunk))).scalars()
                )
            rows = [
                {"key": k, "model_id": model_id, "vector": np.asarray(v, dtype=np.float32).tobytes()}
                for k, v in items.items()
                if k not in have
            ]
            for chunk in chunks(rows):
                conn.execute(insert_ignoring_duplicates(conn, t.embedding_cache), list(chunk))

    def forget_texts(self, keys: Sequence[str]) -> None:
        """Drop cached vectors (used on erasure: texts about a person go with them)."""
        with self.write() as conn:
            for chunk in chunks(list(keys), IN_CHUNK):
                conn.execute(delete(t.embedding_cache).where(t.embedding_cache.c.key.in_(chunk)))
        self.scrub()

    # -- loading models ---------------------------------------------------------------------------
    def _load(self, kind: Entity, ids: list[str] | None) -> list[Any]:
        with self.engine.connect() as conn:
            return registry.spec(kind).load(conn, ids)


# -- helpers ----------------------------------------------------------------------------------------
def _rid(rec: BaseModel) -> str:
    return rec.id  # type: ignore[attr-defined,no-any-return]


def _dedupe_last(recs: list[BaseModel]) -> list[BaseModel]:
    # Within one batch the last record for an id wins, as it would in sequential writes.
    return list({_rid(r): r for r in recs}.values())
