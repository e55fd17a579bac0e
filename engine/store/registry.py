"""What the store knows about each record type, one module per type.

Each entity module (``engine.store.skills``, ``...roles`` and so on) describes its table, how to
write and load its records, which other records it references and what hangs on it. The
:class:`~engine.store.store.Store` only orchestrates: validation, versions, transactions.

A new record type gets its own module with a ``SPEC`` (and its own tables on
:data:`engine.store.tables.metadata`) and one line in :data:`ENTITY_MODULES`. Rows of other
modules that depend on a record (a mentorship on an employee, a decision-log row on its subject)
are declared as :class:`Dependent` entries in ``DEPENDENTS`` of the module that owns those rows,
listed in :data:`DEPENDENT_MODULES`; the store cleans them on delete or refuses the delete.
Checks that need the stored records and the whole batch (a cycle in the manager tree) are
:class:`Check` entries in ``CHECKS`` of a module listed there too.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Table

__all__ = [
    "DEPENDENT_MODULES",
    "ENTITY_MODULES",
    "Blocker",
    "Check",
    "Dependent",
    "EntitySpec",
    "checks_of",
    "dependents_of",
    "kind_of",
    "ordered",
    "spec",
    "specs",
]

# (what, query returning ids): a delete is refused while the query finds rows.
Blocker = tuple[str, Any]
Writer = Callable[[Connection, list[Any], dict[str, str], int, set[str]], None]
Loader = Callable[[Connection, "list[str] | None"], list[Any]]


def _no_refs(_record: Any) -> Iterator[tuple[str, str]]:
    return iter(())


def _no_blockers(_conn: Connection, _id: str) -> list[Blocker]:
    return []


def _no_children(_conn: Connection, _id: str, _version: int) -> None:
    return None


@dataclass(frozen=True)
class EntitySpec:
    """One record type.

    ``write(conn, changed_records, hashes, version, existing_ids)`` replaces the rows of the given
    records (``existing_ids`` are already stored); ``load(conn, ids_or_None)`` returns models in
    the order of ``ids`` (all, sorted by id, for None). ``references(record)`` yields the
    ``(kind, id)`` pairs a record points at; ``blockers(conn, id)`` lists queries that must find
    nothing before ``id`` may be deleted; ``delete_children(conn, id, version)`` removes the
    record's own child rows (the parent row itself is removed by the store).
    ``complete(conn, records)``, when set, fills in what a write leaves out and keeps (an employee
    without ``protected`` keeps the stored attributes) before records are compared and written.
    ``order`` is the write order of a mixed batch: referenced types first.
    ``personal``: a record about a person; deleting one is an erasure (its tombstone names no id,
    and the store scrubs its files afterwards: :meth:`engine.store.Store.scrub`).
    """

    kind: str
    model: type[BaseModel]
    table: Table
    write: Writer
    load: Loader
    order: int
    references: Callable[[Any], Iterator[tuple[str, str]]] = _no_refs
    blockers: Callable[[Connection, str], list[Blocker]] = _no_blockers
    delete_children: Callable[[Connection, str, int], None] = _no_children
    not_found: Callable[[str], Exception] | None = None
    label: str = ""
    complete: Callable[[Connection, list[Any]], list[Any]] | None = None
    personal: bool = False

    @property
    def what(self) -> str:
        return self.label or self.kind.replace("_", " ")


@dataclass(frozen=True)
class Dependent:
    """Rows of one module that hang on a record of ``kind``.

    ``cleanup(conn, id, version)`` runs in the delete transaction (erasure: the rows go with the
    record); ``blocker(conn, id)`` returns queries that refuse the delete while they find rows.
    """

    kind: str
    cleanup: Callable[[Connection, str, int], None] | None = None
    blocker: Callable[[Connection, str], list[Blocker]] | None = None
    name: str = field(default="")


@dataclass(frozen=True)
class Check:
    """A batch check for records of ``kind``: ``run(conn, records)`` returns, per record, None or
    why it is refused. It sees the stored rows (through ``conn``) and the whole batch of that kind."""

    kind: str
    run: Callable[[Connection, list[Any]], list[str | None]]


# Every record type, in one place: add a module here to add a type.
ENTITY_MODULES: tuple[str, ...] = (
    "engine.store.skills",
    "engine.store.roles",
    "engine.store.learning",
    "engine.store.employees",
    "engine.store.transitions",
    "engine.store.openings",
    "engine.store.opportunities",
    "engine.store.assignments",
    "engine.store.mentorships",
)
# Modules whose rows depend on records of other types (they export DEPENDENTS and/or CHECKS).
DEPENDENT_MODULES: tuple[str, ...] = (
    "engine.store.managers",
    "engine.store.web_sessions",
    "engine.store.decisions",
    "engine.store.overrides",
    "engine.store.protected_reads",
    "engine.store.roster",
)


@cache
def _registry() -> dict[str, EntitySpec]:
    out: dict[str, EntitySpec] = {}
    for name in ENTITY_MODULES:
        s: EntitySpec = importlib.import_module(name).SPEC
        if s.kind in out:
            raise RuntimeError(f"record type {s.kind!r} is registered twice")
        out[s.kind] = s
    return out


@cache
def _dependents() -> dict[str, tuple[Dependent, ...]]:
    by_kind: dict[str, list[Dependent]] = {}
    for name in (*ENTITY_MODULES, *DEPENDENT_MODULES):
        for d in getattr(importlib.import_module(name), "DEPENDENTS", ()):
            by_kind.setdefault(d.kind, []).append(d)
    return {k: tuple(v) for k, v in by_kind.items()}


@cache
def _checks() -> dict[str, tuple[Check, ...]]:
    by_kind: dict[str, list[Check]] = {}
    for name in (*ENTITY_MODULES, *DEPENDENT_MODULES):
        for c in getattr(importlib.import_module(name), "CHECKS", ()):
            by_kind.setdefault(c.kind, []).append(c)
    return {k: tuple(v) for k, v in by_kind.items()}


def load_all_tables() -> None:
    """Import every module that defines tables, so ``metadata.create_all`` sees them."""
    _registry()
    _dependents()


def specs() -> dict[str, EntitySpec]:
    return _registry()


def spec(kind: str) -> EntitySpec:
    try:
        return _registry()[kind]
    except KeyError:
        known = ", ".join(_registry())
        raise ValueError(f"unknown record type {kind!r} (known: {known})") from None


def ordered() -> Sequence[EntitySpec]:
    return sorted(_registry().values(), key=lambda s: s.order)


@cache
def _by_model() -> dict[type, str]:
    return {s.model: s.kind for s in _registry().values()}


def kind_of(record: BaseModel) -> str:
    try:
        return _by_model()[type(record)]
    except KeyError:
        raise ValueError(f"not a storable record: {type(record).__name__}") from None


def dependents_of(kind: str) -> tuple[Dependent, ...]:
    return _dependents().get(kind, ())


def checks_of(kind: str) -> tuple[Check, ...]:
    return _checks().get(kind, ())
