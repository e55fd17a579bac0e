"""Opportunities (gigs, stretch projects, rotations) and the skills each develops (child rows).

Erasing the owner keeps the opportunity and nulls ``owner_id``. A skill an opportunity develops
cannot be deleted while it does (like a skill a role requires).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, Float, ForeignKey, Integer, String, Table, Text, delete, select

from engine.models import Opportunity, OpportunitySkill
from engine.store import tables as t
from engine.store.refs import detach
from engine.store.registry import Blocker, Dependent, EntitySpec
from engine.store.rows import fetch, group, in_order, replace_children, write_parents

__all__ = ["DEPENDENTS", "SPEC", "opportunities", "opportunity_skills"]

opportunities = Table(
    "sg_opportunities",
    t.metadata,
    Column("id", String(t.ID), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("hours", Float, nullable=False),
    Column("starts_at", String(10)),
    Column("ends_at", String(10)),
    Column("capacity", Integer, nullable=False),
    Column("owner_id", String(t.ID)),
    Column("status", String(20), nullable=False),
    Column("families", Text, nullable=False, server_default="[]"),  # JSON list
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False),
)

opportunity_skills = Table(
    "sg_opportunity_skills",
    t.metadata,
    Column("opportunity_id", String(t.ID), ForeignKey("sg_opportunities.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", String(t.ID), primary_key=True),
    Column("to_level", Integer, nullable=False),
)


def _d(v: str | None) -> date | None:
    return date.fromisoformat(v) if v else None


def _write(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    replace_children(conn, opportunity_skills, "opportunity_id", existing, [])
    rows = [
        {
            "id": o.id,
            "title": o.title,
            "kind": o.kind,
            "description": o.description,
            "hours": o.hours,
            "starts_at": o.starts_at.isoformat() if o.starts_at else None,
            "ends_at": o.ends_at.isoformat() if o.ends_at else None,
            "capacity": o.capacity,
            "owner_id": o.owner_id,
            "status": o.status,
            "families": json.dumps(o.families),
            "content_hash": hashes[o.id],
            "version": v,
        }
        for o in recs
    ]
    write_parents(conn, "opportunity", opportunities, rows, existing)
    skills = [{"opportunity_id": o.id, "skill_id": s.skill_id, "to_level": s.to_level} for o in recs for s in o.skills]
    replace_children(conn, opportunity_skills, "opportunity_id", set(), skills)


def _load(conn: Connection, ids: list[str] | None) -> list[Opportunity]:
    parents = in_order(fetch(conn, opportunities, ids), ids)
    pids = [p.id for p in parents] if ids is not None else None
    skills = group(fetch(conn, opportunity_skills, pids, "opportunity_id"), "opportunity_id")
    return [
        Opportunity.model_construct(
            id=p.id,
            title=p.title,
            kind=p.kind,
            description=p.description,
            hours=p.hours,
            starts_at=_d(p.starts_at),
            ends_at=_d(p.ends_at),
            capacity=p.capacity,
            owner_id=p.owner_id,
            status=p.status,
            families=json.loads(p.families or "[]"),
            skills=[
                OpportunitySkill.model_construct(skill_id=s.skill_id, to_level=s.to_level)
                for s in sorted(skills.get(p.id, []), key=lambda s: s.skill_id)
            ],
        )
        for p in parents
    ]


def _references(rec: Opportunity) -> Iterator[tuple[str, str]]:
    for s in rec.skills:
        yield "skill", s.skill_id
    if rec.owner_id:
        yield "employee", rec.owner_id


def _delete_children(conn: Connection, id_: str, _version: int) -> None:
    conn.execute(delete(opportunity_skills).where(opportunity_skills.c.opportunity_id == id_))


def _skill_blocker(_conn: Connection, id_: str) -> list[Blocker]:
    s = opportunity_skills.c
    return [("opportunities", select(s.opportunity_id).where(s.skill_id == id_))]


def _erase(conn: Connection, id_: str, version: int) -> None:
    detach(conn, opportunities, "owner_id", id_, version)


SPEC = EntitySpec(
    kind="opportunity",
    model=Opportunity,
    table=opportunities,
    write=_write,
    load=_load,
    order=60,
    references=_references,
    delete_children=_delete_children,
)
DEPENDENTS = (
    Dependent(kind="skill", blocker=_skill_blocker, name="opportunities"),
    Dependent(kind="employee", cleanup=_erase, name="opportunities owned"),
)
