"""Small helpers shared by the encoders."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def as_text_list(texts: Sequence[str]) -> list[str]:
    """Validate ``texts`` and return it as a list.

    A bare ``str`` is rejected: it is a ``Sequence[str]`` too, and silently
    encoding it character by character is a classic bug.
    """
    if isinstance(texts, str | bytes):
        raise TypeError("encode() expects a sequence of strings, not a single string; wrap it in a list")
    out = list(texts)
    for i, t in enumerate(out):
        if not isinstance(t, str):
            raise TypeError(f"encode() expects strings; item {i} is {type(t).__name__}")
    return out


def l2_normalise(x: np.ndarray) -> np.ndarray:
    """Row-normalise ``x`` in place (float32); all-zero rows stay zero."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.divide(x, norms, out=x, where=norms > 0)
    return x
