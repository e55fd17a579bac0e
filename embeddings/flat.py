"""Exact inner-product index: ``IndexIDMap2(IndexFlatIP)``."""

from __future__ import annotations

import faiss
import numpy as np

from .index import VectorIndex

__all__ = ["FlatIndex"]


class FlatIndex(VectorIndex):
    """Brute-force exact search; the right choice up to tens of thousands of vectors.

    Removed rows are deleted from FAISS immediately, so searches never need to
    over-fetch; the numpy side is compacted like any other index.
    """

    kind = "flat"

    def _new_faiss(self) -> faiss.Index:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self._dim))

    def _faiss_add(self, vecs: np.ndarray, rows: np.ndarray) -> None:
        self._faiss.add_with_ids(vecs, rows)

    def _faiss_remove(self, rows: np.ndarray) -> None:
        self._faiss.remove_ids(rows)

    def _faiss_search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self._faiss.search(queries, k)

    def _check_faiss_state(self) -> None:
        idx = self._faiss
        if not isinstance(idx, faiss.IndexIDMap2) or idx.d != self._dim:
            raise ValueError(f"expected IndexIDMap2 of dim {self._dim}, got {type(idx).__name__} (d={idx.d})")
        if idx.metric_type != faiss.METRIC_INNER_PRODUCT:
            raise ValueError("flat index does not use inner product")
        labels = faiss.vector_to_array(idx.id_map)
        if sorted(labels.tolist()) != sorted(self._row_of.values()):
            raise ValueError("FAISS id map does not match the stored ids")
