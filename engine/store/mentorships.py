"""Mentorships: a mentor, a mentee, dates, an optional target role and focus skills (child rows).

A mentorship is erased with either person. Deleting its focus role nulls the focus; a focus
skill blocks the skill's delete (like any other use of a skill).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, ForeignKey, Index, Integer, String, Table, delete, or_, select

from engine.models import Mentorship
from engine.store import tables as t
from engine.store.refs import detach
from engine.store.registry import Blocker, Dependent, EntitySpec
from engine.store.rows import fetch, group, in_order, record_deletion, replace_children, write_parents

__all__ = ["DEPENDENTS", "SPEC", "mentorship_skills", "mentorships"]

mentorships = Table(
    "sg_mentorships",
    t.metadata,
    Column("id", String(t.ID * 2 + 12), primary_key=True),
    Column("mentor_id", String(t.ID), nullable=False),
    Column("mentee_id", String(t.ID), nullable=False),
    Column("started_at", String(10), nullable=False),
    Column("ended_at", String(10)),
    Column("role_id", String(t.ID)),
    Column("content_hash", String(64), nullable=False),
    Column("version", Integer, nullable=False),
)
Index("ix_sg_mentorships_mentor", mentorships.c.mentor_id)
Index("ix_sg_mentorships_mentee", mentorships.c.mentee_id)

mentorship_skills = Table(
    "sg_mentorship_skills",
    t.metadata,
    Column(
        "mentorship_id", String(t.ID * 2 + 12), ForeignKey("sg_mentorships.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("skill_id", String(t.ID), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


def _write(conn: Connection, recs: list[Any], hashes: dict[str, str], v: int, existing: set[str]) -> None:
    replace_children(conn, mentorship_skills, "mentorship_id", existing, [])
    rows = [
        {
            "id": m.id,
            "mentor_id": m.mentor_id,
            "mentee_id": m.mentee_id,
            "started_at": m.started_at.isoformat(),
            "ended_at": m.ended_at.isoformat() if m.ended_at else None,
            "role_id": m.role_id,
            "content_hash": hashes[m.id],
            "version": v,
        }
        for m in recs
    ]
    write_parents(conn, "mentorship", mentorships, rows, existing)
    focus = [{"mentorship_id": m.id, "skill_id": s, "position": i} for m in recs for i, s in enumerate(m.skill_ids)]
    replace_children(conn, mentorship_skills, "mentorship_id", set(), focus)


def _load(conn: Connection, ids: list[str] | None) -> list[Mentorship]:
    parents = in_order(fetch(conn, mentorships, ids), ids)
    pids = [p.id for p in parents] if ids is not None else None
    focus = group(fetch(conn, mentorship_skills, pids, "mentorship_id"), "mentorship_id")
    return [
        Mentorship.model_construct(
            id=p.id,
            mentor_id=p.mentor_id,
            mentee_id=p.mentee_id,
            started_at=date.fromisoformat(p.started_at),
            ended_at=date.fromisoformat(p.ended_at) if p.ended_at else None,
            role_id=p.role_id,
            skill_ids=[f.skill_id for f in sorted(focus.get(p.id, []), key=lambda f: f.position)],
        )
        for p in parents
    ]


def _references(rec: Mentorship) -> Iterator[tuple[str, str]]:
    yield "employee", rec.mentor_id
    yield "employee", rec.mentee_id
    if rec.role_id:
        yield "role", rec.role_id
    for s in rec.skill_ids:
        yield "skill", s


def _delete_children(conn: Connection, id_: str, _version: int) -> None:
    conn.execute(delete(mentorship_skills).where(mentorship_skills.c.mentorship_id == id_))


def _erase(conn: Connection, id_: str, version: int) -> None:
    m = mentorships.c
    gone = list(conn.execute(select(m.id).where(or_(m.mentor_id == id_, m.mentee_id == id_))).scalars())
    for mid in gone:
        _delete_children(conn, mid, version)
        record_deletion(conn, "mentorship", mid, version)
    conn.execute(delete(mentorships).where(or_(m.mentor_id == id_, m.mentee_id == id_)))


def _role_gone(conn: Connection, id_: str, version: int) -> None:
    detach(conn, mentorships, "role_id", id_, version)


def _skill_blocker(_conn: Connection, id_: str) -> list[Blocker]:
    s = mentorship_skills.c
    return [("mentorships", select(s.mentorship_id).where(s.skill_id == id_))]


SPEC = EntitySpec(
    kind="mentorship",
    model=Mentorship,
    table=mentorships,
    write=_write,
    load=_load,
    order=70,
    references=_references,
    delete_children=_delete_children,
)
DEPENDENTS = (
    Dependent(kind="employee", cleanup=_erase, name="mentorships"),
    Dependent(kind="role", cleanup=_role_gone, name="mentorship focus"),
    Dependent(kind="skill", blocker=_skill_blocker, name="mentorships"),
)
