"""Structural type shared by every encoder (real, fake, cached)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["TextEncoder"]


@runtime_checkable
class TextEncoder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors.

    Attributes
    ----------
    model_id : str
        Stable identifier of the model; used as the cache key namespace.
    dim : int
        Dimension of the produced vectors.
    """

    @property
    def model_id(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an ``(len(texts), dim)`` float32 array of unit vectors, in input order."""
        ...
