from __future__ import annotations

import networkx as nx
import pytest

from graph import MOVE_KINDS, RoleNode, RoleNotFound, build_role_graph, classify_move, move_changes

IC2 = {"family": "eng", "level": 2, "track": "ic"}


@pytest.mark.parametrize(
    ("dst", "expected"),
    [
        ({"family": "eng", "level": 3, "track": "ic"}, "promotion"),
        ({"family": "eng", "level": 2, "track": "ic"}, "lateral"),
        ({"family": "eng", "level": 1, "track": "ic"}, "step_down"),
        # level first: a higher level is a promotion whatever else changes, a lower one a step down
        ({"family": "data", "level": 3, "track": "ic"}, "promotion"),
        ({"family": "eng", "level": 3, "track": "management"}, "promotion"),
        ({"family": "data", "level": 1, "track": "management"}, "step_down"),
        # same level: another family, then the other track
        ({"family": "data", "level": 2, "track": "ic"}, "cross_family"),
        ({"family": "data", "level": 2, "track": "management"}, "cross_family"),
        ({"family": "eng", "level": 2, "track": "management"}, "other_track"),
        ({"family": "eng", "level": 1, "track": "management"}, "step_down"),
        # a missing track never makes an other-track move
        ({"family": "eng", "level": 3, "track": None}, "promotion"),
        ({"family": "eng", "level": 2}, "lateral"),
    ],
)
def test_classify_move_table(dst: dict, expected: str) -> None:
    assert classify_move(IC2, dst) == expected
    assert expected in MOVE_KINDS


def test_classify_move_accepts_role_nodes() -> None:
    a = RoleNode("a", "A", "eng", 1, "ic")
    b = RoleNode("b", "B", "eng", 2, "ic")
    assert classify_move(a, b) == "promotion"
    assert classify_move(b, a) == "step_down"


def test_classify_move_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="level"):
        classify_move({"family": "eng"}, IC2)
    with pytest.raises(TypeError, match="RoleNode or a mapping"):
        classify_move("eng1", IC2)  # type: ignore[arg-type]


def test_role_node_validation() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        RoleNode("", "X", "eng", 1)
    with pytest.raises(TypeError, match="level must be an int"):
        RoleNode("x", "X", "eng", "2")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="track"):
        RoleNode("x", "X", "eng", 2, "wizard")


def test_build_graph_nodes_and_attrs(role_graph: nx.DiGraph) -> None:
    assert set(role_graph) == {"eng1", "eng2", "eng3", "mgr3", "data2"}
    assert role_graph.nodes["mgr3"] == {
        "title": "Engineering Manager",
        "family": "eng",
        "level": 3,
        "track": "management",
    }
    assert role_graph.edges["eng1", "eng2"]["move"] == "promotion"
    assert role_graph.edges["eng2", "mgr3"]["move"] == "promotion"
    assert role_graph.edges["eng2", "mgr3"]["track_change"] is True
    assert role_graph.edges["eng2", "mgr3"]["family_change"] is False
    assert role_graph.edges["eng2", "data2"]["move"] == "cross_family"


def test_cross_family_friction_is_added(role_graph: nx.DiGraph) -> None:
    d = role_graph.edges["eng2", "data2"]
    assert d["gap_hours"] == 5.0
    assert d["friction"] == 40.0
    assert d["cost"] == 45.0
    # same-family moves carry no friction by default (other_track_friction=0)
    assert role_graph.edges["eng2", "mgr3"]["cost"] == 25.0
    assert role_graph.edges["eng2", "eng3"]["cost"] == 30.0


def test_frictions_are_configurable(roles: list[RoleNode]) -> None:
    G = build_role_graph(
        roles,
        transitions=[("eng2", "data2"), ("eng2", "mgr3")],
        cost=lambda u, v: 1.0,
        cross_family_friction=0.0,
        other_track_friction=7.5,
    )
    assert G.edges["eng2", "data2"]["cost"] == 1.0
    assert G.edges["eng2", "mgr3"]["cost"] == 8.5
    with pytest.raises(ValueError, match="cross_family_friction"):
        build_role_graph(roles, cost=lambda u, v: 1.0, cross_family_friction=-1.0)


