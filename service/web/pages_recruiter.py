"""Recruiter pages: a role picker (``/app/roles``) and a role's internal shortlist
(``/app/roles/{id}``) with readiness, coverage, move and reasons, filtered by readiness and move;
under it, for a critical role, the succession slate (:mod:`service.web.succession`)."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from engine.results import READINESS_ORDER, Candidate
from service.auth import Permission
from service.web.labels import MOVES
from service.web.render import Built, Ctx, page
from service.web.succession import succession

__all__ = ["router"]

MAX_SHORTLIST = 100


def role_picker(ctx: Ctx, q: str, open_only: bool) -> Built:
    st = ctx.engine.state()
    needle = q.strip().lower()
    rows = [r for r in st.catalog.roles
            if (not open_only or r.open_positions > 0)
            and (not needle or needle in r.title.lower() or needle in r.id.lower() or needle in r.family.lower())]
    families: dict[str, list[Any]] = {}
    for r in sorted(rows, key=lambda r: (r.family, r.level, r.title)):
        families.setdefault(r.family, []).append(r)
    return "roles.html", {"families": families, "q": q, "open_only": open_only, "found": len(rows),
                          "total": len(st.catalog.roles)}


def _shortlist(ctx: Ctx, role_id: str, *, limit: int, min_readiness: str | None,
               moves: list[str]) -> tuple[list[Candidate], int | None]:
    """The shortlist, filtered by move, and how many top candidates a move filter looked at
    (None when the engine filtered the whole pool itself). Uses the engine's own move filter
    where it has one, else keeps the wanted moves out of the longest shortlist."""
    sg = ctx.engine
    if moves and "moves" in inspect.signature(sg.candidates).parameters:
        return list(sg.candidates(role_id, limit=limit, min_readiness=min_readiness, moves=moves).items), None
    if not moves:
        return list(sg.candidates(role_id, limit=limit, min_readiness=min_readiness).items), None
    items = sg.candidates(role_id, limit=MAX_SHORTLIST, min_readiness=min_readiness).items
    return [c for c in items if c.move in moves][:limit], MAX_SHORTLIST


def role_page(ctx: Ctx, role_id: str, *, limit: int, min_readiness: str | None, moves: list[str]) -> Built:
    sg = ctx.engine
    st = sg.state()
    cat = st.catalog
    if role_id not in cat.role_index:
        from engine.errors import RoleNotFound

        raise RoleNotFound(role_id)
    role = cat.roles[cat.role_index[role_id]]
    items, looked_at = _shortlist(ctx, role_id, limit=limit, min_readiness=min_readiness, moves=moves)
    skill_names = dict(zip(cat.skill_ids, (s.name for s in cat.skills), strict=True))
    titles = {r.id: r.title for r in cat.roles}
    counts = {k: sum(1 for c in items if c.readiness == k) for k in READINESS_ORDER}
    return "role.html", {
        "role": role, "items": items, "limit": limit, "looked_at": looked_at,
        "min_readiness": min_readiness or "", "moves": moves,
        "requirements": sorted(
            ((skill_names.get(q.skill_id, q.skill_id), q.level, q.weight) for q in role.requirements),
            key=lambda x: (-x[2], x[0])),
        "titles": titles, "counts": counts, "all_moves": MOVES,
        "link_people": ctx.can(Permission.RECOMMEND) and ctx.principal.role != "employee",
        "succession": succession(ctx, role),
    }


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app/roles")
    def roles(request: Request, q: str = "", open: str = "") -> Response:
        return page(request, Permission.SHORTLIST, lambda ctx: role_picker(ctx, q[:200], bool(open)))

    @r.get("/app/roles/{role_id}")
    def role(
        request: Request, role_id: str, limit: str = "20", min_readiness: str = "",
        move: Annotated[list[str] | None, Query()] = None,
    ) -> Response:
        # Filters come from a form: anything unexpected falls back to the default instead of an error.
        size = min(MAX_SHORTLIST, max(1, int(limit))) if limit.isdigit() else 20
        readiness = min_readiness if min_readiness in READINESS_ORDER else None
        moves = [m for m in (move or []) if m in MOVES]
        return page(request, Permission.SHORTLIST,
                    lambda ctx: role_page(ctx, role_id, limit=size, min_readiness=readiness, moves=moves))

    return r
