"""Personalised upskilling routes: costed against the employee's own, growing, skills and time in role.

Costing a route (what the user sees): before each step the person has ``max(have, requirements of
every role already passed on the route)``, so a later step only charges what earlier steps did not
teach, and the hours to a rung further up can never be fewer than to the rung before it. A step's
``cost_hours`` is the learning plan for what is still missing plus the graph's friction for a
family change; ``learning_months`` is that at ``State.hours_per_week``. A promotion step needs the
time in role of the level it leaves (``Catalog.tenure``); the person's own months in role count
towards the first step only. A step takes ``engine.timeline.step_months(learning, experience)``
and the route's ``est_months`` is the sum over its steps.

Choosing a route: the search (Yen's k cheapest paths over the role graph) weighs each move by its
effort, ``engine.roles_graph.search_weight``: the longer of learning and time in role, in hour
equivalents, with moves off the career ladder counted at ``1 / (1 - LADDER_MARGIN)``. Edge costs
beyond the first step are those of a holder of the source role, an over-estimate once skills
accumulate, so the ``CANDIDATES`` cheapest paths are re-costed exactly (cumulative profile, same
ladder margin) and ranked on that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.errors import InvalidInput
from engine.learning import to_plan
from engine.recommender import assess
from engine.results import RouteResult, Routes, RouteStep
from engine.roles_graph import search_weight
from engine.timeline import cost_path, step_months
from graph import NoRoute, Route
from graph import alternatives as k_cheapest

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = ["CANDIDATES", "routes_for_employee"]

CANDIDATES = 8  # cheapest paths by estimate that are re-costed exactly


@dataclass
class _Costed:
    result: RouteResult
    effort: float  # ladder-weighted effort in hour-equivalents: the ranking key


def _cost(st: State, r: Route, have: np.ndarray, served: float) -> _Costed:
    cat, G = st.catalog, st.graph.G
    path = [cat.role_index[n] for n in r.nodes]
    steps: list[RouteStep] = []
    effort = 0.0
    for s in cost_path(st, have, path, served):
        u, v = cat.role_ids[s.source], cat.role_ids[s.target]
        d = G.edges[u, v]
        a = s.assessment
        plan = to_plan(cat, v, a.gaps, a.plan, st.hours_per_week)
        effort += search_weight(d, s.hours, s.experience_months, hours_per_week=st.hours_per_week)
        steps.append(
            RouteStep(
                from_role_id=u,
                to_role_id=v,
                title=cat.roles[s.target].title,
                move=d["move"],
                track_change=bool(d.get("track_change", False)),
                family_change=bool(d.get("family_change", False)),
                cost_hours=s.hours,
                learning_months=s.learning_months,
                experience_months=s.experience_months,
                gaps=plan.gaps,
                learning=plan.items,  # type: ignore[arg-type]
            )
        )
    result = RouteResult(
        role_ids=list(r.nodes),
        total_hours=round(sum(s.cost_hours for s in steps), 2),
        est_months=round(sum(step_months(s.learning_months, s.experience_months) for s in steps), 1),
        learning_months=round(sum(s.learning_months for s in steps), 1),
        experience_months=round(sum(s.experience_months for s in steps), 1),
        steps=steps,
    )
    return _Costed(result, effort)


def routes_for_employee(st: State, employee_id: str, role_id: str, *, alternatives: int = 3) -> Routes:
    cat, people = st.catalog, st.people
    row = people.index[employee_id]
    cur = int(people.role_idx[row])
    if cur < 0:
        raise InvalidInput(f"employee {employee_id!r} has no current role to start a route from")
    have = people.have_rows([row])[0]
    served = float(people.months[row])
    G = st.graph.G
    source = cat.role_ids[cur]
    first: dict[str, float] = {}  # Yen's algorithm weighs an edge many times

    def weight(u: str, v: str, d: dict[str, Any]) -> float:
        iu, iv = cat.role_index[u], cat.role_index[v]
        if u != source:
            exp = cat.tenure.wait(int(cat.level[iu]), int(cat.level[iv]))
            return search_weight(d, None, exp, hours_per_week=st.hours_per_week)
        if v not in first:
            # The first move costs what THIS employee lacks, and their months in role count.
            hours = assess(st, have, iv).plan_hours + float(d.get("friction", 0.0))
            exp = cat.tenure.wait(int(cat.level[iu]), int(cat.level[iv]), served)
            first[v] = search_weight(d, hours, exp, hours_per_week=st.hours_per_week)
        return first[v]

    try:
        found = k_cheapest(G, source, role_id, k=max(CANDIDATES, alternatives + 1), weight=weight)
    except NoRoute as exc:
        raise InvalidInput(str(exc)) from None
    costed = [_cost(st, r, have, served) for r in found]
    # Stable sort: on equal effort the search's own order (its estimate) decides.
    costed.sort(key=lambda c: c.effort)
    best, others = costed[0], costed[1 : alternatives + 1]
    return Routes(
        employee_id=employee_id,
        target_role_id=role_id,
        best=best.result,
        alternatives=[c.result for c in others],
    )
