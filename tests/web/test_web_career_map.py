"""The career map drawing (engine.charts.career_map) over a hand-made role graph.

The graph: an engineering ladder on two tracks and a small data family; where each role must
sit, which edges are ladders / observed / only inferred, and what a route highlights are all
known by construction.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from engine.charts.career_map import NODE_H, NODE_W, career_map_svg, family_roles, layout, map_roles
from graph import RoleNode, build_role_graph

NS = {"s": "http://www.w3.org/2000/svg"}

ROLES = [
    RoleNode("eng1", "Engineer I", "engineering", 1, "ic"),
    RoleNode("eng2", "Engineer II", "engineering", 2, "ic"),
    RoleNode("eng3", "Senior Engineer", "engineering", 3, "ic"),
    RoleNode("eng3b", "Site Reliability Engineer", "engineering", 3, "ic"),
    RoleNode("mgr3", "Engineering Manager", "engineering", 3, "management"),
    RoleNode("mgr4", "Director of Engineering & <Platform> Operations Worldwide", "engineering", 4, "management"),
    RoleNode("da2", "Data Analyst", "data", 2, None),
    RoleNode("ds3", "Data Scientist", "data", 3, None),
]
LADDER = [("eng1", "eng2"), ("eng2", "eng3"), ("eng3", "mgr4"), ("mgr3", "mgr4"), ("da2", "ds3")]
TRANSITIONS = [("eng2", "eng3")] * 12 + [("eng2", "mgr3")] * 3 + [("eng2", "da2")]


@pytest.fixture(scope="module")
def G():  # type: ignore[no-untyped-def]
    return build_role_graph(ROLES, ladder=LADDER, transitions=TRANSITIONS,
                            inferred=[("eng1", "eng3b", 0.8)], cost=lambda u, v: 10.0)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # fails on anything that is not well-formed XML


def role_groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-role"): g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-role")}


def texts(el: ET.Element) -> list[str]:
    return [t.text or "" for t in el.iter("{http://www.w3.org/2000/svg}text")]


def moves(root: ET.Element, layer: str) -> list[str]:
    """Tooltips of the drawn move paths of one layer (route / alt / edge / faded)."""
    return [p.find("s:title", NS).text for p in root.iter("{http://www.w3.org/2000/svg}path")  # type: ignore[union-attr]
            if layer in (p.get("class") or "").split()]


def test_layout_puts_levels_left_to_right_and_tracks_in_their_own_lanes(G) -> None:  # type: ignore[no-untyped-def]
    lay = layout(G, family_roles(G, "engineering"))
    n = lay.nodes
    assert n["eng1"].x < n["eng2"].x < n["eng3"].x < n["mgr4"].x
    assert n["eng3"].x == n["eng3b"].x == n["mgr3"].x  # one column per level
    lanes = {(lane.family, lane.track): lane for lane in lay.lanes}
    assert set(lanes) == {("engineering", "ic"), ("engineering", "management")}
    ic, mg = lanes["engineering", "ic"], lanes["engineering", "management"]
    for r in ("eng1", "eng2", "eng3", "eng3b"):
        assert ic.y <= n[r].y and n[r].y + NODE_H <= ic.y + ic.height
    for r in ("mgr3", "mgr4"):
        assert mg.y <= n[r].y and n[r].y + NODE_H <= mg.y + mg.height
    # Two IC roles at level 3 stack without overlapping.
    assert abs(n["eng3"].y - n["eng3b"].y) >= NODE_H
    assert lay.width >= max(node.x for node in n.values()) + NODE_W


def test_family_map_labels_every_role_and_is_accessible(G) -> None:  # type: ignore[no-untyped-def]
    svg = career_map_svg(G, roles=family_roles(G, "engineering"))
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find("s:title", NS).text == "Career map: Engineering"  # type: ignore[union-attr]
    desc = root.find("s:desc", NS).text  # type: ignore[union-attr]
    assert "6 roles of Engineering, levels 1 to 4" in desc
    groups = role_groups(root)
    assert set(groups) == {"eng1", "eng2", "eng3", "eng3b", "mgr3", "mgr4"}
    assert "Senior Engineer" in texts(groups["eng3"])
    assert "Level 1" in texts(root) and "management track" in texts(root)
    # No route: nothing is highlighted or faded.
    assert not moves(root, "route") and not moves(root, "faded")
    assert all("faded" not in (g.get("class") or "") for g in groups.values())


def test_long_titles_wrap_and_keep_the_full_title_in_the_tooltip(G) -> None:  # type: ignore[no-untyped-def]
    root = parse(career_map_svg(G, roles=["mgr4"]))
    g = role_groups(root)["mgr4"]
    lines = texts(g)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert g.find("s:title", NS).text.startswith("Director of Engineering & <Platform> Operations Worldwide")  # type: ignore[union-attr]


def test_ladders_solid_observed_moves_dashed_with_counts_inferred_left_out(G) -> None:  # type: ignore[no-untyped-def]
    root = parse(career_map_svg(G, roles=family_roles(G, "engineering")))
    edges = {p.find("s:title", NS).text: p for p in root.iter("{http://www.w3.org/2000/svg}path")  # type: ignore[union-attr]
             if p.find("s:title", NS) is not None}
    ladder = next(p for t, p in edges.items() if t.startswith("Engineer II → Senior Engineer"))
    observed = next(p for t, p in edges.items() if t.startswith("Engineer II → Engineering Manager"))
    assert ladder.get("stroke-dasharray") is None and "12 observed moves" in ladder.find("s:title", NS).text  # type: ignore[union-attr]
    assert observed.get("stroke-dasharray") == "5 4"
    counts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "count"]
    assert sorted(counts) == ["×12", "×3"]
    assert not any(t.startswith("Engineer I → Site Reliability") for t in edges)
    with_inferred = parse(career_map_svg(G, roles=family_roles(G, "engineering"), show_inferred=True))
    assert any(t.startswith("Engineer I → Site Reliability") for t in moves(with_inferred, "edge"))


def test_route_is_highlighted_captioned_and_the_rest_faded(G) -> None:  # type: ignore[no-untyped-def]
    route = ["eng1", "eng2", "eng3", "mgr4"]
    svg = career_map_svg(G, route=route, alternatives=[["eng1", "eng2", "mgr3", "mgr4"]], options=["eng3b"],
                         route_hours=30)
    root = parse(svg)
    groups = role_groups(root)
    # The route's family in full; the data family is not on the route.
    assert set(groups) == {"eng1", "eng2", "eng3", "eng3b", "mgr3", "mgr4"}
    assert [r for r, g in groups.items() if "route" in g.get("class", "").split()] == route
    assert "You are here" in texts(groups["eng1"])
    assert "Step 1" in texts(groups["eng2"]) and "Step 2" in texts(groups["eng3"])
    assert "Target" in texts(groups["mgr4"])
    assert "current" in groups["eng1"].get("class", "")
    assert "strong" in groups["eng3b"].get("class", "")  # an option keeps full strength
    assert "faded" in groups["mgr3"].get("class", "")
    assert [t.split(":")[0] for t in moves(root, "route")] == [
        "Engineer I → Engineer II", "Engineer II → Senior Engineer",
        "Senior Engineer → Director of Engineering & <Platform> Operations Worldwide"]
    assert {t.split(":")[0] for t in moves(root, "alt")} == {
        "Engineer II → Engineering Manager",
        "Engineering Manager → Director of Engineering & <Platform> Operations Worldwide"}
    desc = root.find("s:desc", NS).text  # type: ignore[union-attr]
    assert "You are here: Engineer I." in desc and "3 steps, about 30 h of learning" in desc
    assert "your route" in texts(root) and "other routes" in texts(root)


def test_map_roles_takes_whole_families_and_alternative_detours(G) -> None:  # type: ignore[no-untyped-def]
    assert set(map_roles(G, current="da2")) == {"da2", "ds3"}
    roles = map_roles(G, route=["da2", "ds3"], alternatives=[["da2", "eng3", "ds3"]])
    assert set(roles) == {"da2", "ds3", "eng3"}
    lay = layout(G, roles)
    assert {(lane.family, lane.track) for lane in lay.lanes} == {("data", None), ("engineering", "ic")}


def test_unknown_roles_are_ignored_and_an_empty_map_still_renders(G) -> None:  # type: ignore[no-untyped-def]
    root = parse(career_map_svg(G, roles=["nope"], route=["nope"]))
    assert role_groups(root) == {}
    assert root.find("s:title", NS).text == "Career map"  # type: ignore[union-attr]
