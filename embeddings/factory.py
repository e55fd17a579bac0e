"""Pick an index implementation by collection size."""

from __future__ import annotations

from .flat import FlatIndex
from .hnsw import HNSWIndex
from .index import VectorIndex

__all__ = ["make_index"]


def make_index(n: int, dim: int, *, hnsw_threshold: int = 50_000) -> VectorIndex:
    """Return an empty index suited to about ``n`` vectors of dimension ``dim``.

    Exact :class:`FlatIndex` below ``hnsw_threshold`` (brute force over <50k
    384-d vectors is a few ms per query and never misses), :class:`HNSWIndex` at
    or above it.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    return HNSWIndex(dim) if n >= hnsw_threshold else FlatIndex(dim)
