"""Role nodes, move classification and construction of the role graph.

The role graph is a :class:`networkx.DiGraph` whose nodes are role ids and whose
edges are possible moves between roles.

Node attributes
    ``title`` (str), ``family`` (str), ``level`` (int seniority), ``track``
    (``"ic"``, ``"management"`` or ``None``).

Edge attributes
    ``move``
        One of :data:`MOVE_KINDS`, see :func:`classify_move`.
    ``gap_hours``
        Upskilling hours to close the requirement gap of the move, as returned
        by the ``cost`` callable given to :func:`build_role_graph`.
    ``friction``
        Extra hours charged for the kind of move (cross-family / other-track).
    ``cost``
        ``gap_hours + friction``: the weight used by :mod:`graph.routes`.
    ``sources``
        Sorted list of where the edge came from, a subset of :data:`SOURCE_KINDS`.
    ``transitions``
        Number of observed moves along the edge (0 when never observed).
    ``similarity``
        Cosine similarity of the two roles; present only on inferred edges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .errors import RoleNotFound

__all__ = [
    "MOVE_KINDS",
    "SOURCE_KINDS",
    "TRACKS",
    "RoleNode",
    "build_role_graph",
    "classify_move",
    "move_changes",
]

#: Kinds of move an edge can have (see :func:`classify_move` for the precedence).
MOVE_KINDS: tuple[str, ...] = ("promotion", "lateral", "cross_family", "other_track", "step_down")
#: Where an edge can come from.
SOURCE_KINDS: tuple[str, ...] = ("ladder", "transition", "inferred")
#: Allowed values of a role's ``track``.
TRACKS: tuple[str | None, ...] = ("ic", "management", None)


@dataclass(frozen=True, slots=True)
class RoleNode:
    """A role as the graph sees it.

    Parameters
    ----------
    id : str
        Unique, non-empty role id (the node key).
    title : str
        Human-readable title.
    family : str
        Job family (e.g. ``"engineering"``).
    level : int
        Seniority; higher is more senior.
    track : {"ic", "management", None}
        Career track, ``None`` when the role has no track.

    Examples
    --------
    >>> RoleNode("eng-2", "Engineer II", "engineering", 2, "ic").level
    2
    """

    id: str
    title: str
    family: str
    level: int
    track: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"role id must be a non-empty string, got {self.id!r}")
        if isinstance(self.level, bool) or not isinstance(self.level, int):
            raise TypeError(f"role {self.id!r}: level must be an int, got {self.level!r}")
        if self.track not in TRACKS:
            raise ValueError(f"role {self.id!r}: track must be one of {TRACKS}, got {self.track!r}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RoleNode:
        """Build a node from a mapping with keys ``id``, ``title``, ``family``, ``level``, ``track``.

        ``title`` defaults to the id and ``track`` to ``None``.

        Examples
        --------
        >>> RoleNode.from_mapping({"id": "a", "family": "eng", "level": 1}).title
        'a'
        """
        missing = [key for key in ("id", "family", "level") if key not in data]
        if missing:
            raise ValueError(f"role mapping is missing {', '.join(missing)}: {dict(data)!r}")
        return cls(
            id=data["id"],
            title=data.get("title") or data["id"],
            family=data["family"],
            level=data["level"],
            track=data.get("track"),
        )

    def attrs(self) -> dict[str, Any]:
        """Node attributes as stored in the graph (everything but the id)."""
        return {"title": self.title, "family": self.family, "level": self.level, "track": self.track}


def _role_attrs(role: RoleNode | Mapping[str, Any], name: str) -> tuple[Any, int, str | None]:
    """``(family, level, track)`` of a RoleNode or an attribute mapping."""
    if isinstance(role, RoleNode):
        return role.family, role.level, role.track
    if isinstance(role, Mapping):
        try:
            family, level = role["family"], role["level"]
        except KeyError as exc:
            raise ValueError(f"{name} is missing attribute {exc.args[0]!r}: {dict(role)!r}") from None
        return family, level, role.get("track")
    raise TypeError(f"{name} must be a RoleNode or a mapping of attributes, got {type(role).__name__}")


def classify_move(src: RoleNode | Mapping[str, Any], dst: RoleNode | Mapping[str, Any]) -> str:
    """Classify the move from role ``src`` to role ``dst``.

    Level first (a career coach reads a higher level as a promotion, whatever else changes):

    1. ``dst.level > src.level`` -> ``"promotion"`` (a change of track or family on the way is
       reported by :func:`move_changes`, not hidden in the kind);
    2. ``dst.level < src.level`` -> ``"step_down"``;
    3. same level, different ``family`` -> ``"cross_family"``;
    4. same level, same family, both ``track`` set and different -> ``"other_track"``;
    5. otherwise -> ``"lateral"``.

    Parameters
    ----------
    src, dst : RoleNode or mapping
        Roles, or node attribute mappings with ``family``, ``level`` and
        optionally ``track`` (e.g. ``G.nodes[u]``).

    Returns
    -------
    str
        One of :data:`MOVE_KINDS`.

    Examples
    --------
    >>> a = {"family": "eng", "level": 2, "track": "ic"}
    >>> classify_move(a, {"family": "eng", "level": 3, "track": "ic"})
    'promotion'
    >>> classify_move(a, {"family": "eng", "level": 3, "track": "management"})
    'promotion'
    >>> classify_move(a, {"family": "eng", "level": 2, "track": "management"})
    'other_track'
    >>> classify_move(a, {"family": "data", "level": 2})
    'cross_family'
    >>> classify_move(a, {"family": "data", "level": 1})
    'step_down'
    """
    src_family, src_level, src_track = _role_attrs(src, "src")
    dst_family, dst_level, dst_track = _role_attrs(dst, "dst")
    if dst_level > src_level:
        return "promotion"
    if dst_level < src_level:
        return "step_down"
    if src_family != dst_family:
        return "cross_family"
    if src_track is not None and dst_track is not None and src_track != dst_track:
        return "other_track"
    return "lateral"


def move_changes(src: RoleNode | Mapping[str, Any], dst: RoleNode | Mapping[str, Any]) -> tuple[bool, bool]:
    """``(track_change, family_change)`` of the move from ``src`` to ``dst``.

    A track change needs both tracks set. Together with :func:`classify_move` this says, e.g.,
    "a promotion onto the management track" or "a promotion into another family".

    >>> move_changes({"family": "eng", "level": 2, "track": "ic"},
    ...              {"family": "eng", "level": 3, "track": "management"})
    (True, False)
    """
    src_family, _, src_track = _role_attrs(src, "src")
    dst_family, _, dst_track = _role_attrs(dst, "dst")
    track = src_track is not None and dst_track is not None and src_track != dst_track
    return track, src_family != dst_family


def _check_friction(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return float(value)


def _pairs(items: Iterable[Any], width: int, name: str) -> Iterable[tuple[Any, ...]]:
    for item in items:
        try:
            row = tuple(item)
        except TypeError:
            raise TypeError(f"{name} entries must be {width}-tuples, got {item!r}") from None
        if len(row) != width:
            raise ValueError(f"{name} entries must be {width}-tuples, got {item!r}")
        yield row


def build_role_graph(
    roles: Iterable[RoleNode | Mapping[str, Any]],
    *,
    ladder: Iterable[tuple[str, str]] = (),
    transitions: Iterable[tuple[str, str]] = (),
    inferred: Iterable[tuple[str, str, float]] = (),
    cost: Callable[[str, str], float],
    cross_family_friction: float = 40.0,
    other_track_friction: float = 0.0,
) -> nx.DiGraph:
    """Build the role graph from roles and three sources of edges.

    Parameters
    ----------
    roles : iterable of RoleNode or mapping
        The nodes. Ids must be unique.
    ladder : iterable of (u, v)
        Moves defined by career ladders, directed ``u -> v``.
    transitions : iterable of (u, v)
        Observed moves (one entry per move; repeats are counted in ``transitions``).
    inferred : iterable of (u, v, similarity)
        Moves inferred from role similarity, e.g. by :func:`graph.infer_neighbours`.
        When a pair appears several times the highest similarity is kept.
    cost : callable ``cost(u, v) -> float``
        Hours needed to close the requirement gap of moving ``u -> v``. Called
        exactly once per distinct edge, after all inputs were checked; must
        return a finite number >= 0.
    cross_family_friction : float, default 40.0
        Hours added to the cost of every move into another family (whatever its level).
    other_track_friction : float, default 0.0
        Hours added to the cost of every move onto the other track.

    Returns
    -------
    networkx.DiGraph
        Edge ``cost = gap_hours + friction`` where ``gap_hours = cost(u, v)`` and
        ``friction`` depends on the move kind (0 for promotion, lateral and
        step-down). See the module docstring for all attributes.

    Raises
    ------
    RoleNotFound
        An edge names a role that is not in ``roles``.
    ValueError
        Duplicate role id, malformed edge entry, bad friction, or a ``cost``
        result that is negative or not finite.

    Notes
    -----
    Duplicate edges from several sources are merged into one edge: ``sources``
    is the union, ``transitions`` counts the observed moves. Self-loops
    (``u == v``) are not moves and are dropped.

    Examples
    --------
    >>> roles = [RoleNode("a", "A", "eng", 1, "ic"), RoleNode("b", "B", "eng", 2, "ic"),
    ...          RoleNode("c", "C", "data", 2, "ic")]
    >>> G = build_role_graph(roles, ladder=[("a", "b")], transitions=[("a", "b"), ("b", "c")],
    ...                      cost=lambda u, v: 10.0)
    >>> G.edges["a", "b"]["sources"], G.edges["a", "b"]["transitions"]
    (['ladder', 'transition'], 1)
    >>> G.edges["b", "c"]["move"], G.edges["b", "c"]["cost"]
    ('cross_family', 50.0)
    """
    if not callable(cost):
        raise TypeError(f"cost must be callable, got {type(cost).__name__}")
    frictions = {
        "cross_family": _check_friction(cross_family_friction, "cross_family_friction"),
        "other_track": _check_friction(other_track_friction, "other_track_friction"),
    }

    G = nx.DiGraph()
    for role in roles:
        node = role if isinstance(role, RoleNode) else None
        if node is None:
            if not isinstance(role, Mapping):
                raise TypeError(f"roles must be RoleNode or mappings, got {type(role).__name__}")
            node = RoleNode.from_mapping(role)
        if node.id in G:
            raise ValueError(f"duplicate role id {node.id!r}")
        G.add_node(node.id, **node.attrs())

    # Collect and check every edge before calling ``cost`` at all.
    edges: dict[tuple[str, str], dict[str, Any]] = {}

    def add(u: Any, v: Any, source: str) -> dict[str, Any] | None:
        for role_id in (u, v):
            if role_id not in G:
                raise RoleNotFound(role_id, f"{source} edge ({u!r}, {v!r})")
        if u == v:
            return None
        entry = edges.setdefault((u, v), {"sources": set(), "transitions": 0, "similarity": None})
        entry["sources"].add(source)
        return entry

    for u, v in _pairs(ladder, 2, "ladder"):
        add(u, v, "ladder")
    for u, v in _pairs(transitions, 2, "transitions"):
        entry = add(u, v, "transition")
        if entry is not None:
            entry["transitions"] += 1
    for u, v, similarity in _pairs(inferred, 3, "inferred"):
        similarity = float(similarity)
        if not math.isfinite(similarity):
            raise ValueError(f"inferred edge ({u!r}, {v!r}) has a non-finite similarity {similarity!r}")
        entry = add(u, v, "inferred")
        if entry is not None and (entry["similarity"] is None or similarity > entry["similarity"]):
            entry["similarity"] = similarity

    for (u, v), entry in edges.items():
        gap = float(cost(u, v))
        if not math.isfinite(gap) or gap < 0:
            raise ValueError(f"cost({u!r}, {v!r}) must be finite and >= 0, got {gap!r}")
        move = classify_move(G.nodes[u], G.nodes[v])
        track_change, family_change = move_changes(G.nodes[u], G.nodes[v])
        # Friction follows what changes (a new family, a new track), whatever the level does.
        friction = frictions["cross_family"] * family_change + frictions["other_track"] * track_change
        attrs: dict[str, Any] = {
            "move": move,
            "track_change": track_change,
            "family_change": family_change,
            "gap_hours": gap,
            "friction": friction,
            "cost": gap + friction,
            "sources": sorted(entry["sources"]),
            "transitions": entry["transitions"],
        }
        if entry["similarity"] is not None:
            attrs["similarity"] = entry["similarity"]
        G.add_edge(u, v, **attrs)
    return G
