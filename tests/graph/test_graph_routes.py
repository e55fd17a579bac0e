from __future__ import annotations

import networkx as nx
import pytest

from graph import NoRoute, RoleNotFound, Route, Step, alternatives, route


def test_route_is_cheapest_not_fewest_hops(diamond: nx.DiGraph) -> None:
    r = route(diamond, "a", "d")
    assert r.nodes == ["a", "b", "d"]
    assert r.steps == [Step("a", "b", "promotion", 10.0), Step("b", "d", "promotion", 10.0)]
    assert r.total_cost == 20.0
    assert r.total_cost == sum(s.cost for s in r.steps)
    assert r.hops == 2
    assert (r.source, r.target) == ("a", "d")


def test_total_cost_is_exact_sum_of_steps() -> None:
    G = nx.DiGraph()
    G.add_edge("a", "b", cost=0.1)
    G.add_edge("b", "c", cost=0.2)
    G.add_edge("c", "d", cost=0.3)
    r = route(G, "a", "d")
    assert r.total_cost == sum(s.cost for s in r.steps)
    assert [s.cost for s in r.steps] == [0.1, 0.2, 0.3]


def test_first_step_cost_changes_route(diamond: nx.DiGraph) -> None:
    # The employee already has the lateral role's skills: a -> c now costs 0,
    # so the route via c (0 + 1) beats the one via b (10 + 10).
    def first(u: str, v: str) -> float:
        assert u == "a"
        return 0.0 if v == "c" else diamond.edges[u, v]["cost"]

    r = route(diamond, "a", "d", first_step_cost=first)
    assert r.nodes == ["a", "c", "d"]
    assert r.steps[0] == Step("a", "c", "lateral", 0.0)
    assert r.total_cost == 1.0
    # the graph is not modified
    assert diamond.edges["a", "c"]["cost"] == 25.0
    assert route(diamond, "a", "d").nodes == ["a", "b", "d"]


def test_first_step_cost_only_applies_to_edges_leaving_source(diamond: nx.DiGraph) -> None:
    seen: list[tuple[str, str]] = []

    def first(u: str, v: str) -> float:
        seen.append((u, v))
        return 100.0

    r = route(diamond, "b", "d", first_step_cost=first)
    assert r.total_cost == 100.0
    assert seen == [("b", "d")]
    # from a, every first step costs 100 so the direct edge (100) beats 100 + 10 and 100 + 1
    assert route(diamond, "a", "d", first_step_cost=first).nodes == ["a", "d"]


def test_weight_attribute_and_callable(diamond: nx.DiGraph) -> None:
    for u, v in diamond.edges:
        diamond.edges[u, v]["hops"] = 1
    assert route(diamond, "a", "d", weight="hops").nodes == ["a", "d"]
    # a callable returning None hides an edge
    r = route(diamond, "a", "d", weight=lambda u, v, d: None if v == "b" else d["cost"])
    assert r.nodes == ["a", "c", "d"]


def test_zero_step_route(diamond: nx.DiGraph) -> None:
    assert route(diamond, "b", "b") == Route(nodes=["b"], steps=[], total_cost=0.0)


def test_no_route_message(diamond: nx.DiGraph) -> None:
    with pytest.raises(NoRoute, match="no route from role 'd' to role 'a'") as info:
        route(diamond, "d", "a")
    assert (info.value.source, info.value.target) == ("d", "a")


def test_cutoff(diamond: nx.DiGraph) -> None:
    assert route(diamond, "a", "d", cutoff=20.0).total_cost == 20.0
    with pytest.raises(NoRoute, match=r"within a cost of 19\.5"):
        route(diamond, "a", "d", cutoff=19.5)
    with pytest.raises(ValueError, match="cutoff"):
        route(diamond, "a", "d", cutoff=-1)


def test_role_not_found_message(diamond: nx.DiGraph) -> None:
    with pytest.raises(RoleNotFound) as info:
        route(diamond, "a", "zz")
    assert str(info.value) == "role 'zz' is not in the role graph"
    assert info.value.id == "zz"
    with pytest.raises(RoleNotFound, match="'yy'"):
        route(diamond, "yy", "a")
    with pytest.raises(RoleNotFound, match="'zz'"):
        alternatives(diamond, "a", "zz")


