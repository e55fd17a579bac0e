"""Text-vector caches and the encoder wrapper that uses them."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from ._util import as_text_list
from .protocol import TextEncoder

__all__ = ["CachedEncoder", "MemoryCache", "TextCache", "text_key"]


def text_key(model_id: str, text: str) -> str:
    """Cache key for ``text`` under ``model_id``: sha256 hex of both.

    A NUL separator keeps ``("ab", "c")`` and ``("a", "bc")`` apart.
    """
    return hashlib.sha256(f"{model_id}\0{text}".encode()).hexdigest()


@runtime_checkable
class TextCache(Protocol):
    """Storage for vectors keyed by ``(model_id, text_key)``.

    Implementations: :class:`MemoryCache` here; the engine provides a SQL-backed one.
    """

    def get_many(self, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the vectors found for ``keys`` (missing keys are simply absent)."""
        ...

    def put_many(self, model_id: str, items: Mapping[str, np.ndarray]) -> None:
        """Store (or overwrite) vectors for the given keys."""
        ...


class MemoryCache:
    """Thread-safe in-process :class:`TextCache`; stores read-only float32 copies."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def get_many(self, model_id: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        with self._lock:
            return {k: v for k in keys if (v := self._data.get((model_id, k))) is not None}

    def put_many(self, model_id: str, items: Mapping[str, np.ndarray]) -> None:
        frozen = {}
        for k, v in items.items():
            arr = np.array(v, dtype=np.float32, copy=True)
            arr.flags.writeable = False  # callers get the stored array back; keep it immutable
            frozen[(model_id, k)] = arr
        with self._lock:
            self._data.update(frozen)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class CachedEncoder:
    """Wrap an encoder so each distinct text is encoded at most once per cache.

    Parameters
    ----------
    encoder : TextEncoder
        The underlying encoder (real or fake).
    cache : TextCache
        Where vectors are looked up and stored, namespaced by ``encoder.model_id``.

    Attributes
    ----------
    hits : int
        Distinct texts served from the cache (cumulative).
    misses : int
        Distinct texts that had to be encoded (cumulative).
    """

    def __init__(self, encoder: TextEncoder, cache: TextCache) -> None:
        self.encoder = encoder
        self.cache = cache
        self.hits = 0
        self.misses = 0

    def __repr__(self) -> str:
        return f"CachedEncoder({self.encoder!r}, hits={self.hits}, misses={self.misses})"

    @property
    def model_id(self) -> str:
        return self.encoder.model_id

    @property
    def dim(self) -> int:
        return self.encoder.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return ``(n, dim)`` float32 vectors in input order, encoding only uncached distinct texts."""
        items = as_text_list(texts)
        dim = self.dim
        if not items:
            return np.zeros((0, dim), dtype=np.float32)
        model_id = self.model_id
        # dict preserves first-seen order: one entry per distinct text
        key_of = {t: text_key(model_id, t) for t in items}
        found = self.cache.get_many(model_id, list(key_of.values()))
        vec_of: dict[str, np.ndarray] = {}
        todo: list[str] = []
        for text, key in key_of.items():
            v = found.get(key)
            # A wrong-shaped entry (e.g. written by another model under a colliding id) is a miss.
            if v is not None and np.shape(v) == (dim,):
                vec_of[text] = v
            else:
                todo.append(text)
        self.hits += len(vec_of)
        self.misses += len(todo)
        if todo:
            fresh = self.encoder.encode(todo)
            if fresh.shape != (len(todo), dim):
                raise RuntimeError(f"encoder returned shape {fresh.shape}, expected {(len(todo), dim)}")
            self.cache.put_many(model_id, {key_of[t]: fresh[i] for i, t in enumerate(todo)})
            vec_of.update(zip(todo, fresh, strict=True))
        out = np.empty((len(items), dim), dtype=np.float32)
        for row, text in enumerate(items):
            out[row] = vec_of[text]
        return out
