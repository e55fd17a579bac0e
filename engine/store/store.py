"""The SQL store: source of truth for skills, roles, employees, learning items and transitions.

SQLite file by default (WAL mode), PostgreSQL by URL. Every write bumps a version counter in the
same transaction; derived data (indexes, matrices, graph) records the version it was built from.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import numpy as np
from pydantic import BaseModel
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from engine.errors import ConfigError, Conflict, InvalidInput, NotFound
from engine.models import (
    Employee,
    EmployeeSkill,
    LearningItem,
    MobilityPreferences,
    ProtectedAttributes,
    Requirement,
    Role,
    Skill,
    SkillTaught,
    Transition,
)
from engine.store import tables as t

__all__ = ["Entity", "Store", "UpsertResult"]

Entity = Literal["skill", "role", "employee", "learning_item", "transition"]
M = TypeVar("M", bound=BaseModel)

_PARENT = {
    "skill": t.skills,
    "role": t.roles,
    "employee": t.employees,
    "learning_item": t.learning_items,
    "transition": t.transitions,
}
# Dependency order: referenced entities are written before the records that reference them.
_ORDER: tuple[Entity, ...] = ("skill", "role", "learning_item", "employee", "transition")
_KIND_OF: dict[type, Entity] = {
    Skill: "skill",
    Role: "role",
    Employee: "employee",
    LearningItem: "learning_item",
    Transition: "transition",
}


def _hash(record: BaseModel) -> str:
    payload = json.dumps(record.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _chunks(seq: Sequence[Any], n: int = 2000) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @property
    def written(self) -> int:
        return self.created + self.updated


class Store:
    """Typed access to the SQL store. Cheap to construct: nothing connects until first use."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url, echo=echo, future=True, pool_pre_ping=True)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise ConfigError(f"bad store URL {url!r}: {exc}") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._store_id: str | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def init(self) -> Store:
        """Create tables if missing (idempotent) and the version row."""
        try:
            t.metadata.create_all(self.engine)
            with self.engine.begin() as conn:
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
        t.metadata.drop_all(self.engine)
        self._store_id = None

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
    def _bump(conn: Connection) -> int:
        # FOR UPDATE serialises concurrent writers on PostgreSQL; SQLite serialises writes anyway.
        key = t.meta.c.key == "version"
        n = int(conn.execute(select(t.meta.c.value).where(key).with_for_update()).scalar_one()) + 1
        conn.execute(update(t.meta).where(key).values(value=str(n)))
        return n

    # -- validation -------------------------------------------------------------------------------
    def _existing(self, conn: Connection, kind: Entity, ids: Iterable[str]) -> set[str]:
        table = _PARENT[kind]
        found: set[str] = set()
        wanted = sorted(set(ids))
        for chunk in _chunks(wanted, 900):
            found.update(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
        return found

    def check_references(self, records: Sequence[BaseModel]) -> list[str | None]:
        """Per record: None when every id it references exists (in the store or the batch), else why not."""
        refs: dict[Entity, set[str]] = {k: set() for k in _ORDER}
        batch: dict[Entity, set[str]] = {k: set() for k in _ORDER}
        for rec in records:
            kind = _KIND_OF[type(rec)]
            if kind != "transition":
                batch[kind].add(rec.id)  # type: ignore[attr-defined]
            for ref_kind, ref in _references(rec):
                refs[ref_kind].add(ref)
        with self.engine.connect() as conn:
            known = {k: batch[k] | self._existing(conn, k, refs[k] - batch[k]) for k in _ORDER}
        out: list[str | None] = []
        for rec in records:
            missing = [f"unknown {k.replace('_', ' ')} {r!r}" for k, r in _references(rec) if r not in known[k]]
            out.append("; ".join(dict.fromkeys(missing)) or None)
        return out

    # -- writes -----------------------------------------------------------------------------------
    def upsert(self, records: Sequence[BaseModel]) -> UpsertResult:
        """Insert or replace records (any mix of types) in one transaction.

        Raises InvalidInput naming every unresolved reference; nothing is written then.
        Records equal to what is stored are skipped, so re-imports change nothing.
        """
        problems = [(r, p) for r, p in zip(records, self.check_references(records), strict=True) if p]
        if problems:
            detail = "; ".join(f"{_KIND_OF[type(r)]} {_rid(r)!r}: {p}" for r, p in problems[:20])
            raise InvalidInput(detail)
        by_kind: dict[Entity, list[BaseModel]] = {k: [] for k in _ORDER}
        for rec in records:
            by_kind[_KIND_OF[type(rec)]].append(rec)
        result = UpsertResult()
        with self.engine.begin() as conn:
            version: int | None = None
            for kind in _ORDER:
                recs = _dedupe_last(by_kind[kind])
                if not recs:
                    continue
                hashes = {_rid(r): _hash(r) for r in recs}
                table = _PARENT[kind]
                stored: dict[str, str] = {}
                for chunk in _chunks(list(hashes), 900):
                    stored.update(
                        conn.execute(select(table.c.id, table.c.content_hash).where(table.c.id.in_(chunk))).all()  # type: ignore[arg-type]
                    )
                changed = [r for r in recs if stored.get(_rid(r)) != hashes[_rid(r)]]
                result.unchanged += len(recs) - len(changed)
                if not changed:
                    continue
                if version is None:
                    version = self._bump(conn)
                new = [r for r in changed if _rid(r) not in stored]
                result.created += len(new)
                result.updated += len(changed) - len(new)
                result.ids.setdefault(kind, []).extend(_rid(r) for r in changed)
                _WRITERS[kind](conn, changed, hashes, version, {_rid(r) for r in changed} - {_rid(r) for r in new})
        return result

    def delete(self, kind: Entity, id_: str) -> None:
        """Delete one record. Deleting an employee removes every row about them."""
        table = _PARENT[kind]
        with self.engine.begin() as conn:
            if not conn.execute(select(table.c.id).where(table.c.id == id_)).first():
                raise _not_found(kind, id_)
            blockers = _delete_blockers(conn, kind, id_)
            if blockers:
                raise Conflict(f"{kind.replace('_', ' ')} {id_!r} is still referenced by {blockers}")
            version = self._bump(conn)
            if kind == "employee":
                # Erasure: children cascade in SQL, but delete explicitly so SQLite without FK works too.
                conn.execute(delete(t.employee_skills).where(t.employee_skills.c.employee_id == id_))
                conn.execute(delete(t.employee_protected).where(t.employee_protected.c.employee_id == id_))
                moved = conn.execute(select(t.transitions.c.id).where(t.transitions.c.employee_id == id_)).scalars()
                for tid in list(moved):
                    _record_deletion(conn, "transition", tid, version)
                conn.execute(delete(t.transitions).where(t.transitions.c.employee_id == id_))
            elif kind == "role":
                conn.execute(delete(t.role_requirements).where(t.role_requirements.c.role_id == id_))
                conn.execute(delete(t.role_next).where(t.role_next.c.role_id == id_))
            elif kind == "learning_item":
                conn.execute(delete(t.learning_skills).where(t.learning_skills.c.item_id == id_))
            conn.execute(delete(table).where(table.c.id == id_))
            _record_deletion(conn, kind, id_, version)

    # -- reads ------------------------------------------------------------------------------------
    def get(self, kind: Entity, id_: str) -> BaseModel:
        found = self._load(kind, [id_])
        if not found:
            raise _not_found(kind, id_)
        return found[0]

    def get_skill(self, id_: str) -> Skill:
        return self.get("skill", id_)  # type: ignore[return-value]

    def get_role(self, id_: str) -> Role:
        return self.get("role", id_)  # type: ignore[return-value]

    def get_employee(self, id_: str) -> Employee:
        return self.get("employee", id_)  # type: ignore[return-value]

    def get_learning_item(self, id_: str) -> LearningItem:
        return self.get("learning_item", id_)  # type: ignore[return-value]

    def load(self, kind: Entity, ids: Sequence[str]) -> list[BaseModel]:
        """Several records in one round of queries (missing ids are skipped), in the order given."""
        return self._load(kind, list(dict.fromkeys(ids))) if ids else []

    def get_protected(self, employee_id: str) -> ProtectedAttributes | None:
        """Audit-only access to an employee's protected attributes."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.employee_protected).where(t.employee_protected.c.employee_id == employee_id)
            ).first()
        return _protected(row) if row is not None else None

    def list(self, kind: Entity, *, limit: int = 100, after: str | None = None) -> list[BaseModel]:
        """A page of records ordered by id, starting after the given id (cursor)."""
        table = _PARENT[kind]
        q = select(table.c.id).order_by(table.c.id).limit(limit)
        if after is not None:
            q = q.where(table.c.id > after)
        with self.engine.connect() as conn:
            ids = list(conn.execute(q).scalars())
        return self._load(kind, ids)

    def all(self, kind: Entity) -> list[BaseModel]:
        return self._load(kind, None)

    def ids(self, kind: Entity) -> list[str]:
        table = _PARENT[kind]
        with self.engine.connect() as conn:
            return list(conn.execute(select(table.c.id).order_by(table.c.id)).scalars())

    def count(self, kind: Entity) -> int:
        table = _PARENT[kind]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    def changed_since(self, kind: Entity, version: int) -> tuple[list[str], list[str]]:
        """(ids written after `version`, ids deleted after `version`)."""
        table = _PARENT[kind]
        with self.engine.connect() as conn:
            written = list(conn.execute(select(table.c.id).where(table.c.version > version)).scalars())
            gone = list(
                conn.execute(
                    select(t.deletions.c.id).where(t.deletions.c.entity == kind, t.deletions.c.version > version)
                ).scalars()
            )
        return written, [g for g in gone if g not in set(written)]

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
            for chunk in _chunks(list(keys), 900):
                rows = conn.execute(select(c.key, c.vector).where(c.key.in_(chunk), c.model_id == model_id))
                for key, blob in rows:
                    out[key] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put_many(self, model_id: str, items: Mapping[str, np.ndarray]) -> None:
        if not items:
            return
        with self.engine.begin() as conn:
            have: set[str] = set()
            for chunk in _chunks(list(items), 900):
                have.update(
                    conn.execute(select(t.embedding_cache.c.key).where(t.embedding_cache.c.key.in_(chunk))).scalars()
                )
            rows = [
                {"key": k, "model_id": model_id, "vector": np.asarray(v, dtype=np.float32).tobytes()}
                for k, v in items.items()
                if k not in have
            ]
            for chunk in _chunks(rows):
                conn.execute(insert(t.embedding_cache), list(chunk))

    def forget_texts(self, keys: Sequence[str]) -> None:
        """Drop cached vectors (used on erasure: texts about a person go with them)."""
        with self.engine.begin() as conn:
            for chunk in _chunks(list(keys), 900):
                conn.execute(delete(t.embedding_cache).where(t.embedding_cache.c.key.in_(chunk)))

    # -- loading models ---------------------------------------------------------------------------
    def _load(self, kind: Entity, ids: list[str] | None) -> list[Any]:
        with self.engine.connect() as conn:
            return _LOADERS[kind](conn, ids)


# -- helpers ----------------------------------------------------------------------------------------
def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _rid(rec: BaseModel) -> str:
    return rec.id  # type: ignore[attr-defined,no-any-return]


def _dedupe_last(recs: list[BaseModel]) -> list[BaseModel]:
    # Within one batch the last record for an id wins, as it would in sequential writes.
    return list({_rid(r): r for r in recs}.values())


def _references(rec: BaseModel) -> Iterator[tuple[Entity, str]]:
    if isinstance(rec, Skill):
        if rec.parent_id:
            yield "skill", rec.parent_id
    elif isinstance(rec, Role):
        for r in rec.requirements:
            yield "skill", r.skill_id
        for n in rec.next_role_ids:
            yield "role", n
    elif isinstance(rec, Employee):
        if rec.role_id:
            yield "role", rec.role_id
        for s in rec.skills:
            yield "skill", s.skill_id
    elif isinstance(rec, LearningItem):
        for s in rec.skills:
            yield "skill", s.skill_id
    elif isinstance(rec, Transition):
        yield "role", rec.from_role_id
        yield "role", rec.to_role_id
        if rec.employee_id:
            yield "employee", rec.employee_id


def _not_found(kind: Entity, id_: str) -> NotFound:
    from engine import errors

    cls = {
        "skill": errors.SkillNotFound,
        "role": errors.RoleNotFound,
        "employee": errors.EmployeeNotFound,
        "learning_item": errors.LearningItemNotFound,
    }.get(kind, NotFound)
    return cls(id_)


def _record_deletion(conn: Connection, kind: str, id_: str, version: int) -> None:
    conn.execute(delete(t.deletions).where(t.deletions.c.entity == kind, t.deletions.c.id == id_))
    conn.execute(insert(t.deletions), [{"entity": kind, "id": id_, "version": version}])


def _clear_deletions(conn: Connection, kind: str, ids: Iterable[str]) -> None:
    for chunk in _chunks(list(ids), 900):
        conn.execute(delete(t.deletions).where(t.deletions.c.entity == kind, t.deletions.c.id.in_(chunk)))


def _delete_blockers(conn: Connection, kind: Entity, id_: str) -> str:
    checks: list[tuple[str, Any]] = []
    if kind == "skill":
        checks = [
            ("roles", select(t.role_requirements.c.role_id).where(t.role_requirements.c.skill_id == id_)),
            ("employees", select(t.employee_skills.c.employee_id).where(t.employee_skills.c.skill_id == id_)),
            ("learning items", select(t.learning_skills.c.item_id).where(t.learning_skills.c.skill_id == id_)),
            ("skills", select(t.skills.c.id).where(t.skills.c.parent_id == id_)),
        ]
    elif kind == "role":
        checks = [
            ("employees", select(t.employees.c.id).where(t.employees.c.role_id == id_)),
            ("roles", select(t.role_next.c.role_id).where(t.role_next.c.next_role_id == id_)),
        ]
    parts = []
    for what, q in checks:
        ids = list(conn.execute(q.limit(4)).scalars())
        if ids:
            more = ", ..." if len(ids) > 3 else ""
            parts.append(f"{what} {', '.join(ids[:3])}{more}")
    return "; ".join(parts)


def _replace_children(conn: Connection, table: Any, key_col: str, ids: set[str], rows: list[dict[str, Any]]) -> None:
    col = table.c[key_col]
    for chunk in _chunks(sorted(ids), 900):
        conn.execute(delete(table).where(col.in_(chunk)))
    for chunk in _chunks(rows, 5000):
        conn.execute(insert(table), list(chunk))


def _write_parents(conn: Connection, kind: Entity, rows: list[dict[str, Any]], existing: set[str]) -> None:
    table = _PARENT[kind]
    if existing:
        for chunk in _chunks(sorted(existing), 900):
            conn.execute(delete(table).where(table.c.id.in_(chunk)))
    for chunk in _chunks(rows, 5000):
        conn.execute(insert(table), list(chunk))
    _clear_deletions(conn, kind, [r["id"] for r in rows])


def _write_skills(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    rows = [
        {
            "id": s.id,
            "name": s.name,
            "category": s.category,
            "parent_id": s.parent_id,
            "external_code": s.external_code,
            "description": s.description,
            "aliases": json.dumps(s.aliases),
            "content_hash": hashes[s.id],
            "version": v,
        }
        for s in recs
    ]
    _write_parents(conn, "skill", rows, existing)


def _write_roles(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    _replace_children(conn, t.role_requirements, "role_id", existing, [])
    _replace_children(conn, t.role_next, "role_id", existing, [])
    rows = [
        {
            "id": r.id,
            "title": r.title,
            "family": r.family,
            "level": r.level,
            "track": r.track,
            "description": r.description,
            "open_positions": r.open_positions,
            "content_hash": hashes[r.id],
            "version": v,
        }
        for r in recs
    ]
    _write_parents(conn, "role", rows, existing)
    reqs = [
        {"role_id": r.id, "skill_id": q.skill_id, "level": q.level, "weight": q.weight}
        for r in recs
        for q in r.requirements
    ]
    nxt = [{"role_id": r.id, "next_role_id": n, "position": i} for r in recs for i, n in enumerate(r.next_role_ids)]
    _replace_children(conn, t.role_requirements, "role_id", set(), reqs)
    _replace_children(conn, t.role_next, "role_id", set(), nxt)


def _write_employees(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    for table in (t.employee_skills, t.employee_protected):
        _replace_children(conn, table, "employee_id", existing, [])
    rows = [
        {
            "id": e.id,
            "display_name": e.display_name,
            "role_id": e.role_id,
            "months_in_role": e.months_in_role,
            "interests": e.interests,
            "mobility": e.mobility.model_dump_json(),
            "content_hash": hashes[e.id],
            "version": v,
        }
        for e in recs
    ]
    _write_parents(conn, "employee", rows, existing)
    skills = [
        {
            "employee_id": e.id,
            "skill_id": s.skill_id,
            "level": s.level,
            "source": s.source,
            "updated_at": s.updated_at.isoformat() if s.updated_at else None,
        }
        for e in recs
        for s in e.skills
    ]
    prot = [
        {"employee_id": e.id, **e.protected.model_dump()}
        for e in recs
        if e.protected is not None and any(e.protected.model_dump().values())
    ]
    _replace_children(conn, t.employee_skills, "employee_id", set(), skills)
    _replace_children(conn, t.employee_protected, "employee_id", set(), prot)


def _write_learning(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    _replace_children(conn, t.learning_skills, "item_id", existing, [])
    rows = [
        {
            "id": i.id,
            "title": i.title,
            "description": i.description,
            "provider": i.provider,
            "format": i.format,
            "hours": i.hours,
            "content_hash": hashes[i.id],
            "version": v,
        }
        for i in recs
    ]
    _write_parents(conn, "learning_item", rows, existing)
    taught = [{"item_id": i.id, "skill_id": s.skill_id, "to_level": s.to_level} for i in recs for s in i.skills]
    _replace_children(conn, t.learning_skills, "item_id", set(), taught)


def _write_transitions(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    rows = [
        {
            "id": r.id,
            "from_role_id": r.from_role_id,
            "to_role_id": r.to_role_id,
            "date": r.date.isoformat() if r.date else None,
            "employee_id": r.employee_id,
            "content_hash": hashes[r.id],
            "version": v,
        }
        for r in recs
    ]
    _write_parents(conn, "transition", rows, existing)


_WRITERS = {
    "skill": _write_skills,
    "role": _write_roles,
    "employee": _write_employees,
    "learning_item": _write_learning,
    "transition": _write_transitions,
}


def _group(rows: Iterable[Any], key: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for r in rows:
        out.setdefault(getattr(r, key), []).append(r)
    return out


def _fetch(conn: Connection, table: Any, ids: list[str] | None, col: str = "id") -> list[Any]:
    if ids is None:
        return list(conn.execute(select(table)))
    out: list[Any] = []
    for chunk in _chunks(ids, 900):
        out.extend(conn.execute(select(table).where(table.c[col].in_(chunk))))
    return out


def _order(rows: list[Any], ids: list[str] | None) -> list[Any]:
    if ids is None:
        return sorted(rows, key=lambda r: r.id)
    pos = {i: n for n, i in enumerate(ids)}
    return sorted(rows, key=lambda r: pos[r.id])


def _load_skills(conn: Connection, ids: list[str] | None) -> list[Skill]:
    return [
        Skill.model_construct(
            id=r.id,
            name=r.name,
            aliases=json.loads(r.aliases),
            category=r.category,
            parent_id=r.parent_id,
            external_code=r.external_code,
            description=r.description,
        )
        for r in _order(_fetch(conn, t.skills, ids), ids)
    ]


def _load_roles(conn: Connection, ids: list[str] | None) -> list[Role]:
    parents = _order(_fetch(conn, t.roles, ids), ids)
    pids = [p.id for p in parents] if ids is not None else None
    reqs = _group(_fetch(conn, t.role_requirements, pids, "role_id"), "role_id")
    nxt = _group(_fetch(conn, t.role_next, pids, "role_id"), "role_id")
    return [
        Role.model_construct(
            id=p.id,
            title=p.title,
            family=p.family,
            level=p.level,
            track=p.track,
            description=p.description,
            open_positions=p.open_positions,
            requirements=[
                Requirement.model_construct(skill_id=q.skill_id, level=q.level, weight=q.weight)
                for q in sorted(reqs.get(p.id, []), key=lambda q: q.skill_id)
            ],
            next_role_ids=[n.next_role_id for n in sorted(nxt.get(p.id, []), key=lambda n: n.position)],
        )
        for p in parents
    ]


def _protected(row: Any) -> ProtectedAttributes:
    return ProtectedAttributes(sex=row.sex, race_ethnicity=row.race_ethnicity, age_band=row.age_band)


def _load_employees(conn: Connection, ids: list[str] | None) -> list[Employee]:
    from datetime import datetime

    parents = _order(_fetch(conn, t.employees, ids), ids)
    pids = [p.id for p in parents] if ids is not None else None
    skills = _group(_fetch(conn, t.employee_skills, pids, "employee_id"), "employee_id")
    prot = {r.employee_id: r for r in _fetch(conn, t.employee_protected, pids, "employee_id")}
    out = []
    for p in parents:
        pr = prot.get(p.id)
        out.append(
            Employee.model_construct(
                id=p.id,
                display_name=p.display_name,
                role_id=p.role_id,
                months_in_role=p.months_in_role,
                interests=p.interests,
                mobility=MobilityPreferences.model_validate_json(p.mobility),
                skills=[
                    EmployeeSkill.model_construct(
                        skill_id=s.skill_id,
                        level=s.level,
                        source=s.source,
                        updated_at=datetime.fromisoformat(s.updated_at) if s.updated_at else None,
                    )
                    for s in sorted(skills.get(p.id, []), key=lambda s: s.skill_id)
                ],
                protected=_protected(pr) if pr is not None else None,
            )
        )
    return out


def _load_learning(conn: Connection, ids: list[str] | None) -> list[LearningItem]:
    parents = _order(_fetch(conn, t.learning_items, ids), ids)
    pids = [p.id for p in parents] if ids is not None else None
    taught = _group(_fetch(conn, t.learning_skills, pids, "item_id"), "item_id")
    return [
        LearningItem.model_construct(
            id=p.id,
            title=p.title,
            description=p.description,
            provider=p.provider,
            format=p.format,
            hours=p.hours,
            skills=[
                SkillTaught.model_construct(skill_id=s.skill_id, to_level=s.to_level)
                for s in sorted(taught.get(p.id, []), key=lambda s: s.skill_id)
            ],
        )
        for p in parents
    ]


def _load_transitions(conn: Connection, ids: list[str] | None) -> list[Transition]:
    from datetime import date

    return [
        Transition.model_construct(
            id=r.id,
            from_role_id=r.from_role_id,
            to_role_id=r.to_role_id,
            date=date.fromisoformat(r.date) if r.date else None,
            employee_id=r.employee_id,
        )
        for r in _order(_fetch(conn, t.transitions, ids), ids)
    ]


_LOADERS = {
    "skill": _load_skills,
    "role": _load_roles,
    "employee": _load_employees,
    "learning_item": _load_learning,
    "transition": _load_transitions,
}
