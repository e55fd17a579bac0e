"""Inspection helpers: outgoing moves, advancement deserts, summaries and JSON export."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .errors import RoleNotFound
from .roles import MOVE_KINDS

__all__ = ["ADVANCING_MOVES", "Bottleneck", "bottlenecks", "outgoing", "summary", "to_json"]

#: Move kinds that count as a way forward (everything but ``"step_down"``).
ADVANCING_MOVES: tuple[str, ...] = ("promotion", "lateral", "cross_family", "other_track")


@dataclass(frozen=True, slots=True)
class Bottleneck:
    """A role with few or no ways out.

    Attributes
    ----------
    id : str
        Role id.
    out_degree : int
        Outgoing moves of the kinds considered.
    in_degree : int
        Incoming moves of any kind (how many roles feed into it).
    targets : tuple of str
        Destinations of the counted moves, sorted.
    title, family, level, track
        Node attributes (``None`` when absent).
    """

    id: str
    out_degree: int
    in_degree: int
    targets: tuple[str, ...]
    title: str | None = None
    family: str | None = None
    level: int | None = None
    track: str | None = None


def _check_moves(moves: Collection[str] | None) -> frozenset[str] | None:
    if moves is None:
        return None
    if isinstance(moves, str):
        raise TypeError("moves must be a collection of move kinds, not a single string")
    unknown = sorted(set(moves) - set(MOVE_KINDS))
    if unknown:
        raise ValueError(f"unknown move kinds {unknown}; expected some of {list(MOVE_KINDS)}")
    return frozenset(moves)


def _check_graph(G: Any) -> None:
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise TypeError(f"G must be a networkx DiGraph, got {type(G).__name__}")


def outgoing(G: nx.DiGraph, role_id: str, *, moves: Collection[str] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Moves leaving ``role_id``, cheapest first.

    Parameters
    ----------
    G : networkx.DiGraph
        Role graph.
    role_id : str
        Role to look from.
    moves : collection of str, optional
        Keep only these move kinds (default: all).

    Returns
    -------
    list of (target, attrs)
        Sorted by ``cost`` (missing cost last), then target id. ``attrs`` are
        copies of the edge attributes.

    Raises
    ------
    RoleNotFound
        ``role_id`` is not in ``G``.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", cost=9.0, move="promotion")
    >>> G.add_edge("a", "c", cost=3.0, move="lateral")
    >>> [t for t, _ in outgoing(G, "a")], [t for t, _ in outgoing(G, "a", moves={"promotion"})]
    (['c', 'b'], ['b'])
    """
    _check_graph(G)
    kinds = _check_moves(moves)
    if role_id not in G:
        raise RoleNotFound(role_id)
    out = [(v, dict(d)) for v, d in G.succ[role_id].items() if kinds is None or d.get("move") in kinds]
    out.sort(key=lambda item: (item[1].get("cost", math.inf), str(item[0])))
    return out


def bottlenecks(
    G: nx.DiGraph,
    *,
    max_out: int = 1,
    moves: Collection[str] = ADVANCING_MOVES,
) -> list[Bottleneck]:
    """Roles with at most ``max_out`` outgoing moves of the given kinds ("advancement deserts").

    Parameters
    ----------
    G : networkx.DiGraph
        Role graph.
    max_out : int, default 1
        Roles with ``out_degree <= max_out`` are reported (0 finds dead ends only).
    moves : collection of str, default all kinds but ``"step_down"``
        Move kinds that count as ways out.

    Returns
    -------
    list of Bottleneck
        Sorted by out-degree, then id.

    Notes
    -----
    The most senior roles of a family naturally have no promotions; filter on
    ``level`` if those should not be reported.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", move="promotion")
    >>> G.add_edge("a", "c", move="lateral")
    >>> G.add_edge("b", "a", move="step_down")
    >>> [(b.id, b.out_degree) for b in bottlenecks(G)]
    [('b', 0), ('c', 0)]
    """
    _check_graph(G)
    if isinstance(max_out, bool) or not isinstance(max_out, int) or max_out < 0:
        raise ValueError(f"max_out must be an int >= 0, got {max_out!r}")
    kinds = _check_moves(moves)
    assert kinds is not None
    found = []
    for node, attrs in G.nodes(data=True):
        targets = sorted((v for v, d in G.succ[node].items() if d.get("move") in kinds), key=str)
        if len(targets) <= max_out:
            found.append(
                Bottleneck(
                    id=node,
                    out_degree=len(targets),
                    in_degree=G.in_degree(node),
                    targets=tuple(targets),
                    title=attrs.get("title"),
                    family=attrs.get("family"),
                    level=attrs.get("level"),
                    track=attrs.get("track"),
                )
            )
    found.sort(key=lambda b: (b.out_degree, str(b.id)))
    return found


def summary(G: nx.DiGraph) -> dict[str, Any]:
    """Counts describing the role graph.

    Returns
    -------
    dict
        ``roles``, ``moves`` (edge count), ``by_move`` (edges per move kind, all
        kinds present), ``by_source`` (edges per source; an edge with several
        sources counts once for each), ``families`` (roles per family),
        ``dead_ends`` (roles without outgoing edges).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("a", family="eng"); G.add_node("b", family="eng")
    >>> G.add_edge("a", "b", move="promotion", sources=["ladder"])
    >>> s = summary(G)
    >>> s["roles"], s["moves"], s["by_move"]["promotion"], s["dead_ends"]
    (2, 1, 1, 1)
    """
    _check_graph(G)
    by_move = dict.fromkeys(MOVE_KINDS, 0)
    by_source: Counter[str] = Counter()
    for _, _, d in G.edges(data=True):
        move = d.get("move")
        by_move[move] = by_move.get(move, 0) + 1
        by_source.update(d.get("sources", ()))
    families = Counter(d.get("family") for _, d in G.nodes(data=True))
    return {
        "roles": G.number_of_nodes(),
        "moves": G.number_of_edges(),
        "by_move": by_move,
        "by_source": dict(sorted(by_source.items())),
        "families": dict(sorted(families.items(), key=lambda kv: str(kv[0]))),
        "dead_ends": sum(1 for n in G if G.out_degree(n) == 0),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def to_json(G: nx.DiGraph) -> dict[str, Any]:
    """A JSON-serialisable description of the role graph (not a string).

    Returns
    -------
    dict
        ``{"roles": [{"id": ..., **node attrs}], "moves": [{"source": ...,
        "target": ..., **edge attrs}], "summary": summary(G)}``; roles sorted by
        id, moves by (source, target); sets become sorted lists.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", cost=1.0, sources={"ladder"})
    >>> to_json(G)["moves"]
    [{'source': 'a', 'target': 'b', 'cost': 1.0, 'sources': ['ladder']}]
    """
    _check_graph(G)
    roles = [
        {"id": n, **{k: _plain(v) for k, v in d.items()}}
        for n, d in sorted(G.nodes(data=True), key=lambda item: str(item[0]))
    ]
    moves = [
        {"source": u, "target": v, **{k: _plain(x) for k, x in d.items()}}
        for u, v, d in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1])))
    ]
    return {"roles": roles, "moves": moves, "summary": summary(G)}
