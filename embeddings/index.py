"""Abstract vector index: string ids, upserts, removals, exact-fallback search.

Shared bookkeeping lives here; subclasses only wrap a FAISS structure.

Internally each stored vector occupies a *row*; the row number is also its
FAISS int64 label. Removing or replacing an id kills its row (the id moves to a
new row on upsert); dead rows are compacted away once they exceed
``COMPACT_RATIO`` of all rows. Every row can be read back (for reranking and for
small or degenerate searches, answered exactly): the exact index keeps the rows
in a numpy buffer that is its only copy, HNSW reads them from its FAISS storage.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

import faiss
import numpy as np

__all__ = ["COMPACT_RATIO", "VectorIndex"]

COMPACT_RATIO = 0.2


def _as_id_list(ids: Sequence[str]) -> list[str]:
    if isinstance(ids, str | bytes):
        raise TypeError("ids must be a sequence of strings, not a single string")
    out = list(ids)
    for i, x in enumerate(out):
        if not isinstance(x, str):
            raise TypeError(f"ids must be strings; item {i} is {type(x).__name__}")
    return out


class VectorIndex(ABC):
    """Inner-product nearest-neighbour index over string ids.

    Parameters
    ----------
    dim : int
        Vector dimension.

    Notes
    -----
    Scores are raw inner products, i.e. cosine similarity when the stored and
    query vectors are L2-normalised (as every encoder here produces). All
    public methods take an internal lock, so one instance may be shared
    between threads.
    """

    kind: ClassVar[str]

    def __init__(self, dim: int) -> None:
        if int(dim) < 1:
            raise ValueError(f"dim must be >= 1, got {dim}")
        self._dim = int(dim)
        self._lock = threading.RLock()
        self._reset()

    def _reset(self) -> None:
        self._vecs = np.zeros((0, self._dim), dtype=np.float32)  # capacity buffer; rows [0, _nrows) used
        self._nrows = 0
        self._row_of: dict[str, int] = {}  # live ids in row (= insertion/upsert) order
        self._id_at: list[str | None] = []  # row -> id, None for dead rows
        self._faiss = self._new_faiss()
        self._on_mutation()

    # -- subclass hooks -------------------------------------------------------------------------------
    @abstractmethod
    def _new_faiss(self) -> faiss.Index:
        """Return an empty FAISS index for ``self._dim``."""

    @abstractmethod
    def _faiss_add(self, vecs: np.ndarray, rows: np.ndarray) -> None:
        """Add ``vecs`` under labels ``rows`` (rows are always the next consecutive ones)."""

    @abstractmethod
    def _faiss_remove(self, rows: np.ndarray) -> None:
        """Forget ``rows`` (physically, or just by leaving them to be filtered)."""

    @abstractmethod
    def _faiss_search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Return FAISS ``(scores, labels)``; labels may contain -1 or dead rows."""

    def _params(self) -> dict[str, Any]:
        """Constructor keyword arguments (persisted with the index)."""
        return {}

    def _on_mutation(self) -> None:
        """Invalidate anything derived from the set of live rows (no-op by default)."""
        return None

    # -- introspection --------------------------------------------------------------------------------
    @property
    def dim(self) -> int:
        return self._dim

    def __len__(self) -> int:
        return len(self._row_of)

    @property
    def ids(self) -> list[str]:
        """Live ids, oldest insert/upsert first."""
        with self._lock:
            return list(self._row_of)

    def contains(self, id_: str) -> bool:
        return id_ in self._row_of

    def __contains__(self, id_: object) -> bool:
        return isinstance(id_, str) and id_ in self._row_of

    @property
    def dead_rows(self) -> int:
        """Rows held for removed/replaced ids that have not been compacted yet."""
        return self._nrows - len(self._row_of)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dim={self._dim}, n={len(self)}, dead={self.dead_rows})"

    # -- reads ----------------------------------------------------------------------------------------
    def get_vector(self, id_: str) -> np.ndarray:
        """Return a copy of the stored vector for ``id_``; ``KeyError`` if absent."""
        with self._lock:
            return self._matrix()[self._row_of[id_]].copy()

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """Return an ``(len(ids), dim)`` copy of the stored vectors; ``KeyError`` on any unknown id."""
        id_list = _as_id_list(ids)
        with self._lock:
            rows = np.fromiter((self._row_of[i] for i in id_list), dtype=np.int64, count=len(id_list))
            return self._matrix()[rows]  # fancy indexing copies

    # -- writes ---------------------------------------------------------------------------------------
    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Insert or replace (upsert) vectors.

        An id already present gets its vector replaced; if an id occurs more
        than once in ``ids`` the last occurrence wins.
        """
        id_list = _as_id_list(ids)
        vecs = self._as_matrix(vectors, len(id_list), what="vectors")
        if not id_list:
            return
        last = {id_: i for i, id_ in enumerate(id_list)}
        if len(last) != len(id_list):
            id_list = list(last)
            vecs = vecs[list(last.values())]
        with self._lock:
            self._kill([i for i in id_list if i in self._row_of])
            start = self._nrows
            rows = np.arange(start, start + len(id_list), dtype=np.int64)
            self._store_rows(start, vecs)
            self._faiss_add(vecs, rows)
            self._nrows += len(id_list)
            self._id_at.extend(id_list)
            self._row_of.update(zip(id_list, rows.tolist(), strict=True))
            self._on_mutation()
            self._maybe_compact()

    # Both spellings are used by callers; semantics are the same upsert.
    def upsert(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Alias of :meth:`add` (which always upserts)."""
        self.add(ids, vectors)

    def update(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Alias of :meth:`add` (which always upserts)."""
        self.add(ids, vectors)

    def remove(self, ids: Sequence[str]) -> int:
        """Remove ids (unknown ids are ignored). Returns how many were removed."""
        id_list = _as_id_list(ids)
        with self._lock:
            present = list(dict.fromkeys(i for i in id_list if i in self._row_of))
            if present:
                self._kill(present)
                self._on_mutation()
                self._maybe_compact()
            return len(present)

    def compact(self) -> None:
        """Rebuild the FAISS structure from live vectors only, dropping dead rows."""
        with self._lock:
            ids = list(self._row_of)
            rows = np.fromiter(self._row_of.values(), dtype=np.int64, count=len(ids))
            vecs = self._matrix()[rows]
            self._reset()
            if ids:
                self._store_rows(0, vecs)
                self._faiss_add(vecs, np.arange(len(ids), dtype=np.int64))
                self._nrows = len(ids)
                self._id_at = list(ids)
                self._row_of = {id_: r for r, id_ in enumerate(ids)}
                self._on_mutation()

    def _kill(self, ids: list[str]) -> None:
        if not ids:
            return
        rows = np.array([self._row_of.pop(i) for i in ids], dtype=np.int64)
        for r in rows.tolist():
            self._id_at[r] = None
        self._faiss_remove(rows)

    def _maybe_compact(self) -> None:
        dead = self.dead_rows
        if dead and dead > COMPACT_RATIO * self._nrows:
            self.compact()

    def _matrix(self) -> np.ndarray:
        """(rows, dim) view of every stored row, dead ones included (valid until the next write)."""
        return self._vecs[: self._nrows]

    def _store_rows(self, start: int, vecs: np.ndarray) -> None:
        """Keep ``vecs`` as rows ``start..``; subclasses whose FAISS structure already holds the
        vectors (HNSW) keep no second copy."""
        self._reserve(start + len(vecs))
        self._vecs[start : start + len(vecs)] = vecs

    def _reserve(self, n: int) -> None:
        cap = self._vecs.shape[0]
        if n > cap:
            grown = np.zeros((max(n, 2 * cap, 64), self._dim), dtype=np.float32)
            grown[: self._nrows] = self._vecs[: self._nrows]
            self._vecs = grown

    # -- search ---------------------------------------------------------------------------------------
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, list[list[str]]]:
        """Top-``k`` ids by inner product for each query.

        Parameters
        ----------
        queries : np.ndarray
            ``(q, dim)`` array (a single ``(dim,)`` vector is treated as ``q = 1``).
        k : int
            Results wanted per query; ``k' = min(k, len(self))`` are returned.

        Returns
        -------
        scores : np.ndarray
            ``(q, k')`` float32, best first.
        ids : list[list[str]]
            ``q`` lists of ``k'`` ids, aligned with ``scores``.
        """
        if int(k) < 0:
            raise ValueError(f"k must be >= 0, got {k}")
        q = self._as_matrix(queries, None, what="queries")
        with self._lock:
            kk = min(int(k), len(self))
            nq = q.shape[0]
            if kk == 0 or nq == 0:
                return np.zeros((nq, kk), dtype=np.float32), [[] for _ in range(nq)]
            if self._prefer_exact(kk):
                return self._exact_search(q, kk)
            raw_scores, labels = self._faiss_search(q, kk)
            scores = np.zeros((nq, kk), dtype=np.float32)
            out_ids: list[list[str]] = []
            short: list[int] = []
            id_at = self._id_at
            for qi in range(nq):
                picked: list[str] = []
                for j, label in enumerate(labels[qi].tolist()):
                    id_ = id_at[label] if label >= 0 else None
                    if id_ is not None:
                        scores[qi, len(picked)] = raw_scores[qi, j]
                        picked.append(id_)
                        if len(picked) == kk:
                            break
                if len(picked) < kk:
                    short.append(qi)
                out_ids.append(picked)
            if short:
                # Approximate structures can come back short (filtered or unreachable nodes);
                # answer those queries exactly rather than return ragged results.
                ex_scores, ex_ids = self._exact_search(q[short], kk)
                for n, qi in enumerate(short):
                    scores[qi] = ex_scores[n]
                    out_ids[qi] = ex_ids[n]
            return scores, out_ids

    def _prefer_exact(self, k: int) -> bool:
        """Whether to bypass FAISS for this ``k`` (subclasses override)."""
        return False

    def _exact_search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, list[list[str]]]:
        ids = list(self._row_of)
        rows = np.fromiter(self._row_of.values(), dtype=np.int64, count=len(ids))
        m = self._matrix()
        # One product over every row (no copy of the live ones), then keep the live columns.
        sims = (q @ m.T)[:, rows] if len(rows) < len(m) else q @ m[rows].T
        if k < len(ids):
            part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        else:
            part = np.broadcast_to(np.arange(len(ids)), (q.shape[0], len(ids)))
        part_scores = np.take_along_axis(sims, part, axis=1)
        order = np.argsort(-part_scores, axis=1, kind="stable")
        top = np.take_along_axis(part, order, axis=1)
        scores = np.ascontiguousarray(np.take_along_axis(part_scores, order, axis=1), dtype=np.float32)
        return scores, [[ids[c] for c in row] for row in top.tolist()]

    # -- validation -----------------------------------------------------------------------------------
    def _as_matrix(self, x: np.ndarray, n: int | None, *, what: str) -> np.ndarray:
        arr = np.asarray(x, dtype=np.float32)
        if arr.ndim == 1 and arr.shape[0] == self._dim and n in (None, 1):
            arr = arr.reshape(1, self._dim)
        if arr.ndim != 2 or arr.shape[1] != self._dim or (n is not None and arr.shape[0] != n):
            want = f"({n}, {self._dim})" if n is not None else f"(q, {self._dim})"
            raise ValueError(f"{what} must have shape {want}, got {arr.shape}")
        if not np.isfinite(arr).all():
            raise ValueError(f"{what} contain NaN or infinite values")
        return np.ascontiguousarray(arr)

    # -- persistence hooks (used by embeddings.persist) -----------------------------------------------
    def _export_state(self) -> tuple[faiss.Index, list[str | None], np.ndarray, dict[str, Any]]:
        return self._faiss, list(self._id_at), self._matrix(), self._params()

    @classmethod
    def _from_state(
        cls,
        dim: int,
        index: faiss.Index,
        id_at: list[str | None],
        vecs: np.ndarray,
        params: dict[str, Any],
    ) -> VectorIndex:
        """Rebuild an instance from persisted parts; ``ValueError`` if they disagree."""
        obj = cls(dim, **params)
        if vecs.shape != (len(id_at), dim):
            raise ValueError(f"vector block shape {vecs.shape} does not match {len(id_at)} rows of dim {dim}")
        row_of = {id_: r for r, id_ in enumerate(id_at) if id_ is not None}
        if len(row_of) != sum(i is not None for i in id_at):
            raise ValueError("duplicate ids in index file")
        obj._nrows = len(id_at)
        obj._adopt_rows(vecs)
        obj._id_at = list(id_at)
        obj._row_of = row_of
        obj._faiss = index
        obj._check_faiss_state()
        obj._on_mutation()
        return obj

    def _adopt_rows(self, vecs: np.ndarray) -> None:
        """Take the persisted row vectors (a copy: the source may be a read-only file mapping)."""
        self._vecs = np.array(vecs, dtype=np.float32, copy=True)

    @abstractmethod
    def _check_faiss_state(self) -> None:
        """Raise ``ValueError`` if ``self._faiss`` is inconsistent with the row bookkeeping."""
