"""Personalised upskilling routes: the first step costed against the employee's own skills."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.errors import InvalidInput
from engine.learning import months, to_plan
from engine.recommender import assess
from engine.results import RouteResult, Routes, RouteStep
from graph import NoRoute, Route, alternatives, route

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = ["routes_for_employee"]


def _profile_of_role(st: State, role: int) -> np.ndarray:
    have = np.zeros(st.catalog.n_skills, np.float32)
    cols, need, _ = st.catalog.requirement_rows(role)
    have[cols] = need
    return have


def _to_result(st: State, r: Route, have: np.ndarray) -> RouteResult:
    cat = st.catalog
    steps = []
    for i, s in enumerate(r.steps):
        # Later steps assume the previous role's requirements were met along the way.
        profile = have if i == 0 else np.maximum(have, _profile_of_role(st, cat.role_index[s.source]))
        a = assess(st, profile, cat.role_index[s.target])
        plan = to_plan(cat, s.target, a.gaps, a.plan, st.hours_per_week)  # type: ignore[arg-type]
        steps.append(
            RouteStep(
                from_role_id=s.source,
                to_role_id=s.target,
                title=cat.roles[cat.role_index[s.target]].title,
                move=s.move,
                cost_hours=round(s.cost, 2),
                gaps=plan.gaps,
                learning=plan.items,  # type: ignore[arg-type]
            )
        )
    total = round(sum(s.cost_hours for s in steps), 2)
    return RouteResult(
        role_ids=list(r.nodes), total_hours=total, est_months=months(total, st.hours_per_week), steps=steps
    )


def routes_for_employee(st: State, employee_id: str, role_id: str, *, alternatives: int = 3) -> Routes:
    from engine.roles_graph import CROSS_FAMILY_FRICTION

    cat, people = st.catalog, st.people
    row = people.index[employee_id]
    cur = int(people.role_idx[row])
    if cur < 0:
        raise InvalidInput(f"employee {employee_id!r} has no current role to start a route from")
    have = people.have_rows([row])[0]
    G = st.graph.G

    def first_step(u: str, v: str) -> float:
        # The first move costs what THIS employee lacks, plus the same friction as the edge.
        a = assess(st, have, cat.role_index[v])
        return a.plan_hours + (CROSS_FAMILY_FRICTION if G.edges[u, v]["family_change"] else 0.0)

    source = cat.role_ids[cur]
    try:
        best = route(G, source, role_id, first_step_cost=first_step)
        alts = _alternatives(G, source, role_id, alternatives + 1, first_step) if alternatives else []
    except NoRoute as exc:
        raise InvalidInput(str(exc)) from None
    others = [a for a in alts if a.nodes != best.nodes][:alternatives]
    return Routes(
        employee_id=employee_id,
        target_role_id=role_id,
        best=_to_result(st, best, have),
        alternatives=[_to_result(st, a, have) for a in others],
    )


def _alternatives(G: object, source: str, target: str, k: int, first_step: object) -> list[Route]:
    return alternatives(G, source, target, k=k, first_step_cost=first_step)  # type: ignore[arg-type]
