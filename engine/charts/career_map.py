"""Career map: roles by level (x) in family / track lanes (y), ladders, observed moves, a route.

The one place this picture is drawn (the web app's employee page, ``skillgraph map``)::

    G = sg.state().graph.G
    career_map_svg(G, roles=family_roles(G, "nursing"))                   # a family's map
    career_map_svg(G, route=best.role_ids, current=best.role_ids[0],      # a person's route
                   alternatives=[a.role_ids for a in alts], options=next_role_ids)

``G`` is the role graph (:mod:`graph`): node attributes ``title``, ``family``, ``level``, ``track``;
edge attributes ``move``, ``sources`` (``ladder`` / ``transition`` / ``inferred``), ``transitions``
(observed moves) and ``cost``. Any DiGraph with those attributes works.

What is drawn:

- one column per level, one lane per (family, track); roles sharing a lane and a level stack;
- career-ladder edges solid, observed moves (not on a ladder) dashed, each observed edge labelled
  with how many people made the move; moves only inferred from similarity are left out unless
  they lie on a route (or ``show_inferred``);
- the route thick, with arrowheads, its roles captioned "You are here", "Step n", "Target";
  alternative routes dashed; every other role and edge faded but still readable.

Accessible: ``<title>`` and ``<desc>`` (the route spelled out), each role a text label and its own
``<title>``, route roles told apart by captions and line weight, not colour alone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import networkx as nx

from engine.charts.svg import INK, PALETTE, Svg, esc

__all__ = ["Lane", "MapLayout", "MapNode", "career_map_svg", "family_roles", "layout", "map_roles"]

# Geometry (px). Nodes are wide enough for ~21 characters of 12 px text per line, two lines.
COL_W, NODE_W, NODE_H, ROW_GAP, LANE_PAD = 178, 152, 54, 14, 12
LEFT, TOP, RIGHT, LEGEND_H = 150, 58, 24, 64
TRACK_ORDER = {"ic": 0, "management": 1, None: 2}
TRACK_NAMES = {"ic": "IC track", "management": "management track", None: ""}

ROUTE = PALETTE[0]  # blue lines, 5.2:1 on white
ROUTE_TEXT = "#005b91"  # captions on the route's pale fill
MUTED = "#57606a"  # secondary text: >= 4.5:1 on every fill of the map (6.0:1 on the lanes' grey)
EDGE = "#6e7781"  # 4.6:1: solid enough for lines next to labels
FADED = "#afb8c1"
NODE_STROKE = "#57606a"
ROUTE_FILL = "#e7f1fa"
LANE_FILL = ("#f6f8fa", "#ffffff")


@dataclass(frozen=True)
class MapNode:
    """A placed role: its attributes and the top-left corner of its box."""

    id: str
    title: str
    family: str
    level: int
    track: str | None
    x: float
    y: float


@dataclass(frozen=True)
class Lane:
    family: str
    track: str | None
    y: float
    height: float

    @property
    def label(self) -> str:
        return humanise(self.family)


@dataclass(frozen=True)
class MapLayout:
    nodes: dict[str, MapNode]
    lanes: list[Lane]
    levels: list[int]
    width: int
    height: int


def humanise(family: str) -> str:
    """``data-analytics`` -> ``Data analytics``."""
    text = family.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def family_roles(G: nx.DiGraph, *families: str) -> list[str]:
    """Every role of the given families (all roles when none is given), in graph order."""
    wanted = set(families)
    return [n for n, d in G.nodes(data=True) if not wanted or d.get("family") in wanted]


def map_roles(
    G: nx.DiGraph,
    *,
    route: Sequence[str] = (),
    current: str | None = None,
    alternatives: Iterable[Sequence[str]] = (),
) -> list[str]:
    """The roles a personal map shows: the families of the route and the current role, in full,
    plus any role of an alternative route outside them."""
    anchor = [r for r in [*route, *([current] if current else [])] if r in G]
    out = family_roles(G, *{G.nodes[r]["family"] for r in anchor}) if anchor else []
    seen = set(out)
    for alt in alternatives:
        for r in alt:
            if r in G and r not in seen:
                seen.add(r)
                out.append(r)
    return out


def layout(G: nx.DiGraph, roles: Iterable[str]) -> MapLayout:
    """Place ``roles``: x by level (one column per level from the lowest to the highest shown),
    y by (family, track) lane; roles of one lane at one level stack, ordered by title."""
    ids = [r for r in dict.fromkeys(roles) if r in G]
    if not ids:
        return MapLayout({}, [], [], LEFT + RIGHT + NODE_W, TOP + LEGEND_H)
    attrs = {r: G.nodes[r] for r in ids}
    levels = sorted({int(a.get("level", 0)) for a in attrs.values()})
    lo, hi = levels[0], levels[-1]
    lanes_of: dict[tuple[str, str | None], list[str]] = {}
    for r in ids:
        lanes_of.setdefault((str(attrs[r].get("family", "")), attrs[r].get("track")), []).append(r)
    order = sorted(lanes_of, key=lambda k: (k[0], TRACK_ORDER.get(k[1], 3)))
    nodes: dict[str, MapNode] = {}
    lanes: list[Lane] = []
    y = float(TOP)
    for key in order:
        stacks: dict[int, list[str]] = {}
        for r in sorted(lanes_of[key], key=lambda r: (str(attrs[r].get("title", r)), r)):
            stacks.setdefault(int(attrs[r].get("level", 0)), []).append(r)
        depth = max(len(s) for s in stacks.values())
        height = depth * (NODE_H + ROW_GAP) - ROW_GAP + 2 * LANE_PAD
        for level, stack in stacks.items():
            x = LEFT + (level - lo) * COL_W + (COL_W - NODE_W) / 2
            for i, r in enumerate(stack):
                a = attrs[r]
                nodes[r] = MapNode(r, str(a.get("title") or r), key[0], level, a.get("track"), x,
                                   y + LANE_PAD + i * (NODE_H + ROW_GAP))
        lanes.append(Lane(key[0], key[1], y, height))
        y += height
    width = LEFT + (hi - lo + 1) * COL_W + RIGHT
    return MapLayout(nodes, lanes, list(range(lo, hi + 1)), int(width), int(y + LEGEND_H))


def _wrap(text: str, width: int = 21, lines: int = 2) -> list[str]:
    words, out, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return [o if len(o) <= width else o[: width - 1] + "…" for o in out]


def _attr(**attrs: object) -> str:
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None)


def _sides(a: MapNode, b: MapNode) -> tuple[str, str]:
    """Which side of each box an edge leaves / enters: up a level right -> left, down a level
    left -> right; within a column, downwards on the right, upwards on the left."""
    if b.level > a.level:
        return "R", "L"
    if b.level < a.level:
        return "L", "R"
    return ("R", "R") if b.y > a.y else ("L", "L")


def _ports(nodes: Mapping[str, MapNode], edges: Sequence[tuple[str, str]]) -> dict[tuple[str, str, int], float]:
    """Spread the edge ends on each side of a box by the other end's height, so arrows that meet a
    box do not pile up: (u, v, end 0|1) -> y of that end."""
    by_side: dict[tuple[str, str], list[tuple[float, str, str, int]]] = {}
    for u, v in edges:
        su, sv = _sides(nodes[u], nodes[v])
        by_side.setdefault((u, su), []).append((nodes[v].y, u, v, 0))
        by_side.setdefault((v, sv), []).append((nodes[u].y, u, v, 1))
    out: dict[tuple[str, str, int], float] = {}
    span = NODE_H - 16
    for (r, _side), ends in by_side.items():
        ends.sort()
        n = nodes[r]
        for i, (_, u, v, end) in enumerate(ends):
            off = 0.0 if len(ends) == 1 else -span / 2 + span * i / (len(ends) - 1)
            out[(u, v, end)] = n.y + NODE_H / 2 + off
    return out


def _geometry(a: MapNode, b: MapNode, y1: float, y2: float) -> tuple[str, float, float]:
    """SVG path from box a to box b (ends at heights y1, y2) and where its label goes."""
    su, sv = _sides(a, b)
    x1 = a.x + NODE_W if su == "R" else a.x
    x2 = b.x + NODE_W if sv == "R" else b.x
    if su != sv:
        dx = (x2 - x1) * 0.5
        path = f"M{x1:.1f},{y1:.1f} C{x1 + dx:.1f},{y1:.1f} {x2 - dx:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        return path, (x1 + x2) / 2, (y1 + y2) / 2 - 4
    bow = min(64.0, 16.0 + abs(y2 - y1) * 0.18) * (1 if su == "R" else -1)
    path = f"M{x1:.1f},{y1:.1f} C{x1 + bow:.1f},{y1:.1f} {x2 + bow:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
    return path, x1 + bow * 0.75 + (8 if bow > 0 else -8), (y1 + y2) / 2 + 3


def _route_edges(route: Sequence[str]) -> set[tuple[str, str]]:
    return set(pairwise(route))


def career_map_svg(
    G: nx.DiGraph,
    *,
    roles: Iterable[str] | None = None,
    route: Sequence[str] = (),
    alternatives: Iterable[Sequence[str]] = (),
    current: str | None = None,
    options: Collection[str] = (),
    title: str | None = None,
    show_inferred: bool = False,
    route_hours: float | None = None,
    id_prefix: str = "cm",
) -> str:
    """The career map as SVG text.

    Parameters
    ----------
    G : networkx.DiGraph
        The role graph.
    roles : iterable of str, optional
        Roles to draw. Default: :func:`map_roles` of the route (its families in full), or every
        role of ``G`` when there is no route and no ``current`` role.
    route : sequence of str
        The highlighted route, current role first (empty for a plain family map).
    alternatives : iterable of sequences of str
        Other routes, drawn dashed.
    current : str, optional
        The person's role ("You are here"); defaults to the route's first role.
    options : collection of str
        Roles worth showing in full strength besides the route (e.g. recommended next roles);
        with a route, every other role is faded.
    title : str, optional
        Accessible name and heading; a default names the families or the route.
    show_inferred : bool
        Also draw moves only inferred from role similarity (off: they are many and unobserved).
    route_hours : float, optional
        The person's upskilling hours along the route, told in the description.
    id_prefix : str
        Prefix of the marker ids, unique per page when several maps are inlined.
    """
    route = [r for r in route if r in G]
    alts = [[r for r in a if r in G] for a in alternatives]
    current = current if current in G else (route[0] if route else None)
    if roles is None:
        roles = map_roles(G, route=route, current=current, alternatives=alts) if (route or current) else list(G)
    shown = list(dict.fromkeys([*roles, *route, *(r for a in alts for r in a), *([current] if current else [])]))
    lay = layout(G, shown)
    nodes = lay.nodes
    focus = bool(route) or current is not None
    on_route = set(route)
    route_edges = _route_edges(route)
    alt_edges = {e for a in alts for e in _route_edges(a)} - route_edges
    strong = on_route | set(options) | ({current} if current else set())
    families = list(dict.fromkeys(lane.label for lane in lay.lanes))

    name = title or (
        f"Career map: {nodes[route[0]].title} to {nodes[route[-1]].title}" if len(route) > 1
        else f"Career map: {', '.join(families)}" if families else "Career map"
    )
    svg = Svg(lay.width, lay.height, name, _describe(lay, route, alts, current, families, route_hours))
    p = id_prefix
    svg.raw(
        "<defs>"
        + "".join(
            f'<marker id="{p}-{k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="{w}" markerHeight="{w}" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
            for k, c, w in (("edge", EDGE, 7), ("faded", FADED, 7), ("route", ROUTE, 5), ("alt", NODE_STROKE, 6))
        )
        + "</defs>"
    )
    svg.text(12, 24, name, size=15, font_weight="600")
    # Lanes and level columns.
    for i, lane in enumerate(lay.lanes):
        svg.rect(0, lane.y, lay.width, lane.height, fill=LANE_FILL[i % 2])
        svg.text(12, lane.y + 22, lane.label, size=12, font_weight="600")
        tracked = any(o.family == lane.family and o.track is not None for o in lay.lanes)
        sub = TRACK_NAMES.get(lane.track, str(lane.track)) if lane.track else ("no track" if tracked else "")
        if sub:
            svg.text(12, lane.y + 38, sub, size=11, fill=MUTED)
    for j, level in enumerate(lay.levels):
        svg.text(LEFT + j * COL_W + COL_W / 2, TOP - 10, f"Level {level}", size=11, fill=MUTED,
                 text_anchor="middle")

    # Edges: faded first, the route last so it is drawn on top.
    layers: dict[str, list[str]] = {"faded": [], "edge": [], "alt": [], "route": [], "labels": []}
    drawn: list[tuple[str, str, str, dict[str, Any]]] = []
    for u, v, d in G.subgraph(nodes).edges(data=True):
        sources = set(d.get("sources", ()))
        if (u, v) in route_edges:
            layer = "route"
        elif (u, v) in alt_edges:
            layer = "alt"
        elif "ladder" in sources or d.get("transitions") or show_inferred:
            layer = "faded" if focus and not (u in strong and v in strong) else "edge"
        else:
            continue
        drawn.append((u, v, layer, d))
    ports = _ports(nodes, [(u, v) for u, v, _, _ in drawn])
    for u, v, layer, d in drawn:
        sources = set(d.get("sources", ()))
        observed = int(d.get("transitions", 0) or 0)
        a, b = nodes[u], nodes[v]
        path, lx, ly = _geometry(a, b, ports[(u, v, 0)], ports[(u, v, 1)])
        style = {
            "route": {"stroke": ROUTE, "stroke_width": 3.5},
            "alt": {"stroke": NODE_STROKE, "stroke_width": 2, "stroke_dasharray": "7 4"},
            "edge": {"stroke": EDGE, "stroke_width": 1.5},
            "faded": {"stroke": FADED, "stroke_width": 1.2},
        }[layer]
        if layer in ("edge", "faded") and "ladder" not in sources:
            style["stroke_dasharray"] = "5 4" if observed else "1 4"
        how = ", ".join(s for s in ("ladder", "transition", "inferred") if s in sources) or "inferred"
        tip = (f"{a.title} → {b.title}: {str(d.get('move', 'move')).replace('_', ' ')} ({how}"
               + (f", {observed} observed move{'s' if observed != 1 else ''}" if observed else "") + ")")
        layers[layer].append(
            f'<path{_attr(d=path, fill="none", marker_end=f"url(#{p}-{layer})", class_=f"move {layer}", **style)}>'
            f"<title>{esc(tip)}</title></path>"
        )
        if observed:
            colour = ROUTE_TEXT if layer == "route" else MUTED
            label = _attr(x=f"{lx:.1f}", y=f"{ly:.1f}", font_size=10, text_anchor="middle", fill=colour,
                          stroke="#fff", stroke_width=3, paint_order="stroke", class_="count")
            layers["labels"].append(f"<text{label}>×{observed}</text>")
    for layer in ("faded", "edge", "alt", "route", "labels"):
        svg.raw("".join(layers[layer]))

    # Nodes on top.
    step = {r: i for i, r in enumerate(route)}
    for r, n in nodes.items():
        _node(svg, n, G.nodes[r], caption=_caption(r, step, route, current),
              state="route" if r in on_route else ("strong" if (r in strong or not focus) else "faded"),
              current=r == current)
    _legend(svg, lay, bool(route), bool(alt_edges))
    return svg.render()


def _caption(r: str, step: Mapping[str, int], route: Sequence[str], current: str | None) -> str:
    if r == current:
        return "You are here"
    if r in step and route:
        return "Target" if step[r] == len(route) - 1 else f"Step {step[r]}"
    return ""


def _node(svg: Svg, n: MapNode, attrs: Mapping[str, Any], *, caption: str, state: str, current: bool) -> None:
    track = TRACK_NAMES.get(n.track, "") if n.track else ""
    tip = f"{n.title}: {humanise(n.family)}, level {n.level}" + (f", {track}" if track else "") + (
        f" ({caption.lower()})" if caption else "")
    classes = " ".join(c for c in ("role", state, "current" if current else "") if c)
    svg.raw(f'<g{_attr(class_=classes, data_role=n.id)}><title>{esc(tip)}</title>')
    stroke, width, fill, ink = {
        "route": (ROUTE, 2.5, ROUTE_FILL, INK),
        "strong": (NODE_STROKE, 1.3, "#ffffff", INK),
        "faded": (FADED, 1.0, "#ffffff", MUTED),
    }[state]
    if current:
        stroke, width = INK, 3.0
    svg.rect(n.x, n.y, NODE_W, NODE_H, rx=8, fill=fill, stroke=stroke, stroke_width=width)
    lines = _wrap(n.title)
    base = n.y + (19 if len(lines) > 1 or caption else 32)
    for i, line in enumerate(lines):
        svg.text(n.x + NODE_W / 2, base + 15 * i, line, size=12, text_anchor="middle", fill=ink,
                 font_weight="600" if state == "route" else None)
    if caption:
        svg.text(n.x + NODE_W / 2, n.y + NODE_H - 6, caption, size=10, text_anchor="middle",
                 fill=INK if current else ROUTE_TEXT, font_weight="700", class_="caption")
    svg.raw("</g>")


def _legend(svg: Svg, lay: MapLayout, route: bool, alts: bool) -> None:
    y = lay.height - LEGEND_H + 30
    items = [({"stroke": EDGE, "stroke_width": 1.5}, "career ladder"),
             ({"stroke": EDGE, "stroke_width": 1.5, "stroke_dasharray": "5 4"},
              "observed move (×N = people who made it)")]
    if route:
        items.append(({"stroke": ROUTE, "stroke_width": 3.5}, "your route"))
    if alts:
        items.append(({"stroke": NODE_STROKE, "stroke_width": 2, "stroke_dasharray": "7 4"}, "other routes"))
    x = 12.0
    svg.raw('<g class="legend">')
    for style, label in items:
        svg.raw(f"<line{_attr(x1=f'{x:.1f}', y1=f'{y:.1f}', x2=f'{x + 34:.1f}', y2=f'{y:.1f}', **style)}/>")
        svg.text(x + 42, y + 4, label, size=11, fill=INK)
        x += 42 + 6.2 * len(label) + 26
    svg.raw("</g>")


def _describe(lay: MapLayout, route: Sequence[str], alts: Sequence[Sequence[str]], current: str | None,
              families: Sequence[str], hours: float | None) -> str:
    n = lay.nodes
    lo, hi = (lay.levels[0], lay.levels[-1]) if lay.levels else (0, 0)
    text = f"{len(n)} roles of {', '.join(families) or 'no family'}, levels {lo} to {hi}."
    if current and current in n:
        text += f" You are here: {n[current].title}."
    if len(route) > 1:
        about = f", about {hours:.0f} h of learning" if hours is not None else ""
        text += (f" Route: {' → '.join(n[r].title for r in route)} ({len(route) - 1} "
                 f"step{'s' if len(route) > 2 else ''}{about}).")
    if alts:
        text += f" {len(alts)} other route{'s' if len(alts) > 1 else ''} drawn dashed."
    return text
