from __future__ import annotations

import json

import networkx as nx
import pytest

from graph import MOVE_KINDS, RoleNotFound, bottlenecks, outgoing, summary, to_json


def test_bottlenecks_finds_dead_ends(role_graph: nx.DiGraph) -> None:
    found = bottlenecks(role_graph, max_out=0)
    assert [b.id for b in found] == ["data2", "eng3", "mgr3"]
    assert all(b.out_degree == 0 and b.targets == () for b in found)
    eng3 = found[1]
    assert (eng3.title, eng3.family, eng3.level, eng3.track, eng3.in_degree) == (
        "Senior Engineer",
        "eng",
        3,
        "ic",
        1,
    )


def test_bottlenecks_sorted_by_out_degree_then_id(role_graph: nx.DiGraph) -> None:
    found = bottlenecks(role_graph)  # max_out=1
    assert [(b.id, b.out_degree) for b in found] == [
        ("data2", 0),
        ("eng3", 0),
        ("mgr3", 0),
        ("eng1", 1),
    ]
    assert found[-1].targets == ("eng2",)
    assert "eng2" not in {b.id for b in found}  # three ways out


def test_bottlenecks_ignores_step_downs_by_default() -> None:
    G = nx.DiGraph()
    G.add_edge("senior", "junior", move="step_down")
    G.add_edge("junior", "senior", move="promotion")
    assert [b.id for b in bottlenecks(G, max_out=0)] == ["senior"]
    assert bottlenecks(G, max_out=0, moves=MOVE_KINDS) == []
    assert [b.id for b in bottlenecks(G, max_out=0, moves={"cross_family"})] == ["junior", "senior"]


def test_bottlenecks_bad_inputs(role_graph: nx.DiGraph) -> None:
    with pytest.raises(ValueError, match="unknown move kinds"):
        bottlenecks(role_graph, moves=("promotion", "teleport"))
    with pytest.raises(TypeError, match="single string"):
        bottlenecks(role_graph, moves="promotion")
    with pytest.raises(ValueError, match="max_out"):
        bottlenecks(role_graph, max_out=-1)


def test_outgoing_sorted_by_cost(role_graph: nx.DiGraph) -> None:
    out = outgoing(role_graph, "eng2")
    assert [(t, d["cost"]) for t, d in out] == [("mgr3", 25.0), ("eng3", 30.0), ("data2", 45.0)]
    assert [t for t, _ in outgoing(role_graph, "eng2", moves={"lateral", "cross_family"})] == ["data2"]
    out[0][1]["cost"] = 0.0  # copies: the graph is untouched
    assert role_graph.edges["eng2", "mgr3"]["cost"] == 25.0
    with pytest.raises(RoleNotFound, match="'nope'"):
        outgoing(role_graph, "nope")


def test_summary_and_to_json(role_graph: nx.DiGraph) -> None:
    s = summary(role_graph)
    assert s["roles"] == 5
    assert s["moves"] == 4
    assert s["by_move"] == {
        "promotion": 3,
        "lateral": 0,
        "cross_family": 1,
        "other_track": 0,
        "step_down": 0,
    }
    assert s["by_source"] == {"ladder": 2, "transition": 3}
    assert s["families"] == {"data": 1, "eng": 4}
    assert s["dead_ends"] == 3

    doc = to_json(role_graph)
    assert json.loads(json.dumps(doc)) == doc
    assert [r["id"] for r in doc["roles"]] == ["data2", "eng1", "eng2", "eng3", "mgr3"]
    first = doc["moves"][0]
    assert (first["source"], first["target"], first["sources"]) == ("eng1", "eng2", ["ladder", "transition"])
