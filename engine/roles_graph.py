"""The role graph of a catalog: ladder, observed and inferred moves, weighted by upskilling cost.

Edge cost = hours for a holder of the source role (who has exactly its requirements) to close
the target's gaps (catalog items or the default per level), plus friction for cross-family moves.
Each edge also carries ``experience_months``: the time in role a promotion needs before it
(``Catalog.tenure``; 0 for lateral, other-track and step-down moves).

Paths are searched on *effort*, not hours alone (:func:`search_weight`): a move takes as long as
the longer of its learning and its time in role (``engine.timeline``), the wait counted in
learning-hour equivalents (months x hours a week x 4.33). A move that is not on a career ladder
(inferred or merely observed) counts its effort at ``1 / (1 - LADDER_MARGIN)``: a path along the
ladders loses only to a detour at least 25% quicker, so a cheap sideways hop (CNA -> Health
Unit Coordinator -> LPN) cannot beat the rung it skirts by a few hours.

Shortest paths from one source are computed with scipy's C Dijkstra and cached per source, so a
recommendation request gets routes for all candidate roles from one call. That matrix is derived
from the edges at the default pace (``REFERENCE_HOURS_PER_WEEK``); ``engine.routing`` searches
with the configured pace and the employee's own skills.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from engine.catalog import Catalog
from engine.models import Role
from graph import RoleNode, build_role_graph, classify_move, infer_neighbours, move_changes

__all__ = [
    "CROSS_FAMILY_FRICTION",
    "INFERRED_K",
    "LADDER_MARGIN",
    "REFERENCE_HOURS_PER_WEEK",
    "RoleGraph",
    "build_graph",
    "move_gap_hours",
    "move_kind",
    "role_changes",
    "search_matrix",
    "search_weight",
]

CROSS_FAMILY_FRICTION = 40.0  # hours: new domain, new network, new manager
INFERRED_K = 5
LEVEL_BAND = 1
# A detour off the ladder must be at least this much quicker (in effort) to beat the ladder path.
LADDER_MARGIN = 0.25
REFERENCE_HOURS_PER_WEEK = 4.0  # engine.config's default learning pace


def _attrs(r: Role) -> dict[str, object]:
    return {"family": r.family, "level": r.level, "track": r.track}


def move_kind(src: Role, dst: Role) -> str:
    """What moving from role ``src`` to role ``dst`` is (graph.classify_move on the roles' attributes)."""
    return classify_move(_attrs(src), _attrs(dst))


def role_changes(src: Role, dst: Role) -> tuple[bool, bool]:
    """``(track_change, family_change)`` of the move (graph.move_changes)."""
    return move_changes(_attrs(src), _attrs(dst))


def search_weight(
    d: Mapping[str, Any],
    hours: float | None = None,
    experience_months: float | None = None,
    *,
    hours_per_week: float = REFERENCE_HOURS_PER_WEEK,
) -> float:
    """Effort of one move in hour-equivalents, as route searches weigh it.

    ``max(hours, time in role as hours)`` (learning happens while serving, ``engine.timeline``),
    times ``1 / (1 - LADDER_MARGIN)`` off the ladder. ``hours`` and ``experience_months`` default
    to the edge's own (``cost``, ``experience_months``); routing passes the employee's first step.
    """
    from engine.timeline import experience_hours

    h = float(d["cost"]) if hours is None else hours
    exp = float(d.get("experience_months", 0.0)) if experience_months is None else experience_months
    effort = max(h, experience_hours(exp, hours_per_week))
    return effort if "ladder" in d.get("sources", ()) else effort / (1.0 - LADDER_MARGIN)


def search_matrix(G: nx.DiGraph, role_ids: list[str]) -> sp.csr_matrix:
    """(R, R) search weights of G's edges for scipy's Dijkstra."""
    ri = {r: i for i, r in enumerate(role_ids)}
    rows, cols, costs = [], [], []
    for u, v, d in G.edges(data=True):
        rows.append(ri[u])
        cols.append(ri[v])
        # Zero-cost edges would vanish from a sparse matrix; a tiny epsilon keeps them.
        costs.append(max(search_weight(d), 1e-6))
    n = len(role_ids)
    return sp.csr_matrix((np.asarray(costs, np.float64), (rows, cols)), shape=(n, n))


@dataclass
class RoleGraph:
    G: nx.DiGraph
    role_ids: list[str]
    # (R, R) search weights for scipy's Dijkstra. Always re-derived from G's edges, whatever a
    # caller passes, so a re-costed copy of G (engine.refresh) cannot drift from build_graph.
    matrix: sp.csr_matrix | None = None
    _cache: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.matrix = search_matrix(self.G, self.role_ids)

    def from_source(self, src: int) -> tuple[np.ndarray, np.ndarray]:
        """(distances, predecessors) from role index `src` to every role (cached)."""
        hit = self._cache.get(src)
        if hit is None:
            if len(self._cache) > 4096:
                self._cache.clear()
            d, p = dijkstra(self.matrix, directed=True, indices=src, return_predecessors=True)
            hit = self._cache[src] = (d, p)
        return hit

    def path(self, src: int, dst: int) -> list[str]:
        """Cheapest path as role ids, [] when unreachable."""
        dist, pred = self.from_source(src)
        if not np.isfinite(dist[dst]):
            return []
        out = [dst]
        while out[-1] != src:
            out.append(int(pred[out[-1]]))
        return [self.role_ids[i] for i in reversed(out)]


def move_gap_hours(catalog: Catalog, src: int, dst: int) -> float:
    """Hours for someone holding exactly role src's requirements to meet role dst's."""
    have = np.zeros(catalog.n_skills, np.float32)
    cols, need, _ = catalog.requirement_rows(src)
    have[cols] = need
    cols, need, _ = catalog.requirement_rows(dst)
    gaps = np.maximum(0.0, need - have[cols])
    idx = gaps > 0
    if not idx.any():
        return 0.0
    from engine.catalog import DEFAULT_HOURS_PER_LEVEL

    item = catalog.best_hours[cols[idx], need[idx].astype(np.int64)]
    return float(np.minimum(item, DEFAULT_HOURS_PER_LEVEL * gaps[idx]).sum())


def build_graph(catalog: Catalog, role_vecs: np.ndarray) -> RoleGraph:
    nodes = [RoleNode(r.id, r.title, r.family, r.level, r.track) for r in catalog.roles]
    ladder = [(r.id, n) for r in catalog.roles for n in r.next_role_ids if n in catalog.role_index]
    transitions: list[tuple[str, str]] = []
    for (a, b), c in catalog.transition_counts.items():
        transitions.extend([(a, b)] * c)
    inferred = (
        infer_neighbours(catalog.role_ids, catalog.level, role_vecs, k=INFERRED_K, level_band=LEVEL_BAND)
        if len(catalog.role_ids) > 1
        else []
    )
    ri = catalog.role_index
    tenure, level = catalog.tenure, catalog.level
    G = build_role_graph(
        nodes,
        ladder=ladder,
        transitions=transitions,
        inferred=inferred,
        cost=lambda u, v: move_gap_hours(catalog, ri[u], ri[v]),
        cross_family_friction=CROSS_FAMILY_FRICTION,
    )
    for u, v, d in G.edges(data=True):
        # A holder of u who just arrived: the full time in role at each rung climbed.
        d["experience_months"] = tenure.wait(int(level[ri[u]]), int(level[ri[v]]))
    return RoleGraph(G=G, role_ids=list(catalog.role_ids))
