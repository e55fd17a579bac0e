"""Roles: parent rows, requirements and ladder (next roles) as child rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, delete, select

from engine.errors import RoleNotFound
from engine.models import Requirement, Role
from engine.store import tables as t
from engine.store.registry import Blocker, EntitySpec
from engine.store.rows import fetch, group, in_order, replace_children, write_parents

__all__ = ["SPEC"]


def _write(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    replace_children(conn, t.role_requirements, "role_id", existing, [])
    replace_children(conn, t.role_next, "role_id", existing, [])
    rows = [
        {
            "id": r.id,
            "title": r.title,
            "family": r.family,
            "level": r.level,
            "track": r.track,
            "description": r.description,
            "open_positions": r.open_positions,
            "critical": 1 if r.critical else 0,
            "content_hash": hashes[r.id],
            "version": v,
        }
        for r in recs
    ]
    write_parents(conn, "role", t.roles, rows, existing)
    reqs = [
        {"role_id": r.id, "skill_id": q.skill_id, "level": q.level, "weight": q.weight}
        for r in recs
        for q in r.requirements
    ]
    nxt = [{"role_id": r.id, "next_role_id": n, "position": i} for r in recs for i, n in enumerate(r.next_role_ids)]
    replace_children(conn, t.role_requirements, "role_id", set(), reqs)
    replace_children(conn, t.role_next, "role_id", set(), nxt)


def _load(conn: Connection, ids: list[str] | None) -> list[Role]:
    parents = in_order(fetch(conn, t.roles, ids), ids)
    pids = [p.id for p in parents] if ids is not None else None
    reqs = group(fetch(conn, t.role_requirements, pids, "role_id"), "role_id")
    nxt = group(fetch(conn, t.role_next, pids, "role_id"), "role_id")
    return [
        Role.model_construct(
            id=p.id,
            title=p.title,
            family=p.family,
            level=p.level,
            track=p.track,
            description=p.description,
            open_positions=p.open_positions,
            critical=bool(p.critical),
            requirements=[
                Requirement.model_construct(skill_id=q.skill_id, level=q.level, weight=q.weight)
                for q in sorted(reqs.get(p.id, []), key=lambda q: q.skill_id)
            ],
            next_role_ids=[n.next_role_id for n in sorted(nxt.get(p.id, []), key=lambda n: n.position)],
        )
        for p in parents
    ]


def _references(rec: Role) -> Iterator[tuple[str, str]]:
    for r in rec.requirements:
        yield "skill", r.skill_id
    for n in rec.next_role_ids:
        yield "role", n


def _blockers(conn: Connection, id_: str) -> list[Blocker]:
    return [
        ("employees", select(t.employees.c.id).where(t.employees.c.role_id == id_)),
        ("roles", select(t.role_next.c.role_id).where(t.role_next.c.next_role_id == id_)),
    ]


def _delete_children(conn: Connection, id_: str, _version: int) -> None:
    conn.execute(delete(t.role_requirements).where(t.role_requirements.c.role_id == id_))
    conn.execute(delete(t.role_next).where(t.role_next.c.role_id == id_))


SPEC = EntitySpec(
    kind="role",
    model=Role,
    table=t.roles,
    write=_write,
    load=_load,
    order=20,
    references=_references,
    blockers=_blockers,
    delete_children=_delete_children,
    not_found=RoleNotFound,
)
