"""The employee page: next roles by direction, a chosen role's gaps and learning, mentors and open
opportunities for that role (:mod:`service.web.development`), the route to a long-term target
drawn as a career map, and the person's interests and mobility preferences.

``/app/me`` is the signed-in employee's own page; ``/app/employees/{id}`` is the same page for
hr / admin keys (an employee key opening another person's page gets 403, as in the API).
Only the person themselves may change their preferences here.
"""

from __future__ import annotations

from typing import Annotated, Any

import networkx as nx
from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from markupsafe import Markup

from engine.charts.career_map import career_map_svg
from engine.errors import InvalidInput, NotFound
from engine.models import Employee, MobilityPreferences
from service.auth import Permission
from service.web.development import development
from service.web.render import Built, Ctx, error_page, page
from service.web.session import csrf_ok, same_origin

__all__ = ["router"]

DIRECTIONS = ("up", "lateral", "any")


def default_target(G: nx.DiGraph, current: str) -> str | None:
    """A sensible long-term target: the cheapest reachable role of the same family two levels up
    (or as high as the family goes), else the cheapest reachable role above the current one."""
    if current not in G:
        return None
    cost = nx.single_source_dijkstra_path_length(G, current, weight="cost")
    here = G.nodes[current]
    above = [(r, G.nodes[r]) for r in cost if G.nodes[r]["level"] > here["level"]]
    same = [(r, a) for r, a in above if a["family"] == here["family"]]
    pool = same or above
    if not pool:
        return None
    goal = min(max(a["level"] for _, a in pool), here["level"] + 2)
    at_goal = [r for r, a in pool if a["level"] == goal] or [r for r, _ in pool]
    return min(at_goal, key=lambda r: (cost[r], r))


