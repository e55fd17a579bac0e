"""Cheapest upskilling routes between roles."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import networkx as nx

from .errors import NoRoute, RoleNotFound

__all__ = ["Route", "Step", "alternatives", "route"]

Weight = str | Callable[[Any, Any, dict[str, Any]], float | None]
StepCost = Callable[[str, str], float]


@dataclass(frozen=True, slots=True)
class Step:
    """One move of a route: ``source -> target`` of kind ``move`` costing ``cost`` hours."""

    source: str
    target: str
    move: str | None
    cost: float


@dataclass(frozen=True, slots=True)
class Route:
    """A path through the role graph.

    Attributes
    ----------
    nodes : list of str
        Role ids from source to target (one id for a zero-step route).
    steps : list of Step
        ``len(nodes) - 1`` moves.
    total_cost : float
        ``sum(step.cost for step in steps)``, computed exactly that way.
    """

    nodes: list[str]
    steps: list[Step] = field(default_factory=list)
    total_cost: float = 0.0

    @property
    def source(self) -> str:
        return self.nodes[0]

    @property
    def target(self) -> str:
        return self.nodes[-1]

    @property
    def hops(self) -> int:
        """Number of moves."""
        return len(self.steps)


def _check_cost(value: Any, u: Any, v: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} for edge ({u!r}, {v!r}) must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} for edge ({u!r}, {v!r}) must be finite and >= 0, got {value!r}")
    return value


def _weight_function(
    weight: Weight, source: Any, first_step_cost: StepCost | None
) -> Callable[[Any, Any, dict[str, Any]], float | None]:
    """A networkx weight function ``(u, v, d) -> float | None`` (``None`` hides the edge)."""
    if callable(weight):
        base = weight
    elif isinstance(weight, str):
        attr = weight

        def base(u: Any, v: Any, d: dict[str, Any]) -> float | None:
            return d.get(attr, 1)

    else:
        raise TypeError(f"weight must be an edge attribute name or a callable, got {weight!r}")
    if first_step_cost is not None and not callable(first_step_cost):
        raise TypeError(f"first_step_cost must be callable, got {type(first_step_cost).__name__}")

    first_costs: dict[Any, float] = {}  # memo: searches may weigh an edge several times

    def wf(u: Any, v: Any, d: dict[str, Any]) -> float | None:
        if first_step_cost is not None and u == source:
            if callable(weight) and weight(u, v, d) is None:
                return None  # an edge the weight hides stays hidden, first step or not
            if v not in first_costs:
                first_costs[v] = _check_cost(first_step_cost(u, v), u, v, "first_step_cost")
            return first_costs[v]
        value = base(u, v, d)
        return None if value is None else _check_cost(value, u, v, "weight")

    return wf


def _check_graph(G: nx.Graph, source: Any, target: Any) -> None:
    if not isinstance(G, nx.Graph):
        raise TypeError(f"G must be a networkx graph, got {type(G).__name__}")
    if G.is_multigraph():
        raise TypeError("multigraphs are not supported; use a DiGraph")
    for role_id in (source, target):
        if role_id not in G:
            raise RoleNotFound(role_id)


def _make_route(G: nx.Graph, nodes: list[Any], wf: Callable[..., float | None]) -> Route:
    steps = []
    for u, v in pairwise(nodes):
        d = G[u][v]
        steps.append(Step(u, v, d.get("move"), wf(u, v, d)))  # type: ignore[arg-type]
    return Route(nodes=list(nodes), steps=steps, total_cost=sum(s.cost for s in steps))


def route(
    G: nx.Graph,
    source: str,
    target: str,
    *,
    weight: Weight = "cost",
    first_step_cost: StepCost | None = None,
    cutoff: float | None = None,
) -> Route:
    """The cheapest route from ``source`` to ``target`` (Dijkstra).

    Parameters
    ----------
    G : networkx.DiGraph
        Role graph, e.g. from :func:`graph.build_role_graph`.
    source, target : str
        Role ids.
    weight : str or callable, default "cost"
        Edge attribute holding the cost (missing attribute counts 1), or a
        networkx-style function ``weight(u, v, attrs)`` returning a cost or
        ``None`` to hide the edge. Costs must be finite and >= 0.
    first_step_cost : callable ``(u, v) -> float``, optional
        Overrides the cost of every edge leaving ``source`` (e.g. costed
        against the employee's own skills rather than the source role's
        requirements). Called at most once per edge; ``G`` is not modified.
        An edge that a callable ``weight`` hides (returns ``None``) stays hidden.
    cutoff : float, optional
        Largest total cost accepted.

    Returns
    -------
    Route
        ``source == target`` gives a zero-step route of cost 0.

    Raises
    ------
    RoleNotFound
        ``source`` or ``target`` is not in ``G``.
    NoRoute
        ``target`` is unreachable, or only at a cost above ``cutoff``.
    ValueError
        A cost (from ``weight`` or ``first_step_cost``) is negative or not finite.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", cost=10.0, move="promotion")
    >>> G.add_edge("b", "c", cost=5.0, move="promotion")
    >>> G.add_edge("a", "c", cost=30.0, move="promotion")
    >>> r = route(G, "a", "c")
    >>> r.nodes, r.total_cost
    (['a', 'b', 'c'], 15.0)
    >>> route(G, "a", "c", first_step_cost=lambda u, v: 0.0 if v == "c" else 10.0).nodes
    ['a', 'c']
    """
    _check_graph(G, source, target)
    if cutoff is not None and (
        isinstance(cutoff, bool) or not isinstance(cutoff, int | float) or math.isnan(cutoff) or cutoff < 0
    ):
        raise ValueError(f"cutoff must be a number >= 0 or None, got {cutoff!r}")
    wf = _weight_function(weight, source, first_step_cost)
    return _route(G, source, target, wf, cutoff)


def _route(G: nx.Graph, source: Any, target: Any, wf: Callable[..., float | None], cutoff: float | None) -> Route:
    if source == target:
        return Route(nodes=[source], steps=[], total_cost=0.0)
    try:
        _, nodes = nx.single_source_dijkstra(G, source, target, cutoff=cutoff, weight=wf)
    except nx.NetworkXNoPath:
        raise NoRoute(source, target, cutoff) from None
    return _make_route(G, nodes, wf)


def alternatives(
    G: nx.Graph,
    source: str,
    target: str,
    *,
    k: int = 3,
    weight: Weight = "cost",
    first_step_cost: StepCost | None = None,
) -> list[Route]:
    """Up to ``k`` cheapest simple routes from ``source`` to ``target``.

    The first route is exactly :func:`route`'s answer; the others come from
    :func:`networkx.shortest_simple_paths` (Yen's algorithm) in order of
    non-decreasing cost, each distinct from the ones before. Parameters are
    those of :func:`route`; ``k`` must be >= 1.

    Returns
    -------
    list of Route
        Fewer than ``k`` when fewer simple paths exist; one zero-step route
        when ``source == target``.

    Raises
    ------
    RoleNotFound, NoRoute, ValueError
        As for :func:`route`.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "b", 1.0), ("b", "c", 1.0), ("a", "c", 5.0)], weight="cost")
    >>> [(r.nodes, r.total_cost) for r in alternatives(G, "a", "c", k=5)]
    [(['a', 'b', 'c'], 2.0), (['a', 'c'], 5.0)]
    """
    _check_graph(G, source, target)
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be an int >= 1, got {k!r}")
    wf = _weight_function(weight, source, first_step_cost)
    best = _route(G, source, target, wf, None)
    if source == target or k == 1:
        return [best]
    routes = [best]
    paths: Iterator[list[Any]] = nx.shortest_simple_paths(G, source, target, weight=wf)
    for nodes in paths:
        if nodes == best.nodes:
            continue
        routes.append(_make_route(G, nodes, wf))
        if len(routes) == k:
            break
    return routes