def test_negative_costs_rejected(diamond: nx.DiGraph) -> None:
    with pytest.raises(ValueError, match="first_step_cost"):
        route(diamond, "a", "d", first_step_cost=lambda u, v: -5.0)
    diamond.edges["b", "d"]["cost"] = -1.0
    with pytest.raises(ValueError, match=r"edge \('b', 'd'\)"):
        route(diamond, "a", "d")


def test_alternatives_sorted_distinct_first_is_route(diamond: nx.DiGraph) -> None:
    alts = alternatives(diamond, "a", "d", k=3)
    assert [r.nodes for r in alts] == [["a", "b", "d"], ["a", "c", "d"], ["a", "d"]]
    assert [r.total_cost for r in alts] == [20.0, 26.0, 50.0]
    assert alts[0] == route(diamond, "a", "d")
    assert len({tuple(r.nodes) for r in alts}) == len(alts)
    for r in alts:
        assert r.total_cost == sum(s.cost for s in r.steps)


def test_alternatives_k_and_exhaustion(diamond: nx.DiGraph) -> None:
    assert len(alternatives(diamond, "a", "d", k=1)) == 1
    assert len(alternatives(diamond, "a", "d", k=10)) == 3
    assert alternatives(diamond, "a", "a") == [route(diamond, "a", "a")]
    with pytest.raises(ValueError, match="k must be"):
        alternatives(diamond, "a", "d", k=0)
    with pytest.raises(NoRoute):
        alternatives(diamond, "d", "a")


def test_alternatives_with_first_step_cost(diamond: nx.DiGraph) -> None:
    calls: list[tuple[str, str]] = []

    def first(u: str, v: str) -> float:
        calls.append((u, v))
        return 0.0 if v == "c" else diamond.edges[u, v]["cost"]

    alts = alternatives(diamond, "a", "d", k=3, first_step_cost=first)
    assert [r.nodes for r in alts] == [["a", "c", "d"], ["a", "b", "d"], ["a", "d"]]
    assert [r.total_cost for r in alts] == [1.0, 20.0, 50.0]
    # memoised: Yen's algorithm re-weighs edges, but each first step is costed once
    assert sorted(calls) == [("a", "b"), ("a", "c"), ("a", "d")]
    assert alts[0] == route(diamond, "a", "d", first_step_cost=first)


def test_alternatives_first_equals_route_on_ties() -> None:
    G = nx.DiGraph()
    G.add_weighted_edges_from([("s", "x", 1.0), ("x", "t", 1.0), ("s", "y", 1.0), ("y", "t", 1.0)], weight="cost")
    alts = alternatives(G, "s", "t", k=2)
    assert alts[0] == route(G, "s", "t")
    assert {tuple(r.nodes) for r in alts} == {("s", "x", "t"), ("s", "y", "t")}


def test_route_on_built_graph_includes_friction(role_graph: nx.DiGraph) -> None:
    r = route(role_graph, "eng1", "data2")
    assert r.nodes == ["eng1", "eng2", "data2"]
    assert [s.move for s in r.steps] == ["promotion", "cross_family"]
    assert r.total_cost == 20.0 + 5.0 + 40.0


def test_first_step_cost_keeps_hidden_edges_hidden(diamond: nx.DiGraph) -> None:
    # Only lateral and promotion moves allowed: the direct cross-family edge a -> d is hidden,
    # and overriding the first step's cost must not bring it back.
    def only_ladder(u: str, v: str, d: dict) -> float | None:
        return None if d["move"] == "cross_family" else d["cost"]

    r = route(diamond, "a", "d", weight=only_ladder, first_step_cost=lambda u, v: 0.0)
    assert r.nodes in (["a", "b", "d"], ["a", "c", "d"])
    alts = alternatives(diamond, "a", "d", k=5, weight=only_ladder, first_step_cost=lambda u, v: 0.0)
    assert ["a", "d"] not in [a.nodes for a in alts]
    assert len(alts) == 2