def _targets(st: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every role for the target picker, grouped by family, by level then title."""
    groups: dict[str, list[tuple[int, str, str]]] = {}
    for r in st.catalog.roles:
        groups.setdefault(r.family, []).append((r.level, r.title, r.id))
    return [(fam, [(rid, f"{title} (level {lvl})") for lvl, title, rid in sorted(rows)])
            for fam, rows in sorted(groups.items())]


def employee_page(ctx: Ctx, employee_id: str, *, direction: str, role: str | None, target: str | None,
                  saved: bool = False, own: bool) -> Built:
    if direction not in DIRECTIONS:
        raise InvalidInput(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    sg = ctx.engine
    st = sg.state()
    emp: Employee = sg.store.get_employee(employee_id).scoring_view()  # pages never hold protected attributes
    recs = sg.recommend(employee_id, limit=8, direction=direction)
    cat, G = st.catalog, st.graph.G
    current = cat.roles[cat.role_index[emp.role_id]] if emp.role_id in cat.role_index else None

    chosen = next((i for i in recs.items if i.role_id == role), None) if role else None
    if chosen is None and role is None and recs.items:
        chosen = recs.items[0]
    chosen_id = chosen.role_id if chosen else role
    plan = sg.learning(employee_id, chosen_id) if chosen_id else None
    chosen_role = cat.roles[cat.role_index[chosen_id]] if chosen_id in cat.role_index else None

    route = route_error = None
    map_svg = None
    target_id = target or (default_target(G, current.id) if current else None)
    if current is not None and target_id == current.id:
        route_error = f"{current.title} is your current role: pick a target to grow into."
    elif current is not None and target_id:
        try:
            route = sg.routes(employee_id, target_id, alternatives=2)
        except NotFound:
            route_error = f"There is no role {target_id!r}."
        except InvalidInput:
            route_error = (f"No route from {current.title} to {G.nodes[target_id]['title']} yet: no career ladder "
                           "or move colleagues have made leads there. Try a role on the way.")
    if current is not None:
        path = route.best.role_ids if route else [current.id]
        map_svg = Markup(career_map_svg(
            G, route=path, current=current.id,
            alternatives=[a.role_ids for a in route.alternatives] if route else (),
            options=[i.role_id for i in recs.items],
            route_hours=route.best.total_hours if route else None,
            title=f"Career map for {emp.display_name}" + (f": to {G.nodes[target_id]['title']}" if route else ""),
        ))
    dev = development(ctx, employee_id, chosen_id if chosen_id in cat.role_index else None, recs.items)
    titles = {r.id: r.title for r in cat.roles}
    skill_names = dict(zip(cat.skill_ids, (s.name for s in cat.skills), strict=True))
    families = sorted({r.family for r in cat.roles})
    base = "/app/me" if own else f"/app/employees/{employee_id}"
    return "employee.html", {
        "emp": emp, "current": current, "recs": recs.items, "direction": direction,
        "chosen": chosen, "chosen_role": chosen_role, "plan": plan,
        # What fully meets the role's level; partly met skills are listed with the gaps.
        "bring": [m for m in chosen.matched_skills if m.have >= m.need] if chosen else [],
        "target_id": target_id, "targets": _targets(st), "route": route, "route_error": route_error,
        "map_svg": map_svg, "titles": titles, "own": own, "base": base, "families": families,
        "skills": sorted(((skill_names.get(s.skill_id, s.skill_id), s.level) for s in emp.skills),
                         key=lambda x: (-x[1], x[0])),
        "saved": saved, "who": f"{emp.display_name}" if own else None, "dev": dev,
        "open_positions": {r.id: r.open_positions for r in cat.roles},
    }


def _save_preferences(ctx: Ctx, employee_id: str, *, interests: str, open_to_move: bool,
                      families: list[str], management: str) -> Built:
    sg = ctx.engine
    known = {r.family for r in sg.state().catalog.roles}
    unknown = sorted(set(families) - known)
    if unknown:
        raise InvalidInput(f"unknown job families: {', '.join(unknown)}")
    if len(interests) > 2000:
        raise InvalidInput("interests: at most 2000 characters")
    emp = sg.store.get_employee(employee_id)
    prefs = MobilityPreferences(open_to_move=open_to_move, families=sorted(set(families)),
                                management={"yes": True, "no": False}.get(management))
    sg.upsert([emp.model_copy(update={"interests": interests.strip(), "mobility": prefs})])
    return RedirectResponse("/app/me?saved=1#preferences", status_code=303)


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app/me")
    def me(request: Request, direction: str = "up", role: str | None = None, target: str | None = None,
           saved: str = "") -> Response:
        def build(ctx: Ctx) -> Built:
            emp_id = ctx.principal.employee_id
            if ctx.principal.role != "employee" or not emp_id:
                return RedirectResponse("/app/people" if ctx.can(Permission.ORG_READ) else "/app/", status_code=303)
            return employee_page(ctx, emp_id, direction=direction, role=role, target=target, saved=bool(saved),
                                 own=True)

        return page(request, Permission.RECOMMEND, build)

    @r.get("/app/employees/{employee_id}")
    def employee(request: Request, employee_id: str, direction: str = "up", role: str | None = None,
                 target: str | None = None) -> Response:
        def build(ctx: Ctx) -> Built:
            if ctx.principal.role == "employee":
                return RedirectResponse(f"/app/me?direction={direction}", status_code=303)
            return employee_page(ctx, employee_id, direction=direction, role=role, target=target, own=False)

        return page(request, Permission.RECOMMEND, build, employee_id=employee_id)

    @r.post("/app/me/preferences")
    def preferences(
        request: Request,
        csrf: Annotated[str, Form()] = "",
        interests: Annotated[str, Form(max_length=4000)] = "",
        open_to_move: Annotated[str | None, Form()] = None,
        families: Annotated[list[str] | None, Form()] = None,
        management: Annotated[str, Form()] = "either",
    ) -> Response:
        def build(ctx: Ctx) -> Built:
            if not same_origin(request) or not csrf_ok(ctx.session.csrf, csrf):
                return error_page(request, 403, "This form has expired or came from another site; reload the "
                                                "page and try again.", session=ctx.session)
            emp_id = ctx.principal.employee_id
            if ctx.principal.role != "employee" or not emp_id:
                return error_page(request, 403, "Only the employee can change their own preferences.",
                                  session=ctx.session)
            return _save_preferences(ctx, emp_id, interests=interests, open_to_move=open_to_move is not None,
                                     families=families or [], management=management)

        return page(request, Permission.EMPLOYEE_READ, build)

    return r