def test_duplicate_edges_merge(roles: list[RoleNode]) -> None:
    calls: list[tuple[str, str]] = []

    def cost(u: str, v: str) -> float:
        calls.append((u, v))
        return 10.0

    G = build_role_graph(
        roles,
        ladder=[("eng1", "eng2"), ("eng1", "eng2")],
        transitions=[("eng1", "eng2"), ("eng1", "eng2"), ("eng1", "eng2")],
        inferred=[("eng1", "eng2", 0.5), ("eng1", "eng2", 0.9), ("eng2", "eng3", 0.7)],
        cost=cost,
    )
    assert G.number_of_edges() == 2
    d = G.edges["eng1", "eng2"]
    assert d["sources"] == ["inferred", "ladder", "transition"]
    assert d["transitions"] == 3
    assert d["similarity"] == 0.9
    assert G.edges["eng2", "eng3"]["sources"] == ["inferred"]
    assert G.edges["eng2", "eng3"]["transitions"] == 0
    # cost is called once per distinct edge
    assert sorted(calls) == [("eng1", "eng2"), ("eng2", "eng3")]


def test_ladder_plus_transition_merge(role_graph: nx.DiGraph) -> None:
    d = role_graph.edges["eng1", "eng2"]
    assert d["sources"] == ["ladder", "transition"]
    assert d["transitions"] == 1
    assert "similarity" not in d
    assert role_graph.edges["eng2", "eng3"]["transitions"] == 0


def test_unknown_role_in_edge_raises_before_costing(roles: list[RoleNode]) -> None:
    calls: list[tuple[str, str]] = []

    def cost(u: str, v: str) -> float:
        calls.append((u, v))
        return 1.0

    with pytest.raises(RoleNotFound, match="'ghost'") as info:
        build_role_graph(roles, ladder=[("eng1", "eng2")], transitions=[("eng1", "ghost")], cost=cost)
    assert info.value.id == "ghost"
    assert "transition edge" in str(info.value)
    assert isinstance(info.value, KeyError)
    assert calls == []


def test_build_rejects_bad_inputs(roles: list[RoleNode]) -> None:
    with pytest.raises(ValueError, match="duplicate role id 'eng1'"):
        build_role_graph([*roles, roles[0]], cost=lambda u, v: 1.0)
    with pytest.raises(ValueError, match="2-tuples"):
        build_role_graph(roles, ladder=[("eng1", "eng2", "eng3")], cost=lambda u, v: 1.0)
    with pytest.raises(ValueError, match=r"cost\('eng1', 'eng2'\)"):
        build_role_graph(roles, ladder=[("eng1", "eng2")], cost=lambda u, v: -1.0)
    with pytest.raises(ValueError, match="finite"):
        build_role_graph(roles, ladder=[("eng1", "eng2")], cost=lambda u, v: float("nan"))


def test_self_loops_dropped_and_mappings_accepted() -> None:
    G = build_role_graph(
        [{"id": "a", "family": "eng", "level": 1}, {"id": "b", "title": "B", "family": "eng", "level": 1}],
        transitions=[("a", "a"), ("a", "b")],
        cost=lambda u, v: 2.0,
    )
    assert list(G.edges) == [("a", "b")]
    assert G.nodes["a"]["title"] == "a"
    assert G.nodes["a"]["track"] is None
    assert G.edges["a", "b"]["move"] == "lateral"


@pytest.mark.parametrize(
    ("dst", "expected"),
    [
        ({"family": "eng", "level": 3, "track": "management"}, (True, False)),
        ({"family": "data", "level": 3, "track": "ic"}, (False, True)),
        ({"family": "eng", "level": 3, "track": None}, (False, False)),
    ],
)
def test_move_changes_flags_what_a_promotion_also_changes(dst: dict, expected: tuple[bool, bool]) -> None:
    assert move_changes(IC2, dst) == expected
