"""The career map of a family as data: roles by level and track, ladders, observed moves with counts.

This is the view a picture of the family is drawn from (and what ``skillgraph map`` prints):
nodes = the family's roles (level, track, headcount, critical), edges = ladder steps and observed
moves between them (with how many people made each move, in a window when given), exits = the
ladder steps and moves that lead out of the family. Built from the store alone: no index needed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from engine.errors import InvalidInput
from engine.models import Role
from engine.roles_graph import move_kind
from engine.store import Store
from engine.store import tables as t

__all__ = ["CareerMap", "MapEdge", "MapNode", "career_map"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MapNode(_Out):
    role_id: str
    title: str
    level: int
    track: str | None
    headcount: int
    critical: bool


class MapEdge(_Out):
    from_role_id: str
    to_role_id: str
    to_title: str
    to_family: str
    move: str
    ladder: bool = Field(description="an explicit career-ladder step")
    moves: int = Field(description="people observed making this move")


class CareerMap(_Out):
    family: str
    since: dt.date | None
    until: dt.date | None
    nodes: list[MapNode]
    edges: list[MapEdge] = Field(description="moves within the family")
    exits: list[MapEdge] = Field(description="moves out of the family")


def career_map(store: Store, family: str, *, since: dt.date | None = None, until: dt.date | None = None) -> CareerMap:
    roles: list[Role] = store.all("role")  # type: ignore[assignment]
    by_id = {r.id: r for r in roles}
    mine = sorted((r for r in roles if r.family == family), key=lambda r: (r.level, r.track or "", r.title))
    if not mine:
        known = ", ".join(sorted({r.family for r in roles})) or "none"
        raise InvalidInput(f"no roles in family {family!r} (families: {known})")
    ids = {r.id for r in mine}
    e, c = t.employees.c, t.transitions.c
    q = select(c.from_role_id, c.to_role_id, func.count()).where(c.from_role_id.in_(sorted(ids)))
    if since is not None:
        q = q.where(c.date >= since.isoformat())
    if until is not None:
        q = q.where(c.date <= until.isoformat())
    with store.engine.connect() as conn:
        moves = Counter({(a, b): int(n) for a, b, n in conn.execute(q.group_by(c.from_role_id, c.to_role_id))})
        heads = dict(
            conn.execute(select(e.role_id, func.count()).where(e.role_id.in_(sorted(ids))).group_by(e.role_id)).all()
        )  # type: ignore[arg-type]
    pairs = {(r.id, n) for r in mine for n in r.next_role_ids if n in by_id} | {p for p in moves if p[1] in by_id}
    edges, exits = [], []
    for a, b in sorted(pairs):
        src, dst = by_id[a], by_id[b]
        edge = MapEdge(
            from_role_id=a,
            to_role_id=b,
            to_title=dst.title,
            to_family=dst.family,
            move=move_kind(src, dst),
            ladder=b in src.next_role_ids,
            moves=moves.get((a, b), 0),
        )
        (edges if b in ids else exits).append(edge)
    nodes = [
        MapNode(
            role_id=r.id,
            title=r.title,
            level=r.level,
            track=r.track,
            headcount=int(heads.get(r.id, 0)),
            critical=bool(r.critical),
        )
        for r in mine
    ]
    return CareerMap(family=family, since=since, until=until, nodes=nodes, edges=edges, exits=exits)
