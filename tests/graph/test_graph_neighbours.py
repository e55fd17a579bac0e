from __future__ import annotations

import numpy as np
import pytest

from graph import infer_neighbours


def _unit(angle_deg: float) -> list[float]:
    a = np.deg2rad(angle_deg)
    return [float(np.cos(a)), float(np.sin(a))]


IDS = ["a", "b", "c", "d", "e"]
LEVELS = np.array([2, 2, 3, 4, 1])
# angles: a 0°, b 10°, c 25°, d 5°, e 1° (no ties) -> similarity order to a: e, d, b, c
VECS = np.array([_unit(0), _unit(10), _unit(25), _unit(5), _unit(1)])


def _by_source(edges: list[tuple[str, str, float]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s, t, _ in edges:
        out.setdefault(s, []).append(t)
    return out


def test_level_band_excludes_lower_and_too_high() -> None:
    got = _by_source(infer_neighbours(IDS, LEVELS, VECS, k=5, level_band=1, min_similarity=0.0))
    # a (level 2): b (2) and c (3); not d (4, too high) nor e (1, lower)
    assert got["a"] == ["b", "c"]
    assert got["b"] == ["a", "c"]  # a is 10° from b, c is 15°
    assert got["c"] == ["d"]
    assert "d" not in got  # nothing at level 4 or 5
    assert got["e"] == ["a", "b"]


def test_level_band_zero_is_laterals_only() -> None:
    got = infer_neighbours(IDS, LEVELS, VECS, k=5, level_band=0, min_similarity=0.0)
    assert [(s, t) for s, t, _ in got] == [("a", "b"), ("b", "a")]


def test_wider_band_and_k() -> None:
    got = _by_source(infer_neighbours(IDS, LEVELS, VECS, k=2, level_band=2, min_similarity=0.0))
    # a: candidates b (10°), c (25°), d (5°) -> top 2 are d, b
    assert got["a"] == ["d", "b"]
    assert all(len(v) <= 2 for v in got.values())
    got1 = infer_neighbours(IDS, LEVELS, VECS, k=1, level_band=2, min_similarity=0.0)
    assert len({s for s, _, _ in got1}) == len(got1)


def test_similarities_sorted_and_min_similarity() -> None:
    edges = infer_neighbours(IDS, LEVELS, VECS, k=5, level_band=3, min_similarity=0.0)
    for s in IDS:
        sims = [sim for src, _, sim in edges if src == s]
        assert sims == sorted(sims, reverse=True)
    a_to_d = next(sim for s, t, sim in edges if (s, t) == ("a", "d"))
    assert a_to_d == pytest.approx(np.cos(np.deg2rad(5)))
    threshold = float(np.cos(np.deg2rad(12)))
    strict = infer_neighbours(IDS, LEVELS, VECS, k=5, level_band=3, min_similarity=threshold)
    assert strict and all(sim >= threshold for _, _, sim in strict)
    assert ("a", "c") not in {(s, t) for s, t, _ in strict}
    assert ("a", "b") in {(s, t) for s, t, _ in strict}


def test_unnormalised_and_zero_vectors() -> None:
    vecs = np.array([[2.0, 0.0], [0.0, 0.0], [3.0, 3.0]])
    got = infer_neighbours(["x", "y", "z"], [1, 1, 1], vecs, k=5, min_similarity=0.0)
    assert [(s, t) for s, t, _ in got] == [("x", "z"), ("z", "x")]
    assert got[0][2] == pytest.approx(np.sqrt(0.5))


def test_matches_brute_force_on_random_data() -> None:
    rng = np.random.default_rng(0)
    n, d = 60, 8
    ids = [f"r{i:02d}" for i in range(n)]
    levels = rng.integers(1, 5, size=n)
    vecs = rng.normal(size=(n, d))
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    got = infer_neighbours(ids, levels, vecs, k=3, level_band=1, min_similarity=0.1)
    expected = []
    for i in range(n):
        cands = [
            (-float(vecs[i] @ vecs[j]), j)
            for j in range(n)
            if j != i and 0 <= levels[j] - levels[i] <= 1 and vecs[i] @ vecs[j] >= 0.1
        ]
        expected += [(ids[i], ids[j]) for _, j in sorted(cands)[:3]]
    assert [(s, t) for s, t, _ in got] == expected


def test_empty_and_k_zero() -> None:
    assert infer_neighbours([], np.array([], dtype=int), np.zeros((0, 3))) == []
    assert infer_neighbours(IDS, LEVELS, VECS, k=0) == []


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"ids": ["a", "a", "c", "d", "e"]}, "unique"),
        ({"levels": np.array([1, 2])}, "levels must have shape"),
        ({"levels": np.array([1.0, 2, 3, 4, 5])}, "integers"),
        ({"vectors": np.zeros((4, 2))}, "vectors must have shape"),
        ({"vectors": np.full((5, 2), np.nan)}, "NaN"),
        ({"k": -1}, "k must be"),
        ({"level_band": -1}, "level_band"),
        ({"min_similarity": 2.0}, "min_similarity"),
    ],
)
def test_bad_inputs(kwargs: dict, match: str) -> None:
    args = {"ids": IDS, "levels": LEVELS, "vectors": VECS, **kwargs}
    opts = {key: args.pop(key) for key in ("k", "level_band", "min_similarity") if key in args}
    with pytest.raises(ValueError, match=match):
        infer_neighbours(args["ids"], args["levels"], args["vectors"], **opts)


def test_ties_broken_by_id_order() -> None:
    vecs = np.ones((5, 2))
    got = infer_neighbours(["a", "b", "c", "d", "e"], [1, 1, 1, 1, 1], vecs, k=2)
    assert [(s, t) for s, t, _ in got] == [
        ("a", "b"),
        ("a", "c"),
        ("b", "a"),
        ("b", "c"),
        ("c", "a"),
        ("c", "b"),
        ("d", "a"),
        ("d", "b"),
        ("e", "a"),
        ("e", "b"),
    ]
