"""Approximate inner-product index: ``IndexHNSWFlat`` with tombstoned removals."""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np

from .index import VectorIndex

__all__ = ["HNSWIndex"]


class HNSWIndex(VectorIndex):
    """HNSW graph search for large collections.

    FAISS HNSW cannot delete, so a removed or replaced id leaves a tombstoned
    row in the graph. Searches exclude tombstones with an ``IDSelector`` (so
    ``k`` live results come back without guessing an over-fetch factor), results
    are filtered again defensively, any query that still comes back short is
    answered exactly, and the graph is rebuilt once tombstones exceed 20 %.

    Parameters
    ----------
    dim : int
        Vector dimension.
    M : int
        Graph degree.
    ef_construction : int
        Beam width while building.
    ef_search : int
        Beam width while searching (raised to ``k`` when ``k`` is larger).
    """

    kind = "hnsw"

    def __init__(self, dim: int, *, M: int = 32, ef_construction: int = 80, ef_search: int = 64) -> None:
        if M < 2 or ef_construction < 1 or ef_search < 1:
            raise ValueError("M must be >= 2 and ef_construction, ef_search >= 1")
        self.M = M
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self._selector: Any = None  # (IDSelectorNot, IDSelectorBatch) kept together: Not holds a raw pointer
        super().__init__(dim)

    def _params(self) -> dict[str, Any]:
        return {"M": self.M, "ef_construction": self.ef_construction, "ef_search": self.ef_search}

    def _new_faiss(self) -> faiss.Index:
        idx = faiss.IndexHNSWFlat(self._dim, self.M, faiss.METRIC_INNER_PRODUCT)
        idx.hnsw.efConstruction = self.ef_construction
        idx.hnsw.efSearch = self.ef_search
        return idx

    def _on_mutation(self) -> None:
        self._selector = None

    def _matrix(self) -> np.ndarray:
        # The graph's flat storage is the one copy of the vectors (100k x 384 floats = 154 MB).
        n = int(self._faiss.ntotal)
        if n == 0:
            return np.zeros((0, self._dim), np.float32)
        storage = faiss.downcast_index(self._faiss.storage)
        return faiss.rev_swig_ptr(storage.get_xb(), n * self._dim).reshape(n, self._dim)

    def _store_rows(self, start: int, vecs: np.ndarray) -> None:
        pass  # _faiss_add puts them in the graph's storage

    def _adopt_rows(self, vecs: np.ndarray) -> None:
        pass  # the deserialised graph holds them

    def _faiss_add(self, vecs: np.ndarray, rows: np.ndarray) -> None:
        # HNSW labels are positions, so rows must continue exactly where the graph ends.
        assert rows.size == 0 or int(rows[0]) == self._faiss.ntotal, "HNSW rows out of sync"
        self._faiss.add(vecs)

    def _faiss_remove(self, rows: np.ndarray) -> None:
        pass  # tombstone only: _id_at[row] is already None; searches filter those rows out

    def _prefer_exact(self, k: int) -> bool:
        # Asking for (nearly) everything: a full scan is cheaper than a huge beam and always complete.
        return k >= len(self) or len(self) <= 2 * k

    def _faiss_search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        params = faiss.SearchParametersHNSW()
        params.efSearch = max(self.ef_search, k)
        if self.dead_rows:
            if self._selector is None:
                dead = np.array([r for r, i in enumerate(self._id_at) if i is None], dtype=np.int64)
                batch = faiss.IDSelectorBatch(dead)
                self._selector = (faiss.IDSelectorNot(batch), batch)
            params.sel = self._selector[0]
        return self._faiss.search(queries, k, params=params)

    def _check_faiss_state(self) -> None:
        idx = self._faiss
        if not isinstance(idx, faiss.IndexHNSWFlat) or idx.d != self._dim:
            raise ValueError(f"expected IndexHNSWFlat of dim {self._dim}, got {type(idx).__name__} (d={idx.d})")
        if idx.metric_type != faiss.METRIC_INNER_PRODUCT:
            raise ValueError("HNSW index does not use inner product")
        if idx.ntotal != self._nrows:
            raise ValueError(f"HNSW graph holds {idx.ntotal} vectors, expected {self._nrows}")
        idx.hnsw.efSearch = self.ef_search
