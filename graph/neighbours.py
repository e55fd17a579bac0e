"""Inference of likely moves from role similarity (vectorised with NumPy)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["infer_neighbours"]

#: Rows of the similarity matrix computed at once; bounds memory at
#: ``_CHUNK * n`` floats, so 1,000 roles are done in one block.
_CHUNK = 2048


def infer_neighbours(
    ids: Sequence[str],
    levels: np.ndarray | Sequence[int],
    vectors: np.ndarray,
    *,
    k: int = 5,
    level_band: int = 1,
    min_similarity: float = 0.3,
) -> list[tuple[str, str, float]]:
    """Infer candidate moves: for each role, its ``k`` most similar roles at the same or a higher level.

    A role ``j`` is a candidate for role ``i`` when ``j != i`` and
    ``0 <= levels[j] - levels[i] <= level_band`` (laterals and promotions of at
    most ``level_band`` levels; lower levels are never inferred), and the cosine
    similarity of their vectors is at least ``min_similarity``.

    Parameters
    ----------
    ids : sequence of str
        Unique role ids, one per row of ``vectors``.
    levels : array-like of int, shape (n,)
        Seniority level of each role.
    vectors : ndarray, shape (n, d)
        Role embeddings. Rows are expected to be L2-normalised; they are
        normalised again defensively (all-zero rows get no neighbours).
    k : int, default 5
        Most neighbours kept per role (0 gives an empty result).
    level_band : int, default 1
        Largest level increase considered.
    min_similarity : float, default 0.3
        Smallest cosine similarity kept, in [-1, 1].

    Returns
    -------
    list of (source, target, similarity)
        Grouped by source in the order of ``ids``; within a source by
        decreasing similarity, ties broken by the order of ``ids``. Ready to be
        passed as ``inferred=`` to :func:`graph.build_role_graph`.

    Raises
    ------
    ValueError
        Mismatched lengths, duplicate ids, non-finite vectors, or bad options.

    Examples
    --------
    >>> vecs = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> infer_neighbours(["a", "b", "c"], [1, 2, 1], vecs, k=1, min_similarity=0.5)
    [('a', 'b', 0.8), ('c', 'b', 0.6)]
    """
    ids = list(ids)
    n = len(ids)
    if len(set(ids)) != n:
        raise ValueError("ids must be unique")
    levels_arr = np.asarray(levels)
    if levels_arr.shape != (n,):
        raise ValueError(f"levels must have shape ({n},), got {levels_arr.shape}")
    if n and not np.issubdtype(levels_arr.dtype, np.integer):
        raise ValueError(f"levels must be integers, got dtype {levels_arr.dtype}")
    vecs = np.asarray(vectors)
    if vecs.ndim != 2 or vecs.shape[0] != n:
        raise ValueError(f"vectors must have shape ({n}, d), got {vecs.shape}")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 0:
        raise ValueError(f"k must be an int >= 0, got {k!r}")
    if isinstance(level_band, bool) or not isinstance(level_band, int | np.integer) or level_band < 0:
        raise ValueError(f"level_band must be an int >= 0, got {level_band!r}")
    if not isinstance(min_similarity, int | float) or not -1.0 <= min_similarity <= 1.0:
        raise ValueError(f"min_similarity must be a number in [-1, 1], got {min_similarity!r}")
    if n < 2 or k == 0:
        return []
    if not np.issubdtype(vecs.dtype, np.floating):
        vecs = vecs.astype(np.float64)
    if not np.isfinite(vecs).all():
        raise ValueError("vectors contain NaN or infinite values")

    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    valid = norms[:, 0] > 0
    unit = np.divide(vecs, norms, out=np.zeros_like(vecs), where=norms > 0)
    levels_arr = levels_arr.astype(np.int64)
    take = min(k, n - 1)

    out: list[tuple[str, str, float]] = []
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        sims = unit[start:stop] @ unit.T  # (rows, n)
        delta = levels_arr[None, :] - levels_arr[start:stop, None]
        allowed = (delta >= 0) & (delta <= level_band) & valid[None, :] & valid[start:stop, None]
        allowed[np.arange(stop - start), np.arange(start, stop)] = False
        allowed &= sims >= min_similarity
        sims = np.where(allowed, sims, -np.inf)
        # k-th largest similarity per row (O(n) partition), then an exact sort of
        # the few entries at or above it: ties keep the order of ``ids``.
        kth = -np.partition(-sims, take - 1, axis=1)[:, take - 1]
        for row in range(stop - start):
            values = sims[row]
            if kth[row] == -math.inf:
                candidates = np.flatnonzero(values > -math.inf)
            else:
                candidates = np.flatnonzero(values >= kth[row])
            order = candidates[np.argsort(-values[candidates], kind="stable")][:take]
            source = ids[start + row]
            out.extend((source, ids[j], float(values[j])) for j in order)
    return out
