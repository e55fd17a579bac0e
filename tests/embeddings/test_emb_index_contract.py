"""Contract every VectorIndex implementation must honour (Flat and HNSW alike)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from embeddings import (
    CorruptIndex,
    FlatIndex,
    HNSWIndex,
    StaleIndex,
    VectorIndex,
    load_index,
    make_index,
    read_index_version,
    save_index,
)

DIM = 32
N = 500

IMPLS: list[Callable[[int], VectorIndex]] = [FlatIndex, HNSWIndex]


def unit(rng: np.random.Generator, n: int, dim: int = DIM) -> np.ndarray:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.fixture(params=IMPLS, ids=lambda c: c.__name__)
def make(request: pytest.FixtureRequest) -> Callable[[int], VectorIndex]:
    return request.param


@pytest.fixture
def data() -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(1234)
    return [f"id-{i}" for i in range(N)], unit(rng, N)


@pytest.fixture
def filled(make: Callable[[int], VectorIndex], data: tuple[list[str], np.ndarray]) -> VectorIndex:
    ids, vecs = data
    index = make(DIM)
    index.add(ids, vecs)
    return index


def brute_force(vecs: np.ndarray, ids: list[str], q: np.ndarray, k: int) -> list[list[str]]:
    order = np.argsort(-(q @ vecs.T), axis=1, kind="stable")[:, :k]
    return [[ids[j] for j in row] for row in order]


def test_basic_shape_and_len(filled: VectorIndex, data: tuple[list[str], np.ndarray]) -> None:
    ids, vecs = data
    assert len(filled) == N
    assert filled.dim == DIM
    assert filled.ids == ids
    assert filled.contains("id-7") and "id-7" in filled and not filled.contains("nope")
    np.testing.assert_array_equal(filled.get_vector("id-7"), vecs[7])
    np.testing.assert_array_equal(filled.vectors(["id-3", "id-1"]), vecs[[3, 1]])
    with pytest.raises(KeyError):
        filled.get_vector("nope")


def test_self_query_returns_itself_first(filled: VectorIndex, data: tuple[list[str], np.ndarray]) -> None:
    ids, vecs = data
    scores, got = filled.search(vecs, 5)
    assert scores.shape == (N, 5) and scores.dtype == np.float32
    assert [row[0] for row in got] == ids
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-5)
    assert np.all(np.diff(scores, axis=1) <= 1e-6), "scores must be sorted best first"


def test_search_matches_exact_inner_product(filled: VectorIndex, data: tuple[list[str], np.ndarray]) -> None:
    ids, vecs = data
    q = unit(np.random.default_rng(99), 50)
    k = 10
    scores, got = filled.search(q, k)
    truth = brute_force(vecs, ids, q, k)
    assert [row[0] for row in got] == [row[0] for row in truth]  # exact nearest
    recall = np.mean([len(set(a) & set(b)) / k for a, b in zip(got, truth, strict=True)])
    assert recall >= (1.0 if isinstance(filled, FlatIndex) else 0.95)
    # scores are the true inner products of the returned ids
    for qi in range(len(q)):
        np.testing.assert_allclose(scores[qi], filled.vectors(got[qi]) @ q[qi], rtol=1e-5, atol=1e-5)


def test_single_vector_query(filled: VectorIndex, data: tuple[list[str], np.ndarray]) -> None:
    _, vecs = data
    scores, got = filled.search(vecs[42], 3)
    assert scores.shape == (1, 3) and got[0][0] == "id-42"


def test_upsert_replaces_vector(filled: VectorIndex, data: tuple[list[str], np.ndarray]) -> None:
    _, vecs = data
    # Move id-0 onto id-1's position: a query for vecs[1] must now find both at the top.
    filled.add(["id-0"], vecs[1:2])
    assert len(filled) == N
    np.testing.assert_array_equal(filled.get_vector("id-0"), vecs[1])
    _, got = filled.search(vecs[1], 2)
    assert set(got[0]) == {"id-0", "id-1"}
    _, got = filled.search(vecs[0], 1)
    assert got[0] != ["id-0"] or np.allclose(vecs[0], vecs[1])
    # update/upsert are the same operation
    filled.update(["id-0"], vecs[0:1])
    filled.upsert(["id-0"], vecs[0:1])
    assert filled.search(vecs[0], 1)[1] == [["id-0"]]
    assert len(filled) == N


def test_duplicate_ids_in_one_call_last_wins(make: Callable[[int], VectorIndex]) -> None:
    v = unit(np.random.default_rng(5), 3)
    index = make(DIM)
    index.add(["a", "b", "a"], v)
    assert len(index) == 2
    np.testing.assert_array_equal(index.get_vector("a"), v[2])


def test_remove_hides_id(filled: VectorIndex, data: tuple[list[str], np.ndarray]) -> None:
    _, vecs = data
    assert filled.remove(["id-10", "id-11", "missing", "id-10"]) == 2
    assert len(filled) == N - 2
    assert not filled.contains("id-10") and "id-10" not in filled.ids
    _, got = filled.search(vecs[10:12], 5)
    assert all("id-10" not in row and "id-11" not in row for row in got)
    _, everything = filled.search(vecs[:1], N)
    assert len(everything[0]) == N - 2 and {"id-10", "id-11"}.isdisjoint(everything[0])
    assert filled.remove(["id-10"]) == 0


def test_mass_removal_triggers_compaction_and_stays_correct(
    filled: VectorIndex, data: tuple[list[str], np.ndarray]
) -> None:
    ids, vecs = data
    keep = ids[::3]
    filled.remove([i for i in ids if i not in set(keep)])
    assert len(filled) == len(keep)
    assert filled.dead_rows <= 0.2 * (len(filled) + filled.dead_rows)  # rebuilt rather than tombstoned
    kept_vecs = vecs[::3]
    _, got = filled.search(kept_vecs, 1)
    assert [r[0] for r in got] == keep
    # re-adding removed ids works after a rebuild
    filled.add(ids[1:3], vecs[1:3])
    assert filled.search(vecs[2], 1)[1] == [["id-2"]]


def test_tombstones_below_threshold_are_filtered(make: Callable[[int], VectorIndex]) -> None:
    rng = np.random.default_rng(7)
    vecs = unit(rng, 200)
    ids = [str(i) for i in range(200)]
    index = make(DIM)
    index.add(ids, vecs)
    index.remove(ids[:30])  # 15 %: below the rebuild threshold
    assert len(index) == 170
    _, got = index.search(vecs[:30], 10)
    for row in got:
        assert len(row) == 10 and set(row).isdisjoint(ids[:30])


def test_k_larger_than_len(make: Callable[[int], VectorIndex]) -> None:
    vecs = unit(np.random.default_rng(3), 4)
    index = make(DIM)
    index.add(list("abcd"), vecs)
    scores, got = index.search(vecs[:2], 10)
    assert scores.shape == (2, 4)
    assert [len(r) for r in got] == [4, 4]
    assert got[0][0] == "a" and sorted(got[0]) == list("abcd")


def test_empty_index_and_edge_k(make: Callable[[int], VectorIndex]) -> None:
    index = make(DIM)
    assert len(index) == 0 and index.ids == []
    q = unit(np.random.default_rng(0), 3)
    scores, got = index.search(q, 5)
    assert scores.shape == (3, 0) and got == [[], [], []]
    index.add(["x"], q[:1])
    scores, got = index.search(q, 0)
    assert scores.shape == (3, 0) and got == [[], [], []]
    scores, got = index.search(np.zeros((0, DIM), np.float32), 3)
    assert scores.shape == (0, 1) and got == []
    with pytest.raises(ValueError):
        index.search(q, -1)
    assert index.remove([]) == 0
    index.add([], np.zeros((0, DIM), np.float32))
    assert len(index) == 1


def test_rejects_bad_input(make: Callable[[int], VectorIndex]) -> None:
    index = make(DIM)
    with pytest.raises(ValueError, match="shape"):
        index.add(["a", "b"], np.zeros((1, DIM), np.float32))
    with pytest.raises(ValueError, match="shape"):
        index.search(np.zeros((1, DIM + 1), np.float32), 1)
    with pytest.raises(ValueError, match="NaN"):
        index.add(["a"], np.full((1, DIM), np.nan, np.float32))
    with pytest.raises(TypeError):
        index.add("ab", np.zeros((2, DIM), np.float32))


# -- persistence ------------------------------------------------------------------------------------


def test_save_load_round_trip(filled: VectorIndex, data: tuple[list[str], np.ndarray], tmp_path: Path) -> None:
    ids, vecs = data
    filled.remove(["id-5"])  # tombstones/dead rows must survive the round trip too
    path = tmp_path / "idx" / "skills.idx"
    save_index(filled, path, version="v42")
    assert read_index_version(path) == "v42"
    loaded = load_index(path, expected_version="v42")
    assert type(loaded) is type(filled)
    assert len(loaded) == len(filled) and loaded.ids == filled.ids and loaded.dim == DIM
    q = unit(np.random.default_rng(11), 20)
    s1, i1 = filled.search(q, 7)
    s2, i2 = loaded.search(q, 7)
    assert i1 == i2
    np.testing.assert_allclose(s1, s2, rtol=1e-6)
    np.testing.assert_array_equal(loaded.vectors(ids[:5]), filled.vectors(ids[:5]))
    # the loaded index is fully functional
    loaded.add(["new"], vecs[:1])
    loaded.remove(["id-0"])
    assert loaded.search(vecs[0], 1)[1] == [["new"]]
    # no temp file left behind
    assert sorted(p.name for p in path.parent.iterdir()) == ["skills.idx"]


def test_save_overwrites_atomically(filled: VectorIndex, tmp_path: Path) -> None:
    path = tmp_path / "skills.idx"
    save_index(filled, path, version="v1")
    filled.remove(filled.ids[:3])
    save_index(filled, path, version="v2")
    assert read_index_version(path) == "v2"
    assert len(load_index(path)) == N - 3
    assert [p.name for p in tmp_path.iterdir()] == ["skills.idx"]


def test_failed_save_leaves_no_temp_and_keeps_old_file(
    filled: VectorIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "skills.idx"
    save_index(filled, path, version="v1")

    def boom(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("embeddings.persist.os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        save_index(filled, path, version="v2")
    assert [p.name for p in tmp_path.iterdir()] == ["skills.idx"]
    assert read_index_version(path) == "v1"


def test_stale_version(filled: VectorIndex, tmp_path: Path) -> None:
    path = tmp_path / "skills.idx"
    save_index(filled, path, version="v1")
    with pytest.raises(StaleIndex) as err:
        load_index(path, expected_version="v2")
    assert err.value.found == "v1" and err.value.expected == "v2"
    assert len(load_index(path)) == N  # no expectation: any version loads


@pytest.mark.parametrize("where", ["magic", "header", "middle", "end"])
def test_flipped_bytes_are_corrupt(filled: VectorIndex, tmp_path: Path, where: str) -> None:
    path = tmp_path / "skills.idx"
    save_index(filled, path, version="v1")
    raw = bytearray(path.read_bytes())
    pos = {"magic": 0, "header": 45, "middle": len(raw) // 2, "end": len(raw) - 1}[where]
    raw[pos] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(CorruptIndex):
        load_index(path, expected_version="v1")


@pytest.mark.parametrize("keep", [0, 5, 60, 0.5, -1])
def test_truncated_file_is_corrupt(filled: VectorIndex, tmp_path: Path, keep: float) -> None:
    path = tmp_path / "skills.idx"
    save_index(filled, path, version="v1")
    raw = path.read_bytes()
    cut = int(len(raw) * keep) if isinstance(keep, float) else (keep if keep >= 0 else len(raw) + keep)
    path.write_bytes(raw[:cut])
    with pytest.raises(CorruptIndex):
        load_index(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_index(tmp_path / "nope.idx")
    assert read_index_version(tmp_path / "nope.idx") is None


def test_hnsw_params_survive_round_trip(tmp_path: Path) -> None:
    index = HNSWIndex(DIM, M=16, ef_construction=40, ef_search=20)
    index.add(["a", "b"], unit(np.random.default_rng(0), 2))
    save_index(index, tmp_path / "h.idx", version="v")
    loaded = load_index(tmp_path / "h.idx")
    assert isinstance(loaded, HNSWIndex)
    assert (loaded.M, loaded.ef_construction, loaded.ef_search) == (16, 40, 20)


def test_make_index_chooses_by_size() -> None:
    assert isinstance(make_index(10, DIM), FlatIndex)
    assert isinstance(make_index(49_999, DIM), FlatIndex)
    assert isinstance(make_index(50_000, DIM), HNSWIndex)
    small = make_index(100, DIM, hnsw_threshold=100)
    assert isinstance(small, HNSWIndex) and small.dim == DIM
