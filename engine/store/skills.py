"""Skills: table rows, loader, references (parent skill) and what blocks a delete."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select

from engine.errors import SkillNotFound
from engine.models import Skill
from engine.store import tables as t
from engine.store.registry import Blocker, EntitySpec
from engine.store.rows import fetch, in_order, write_parents

__all__ = ["SPEC"]


def _write(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
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
    write_parents(conn, "skill", t.skills, rows, existing)


def _load(conn: Connection, ids: list[str] | None) -> list[Skill]:
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
        for r in in_order(fetch(conn, t.skills, ids), ids)
    ]


def _references(rec: Skill) -> Iterator[tuple[str, str]]:
    if rec.parent_id:
        yield "skill", rec.parent_id


def _blockers(conn: Connection, id_: str) -> list[Blocker]:
    return [
        ("roles", select(t.role_requirements.c.role_id).where(t.role_requirements.c.skill_id == id_)),
        ("employees", select(t.employee_skills.c.employee_id).where(t.employee_skills.c.skill_id == id_)),
        ("learning items", select(t.learning_skills.c.item_id).where(t.learning_skills.c.skill_id == id_)),
        ("skills", select(t.skills.c.id).where(t.skills.c.parent_id == id_)),
    ]


SPEC = EntitySpec(
    kind="skill",
    model=Skill,
    table=t.skills,
    write=_write,
    load=_load,
    order=10,
    references=_references,
    blockers=_blockers,
    not_found=SkillNotFound,
)
