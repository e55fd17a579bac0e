"""Deterministic, dependency-free stand-in for the real encoder (unit tests)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ._util import as_text_list, l2_normalise

__all__ = ["FakeEncoder"]

_WORD = re.compile(r"[a-z0-9]+")
_WORD_WEIGHT = 1.0
_TRIGRAM_WEIGHT = 0.5


@lru_cache(maxsize=65_536)
def _bucket(feature: str, dim: int) -> tuple[int, float]:
    """Hash a feature to (bucket, ±1 sign); blake2b is stable across processes, unlike ``hash()``."""
    digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, (1.0 if (value >> 63) & 1 else -1.0)


def _features(text: str) -> list[tuple[str, float]]:
    words = _WORD.findall(text.lower())
    if not words:
        return [("<empty>", 1.0)]
    feats: list[tuple[str, float]] = []
    for w in words:
        feats.append(("w:" + w, _WORD_WEIGHT))
        padded = f" {w} "
        feats.extend(("c:" + padded[i : i + 3], _TRIGRAM_WEIGHT) for i in range(len(padded) - 2))
    return feats


class FakeEncoder:
    """Hashed bag of lowercase words + character trigrams, L2-normalised.

    Texts sharing words (or word fragments) get a higher inner product, which is
    enough structure for ranking tests, at microseconds per text.

    Parameters
    ----------
    dim : int
        Output dimension (384 matches the real model).
    """

    def __init__(self, dim: int = 384) -> None:
        if dim < 1:
            raise ValueError(f"dim must be >= 1, got {dim}")
        self._dim = dim

    def __repr__(self) -> str:
        return f"FakeEncoder(dim={self._dim})"

    @property
    def model_id(self) -> str:
        return f"fake-hash-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return ``(n, dim)`` float32 unit vectors in input order; ``(0, dim)`` for empty input."""
        items = as_text_list(texts)
        out = np.zeros((len(items), self._dim), dtype=np.float32)
        for row, text in enumerate(items):
            for feat, weight in _features(text):
                idx, sign = _bucket(feat, self._dim)
                out[row, idx] += sign * weight
        return l2_normalise(out)
