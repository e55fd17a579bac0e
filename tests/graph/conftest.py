"""Small hand-built role graphs whose answers are known."""

from __future__ import annotations

import networkx as nx
import pytest

from graph import RoleNode, build_role_graph


@pytest.fixture
def roles() -> list[RoleNode]:
    return [
        RoleNode("eng1", "Engineer I", "eng", 1, "ic"),
        RoleNode("eng2", "Engineer II", "eng", 2, "ic"),
        RoleNode("eng3", "Senior Engineer", "eng", 3, "ic"),
        RoleNode("mgr3", "Engineering Manager", "eng", 3, "management"),
        RoleNode("data2", "Data Analyst", "data", 2, None),
    ]


@pytest.fixture
def diamond() -> nx.DiGraph:
    """a -> b -> d costs 10 + 10; a -> c -> d costs 25 + 1; a -> d directly costs 50.

    Cheapest route a -> d is a-b-d (20), then a-c-d (26), then a-d (50).
    """
    G = nx.DiGraph()
    for u, v, cost, move in [
        ("a", "b", 10.0, "promotion"),
        ("b", "d", 10.0, "promotion"),
        ("a", "c", 25.0, "lateral"),
        ("c", "d", 1.0, "promotion"),
        ("a", "d", 50.0, "cross_family"),
    ]:
        G.add_edge(u, v, cost=cost, move=move)
    return G


@pytest.fixture
def role_graph(roles: list[RoleNode]) -> nx.DiGraph:
    gaps = {("eng1", "eng2"): 20.0, ("eng2", "eng3"): 30.0, ("eng2", "mgr3"): 25.0, ("eng2", "data2"): 5.0}
    return build_role_graph(
        roles,
        ladder=[("eng1", "eng2"), ("eng2", "eng3")],
        transitions=[("eng2", "mgr3"), ("eng2", "data2"), ("eng1", "eng2")],
        cost=lambda u, v: gaps[(u, v)],
    )
