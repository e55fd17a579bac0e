"""Learning items and the skills each teaches (child rows)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, delete

from engine.errors import LearningItemNotFound
from engine.models import LearningItem, SkillTaught
from engine.store import tables as t
from engine.store.registry import EntitySpec
from engine.store.rows import fetch, group, in_order, replace_children, write_parents

__all__ = ["SPEC"]


def _write(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    replace_children(conn, t.learning_skills, "item_id", existing, [])
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
    write_parents(conn, "learning_item", t.learning_items, rows, existing)
    taught = [{"item_id": i.id, "skill_id": s.skill_id, "to_level": s.to_level} for i in recs for s in i.skills]
    replace_children(conn, t.learning_skills, "item_id", set(), taught)


def _load(conn: Connection, ids: list[str] | None) -> list[LearningItem]:
    parents = in_order(fetch(conn, t.learning_items, ids), ids)
    pids = [p.id for p in parents] if ids is not None else None
    taught = group(fetch(conn, t.learning_skills, pids, "item_id"), "item_id")
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


def _references(rec: LearningItem) -> Iterator[tuple[str, str]]:
    for s in rec.skills:
        yield "skill", s.skill_id


def _delete_children(conn: Connection, id_: str, _version: int) -> None:
    conn.execute(delete(t.learning_skills).where(t.learning_skills.c.item_id == id_))


SPEC = EntitySpec(
    kind="learning_item",
    model=LearningItem,
    table=t.learning_items,
    write=_write,
    load=_load,
    order=30,
    references=_references,
    delete_children=_delete_children,
    not_found=LearningItemNotFound,
)
