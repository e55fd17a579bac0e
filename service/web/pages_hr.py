"""HR pages: people search (``/app/people``) and mobility analytics (``/app/analytics``, admin + hr).

Analytics shows the programme figures of the last year (:mod:`service.web.mobility`: internal
fill rate, promotion rate, time in role, bottlenecks, the talent-hoarding signal) and what the
engine knows today: headcount and open positions by job family, the moves colleagues have made,
the advancement deserts (roles with at most one way on) and any family's career map. The audit
page is :mod:`service.web.pages_audit`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from fastapi import APIRouter, Request, Response
from markupsafe import Markup
from sqlalchemy import func, or_, select

from engine.charts.career_map import career_map_svg, family_roles
from engine.charts.svg import bar_chart
from engine.store import tables as t
from service.auth import Permission
from service.web.labels import MOVES, human
from service.web.mobility import mobility
from service.web.render import Built, Ctx, page
from service.web.svgs import inline

__all__ = ["router"]

PEOPLE_PAGE = 50


def people_page(ctx: Ctx, q: str) -> Built:
    st = ctx.engine.state()
    titles = {r.id: r.title for r in st.catalog.roles}
    rows: list[Any] = []
    needle = q.strip()
    if needle:
        e = t.employees.c
        low = needle.lower()
        like = f"%{low.replace('%', '').replace('_', '')}%"
        roles = [r.id for r in st.catalog.roles if low in r.title.lower()]
        query = (select(e.id, e.display_name, e.role_id)
                 .where(or_(func.lower(e.display_name).like(like), func.lower(e.id).like(like), e.role_id.in_(roles)))
                 .order_by(e.display_name, e.id).limit(PEOPLE_PAGE))
        with ctx.engine.store.engine.connect() as conn:
            rows = list(conn.execute(query))
    return "people.html", {"q": q, "rows": rows, "titles": titles, "limit": PEOPLE_PAGE}


def _by_family(st: Any) -> tuple[list[str], np.ndarray, np.ndarray]:
    cat, people = st.catalog, st.people
    families = sorted(set(cat.family))
    code = {f: i for i, f in enumerate(families)}
    role_family = np.asarray([code[f] for f in cat.family], dtype=np.int64)
    rows = people.role_idx[people.alive & (people.role_idx >= 0)]
    headcount = np.bincount(role_family[rows], minlength=len(families))
    open_positions = np.bincount(role_family, weights=cat.open_positions, minlength=len(families))
    return families, headcount, open_positions


def analytics_page(ctx: Ctx, family: str | None, by: str = "family") -> Built:
    sg = ctx.engine
    st = sg.state()
    G = st.graph.G
    families, headcount, open_pos = _by_family(st)
    moves: Counter[str] = Counter()
    for _, _, d in G.edges(data=True):
        moves[d.get("move", "")] += int(d.get("transitions", 0) or 0)
    deserts = sorted(sg.bottlenecks(), key=lambda b: (str(b.family), b.level or 0, str(b.title)))
    family = family if family in families else (deserts[0].family if deserts else families[0] if families else None)
    charts = {
        "headcount": bar_chart([(human(f), float(n)) for f, n in zip(families, headcount, strict=True)],
                               title="Headcount by job family", value_format="{:.0f}",
                               desc="People in each job family today."),
        "open": bar_chart([(human(f), float(n)) for f, n in zip(families, open_pos, strict=True)],
                          title="Open positions by job family", value_format="{:.0f}",
                          desc="Positions open now, where internal candidates could move."),
        "moves": bar_chart([(MOVES.get(k, k), float(moves.get(k, 0))) for k in MOVES],
                           title="Moves colleagues have made, by kind", value_format="{:.0f}",
                           desc="Observed role transitions on record, by the kind of move."),
    }
    family_map = None
    if family:
        family_map = career_map_svg(G, roles=family_roles(G, family), title=f"Career map: {human(family)}",
                                    id_prefix="fam")
    return "analytics.html", {
        "status": sg.index_status(), "families": families, "family": family,
        "charts": {k: inline(v, f"chart-{k}") for k, v in charts.items()},
        "family_map": Markup(family_map) if family_map else None,
        "deserts": deserts, "titles": {r.id: r.title for r in st.catalog.roles},
        "total_moves": sum(moves.values()), "headcount": int(headcount.sum()), "open_total": int(open_pos.sum()),
        "mobility": mobility(ctx, by),
    }


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app/people")
    def people(request: Request, q: str = "") -> Response:
        def build(ctx: Ctx) -> Built:
            ctx.principal.ensure(Permission.RECOMMEND)
            return people_page(ctx, q[:200])

        return page(request, Permission.ORG_READ, build)

    @r.get("/app/analytics")
    def analytics(request: Request, family: str | None = None, by: str = "family") -> Response:
        return page(request, Permission.PROGRAMME, lambda ctx: analytics_page(ctx, family, by))

    return r
