"""Role graph: construction, move classification, inferred neighbours, routes and analysis.

Works on plain data (ids, ints, strings, floats, NumPy arrays) and NetworkX
DiGraphs; it does not import ``engine``, ``embeddings`` or ``service``.

Examples
--------
>>> from graph import RoleNode, build_role_graph, route
>>> roles = [RoleNode("a", "A", "eng", 1, "ic"), RoleNode("b", "B", "eng", 2, "ic")]
>>> G = build_role_graph(roles, ladder=[("a", "b")], cost=lambda u, v: 12.0)
>>> route(G, "a", "b").total_cost
12.0
"""

from __future__ import annotations

from .analysis import ADVANCING_MOVES, Bottleneck, bottlenecks, outgoing, summary, to_json
from .errors import GraphError, NoRoute, RoleNotFound
from .neighbours import infer_neighbours
from .roles import MOVE_KINDS, SOURCE_KINDS, TRACKS, RoleNode, build_role_graph, classify_move, move_changes
from .routes import Route, Step, alternatives, route

__all__ = [
    "ADVANCING_MOVES",
    "MOVE_KINDS",
    "SOURCE_KINDS",
    "TRACKS",
    "Bottleneck",
    "GraphError",
    "NoRoute",
    "RoleNode",
    "RoleNotFound",
    "Route",
    "Step",
    "alternatives",
    "bottlenecks",
    "build_role_graph",
    "classify_move",
    "infer_neighbours",
    "move_changes",
    "outgoing",
    "route",
    "summary",
    "to_json",
]
