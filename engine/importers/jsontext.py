"""JSON text read safely: a nesting limit checked before parsing, no NaN / Infinity.

``json.loads`` recurses once per nesting level, so a line of 100 000 ``[`` raises RecursionError
(an HTTP 500, or one bad line aborting a whole import). No record needs more than a handful of
levels, so anything nested deeper than :data:`MAX_DEPTH` is refused by a linear scan first.
Used by the importers and by the HTTP bodies (:mod:`service.body`), so both refuse the same input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["MAX_DEPTH", "TooDeep", "loads", "skip_value", "too_deep"]

MAX_DEPTH = 32  # the deepest record (an employee's skill entry in an envelope) needs 4

# A string (escapes honoured; an unterminated one runs to the end) or a bracket.
_TOKEN = re.compile(r'"(?:[^"\\]+|\\.)*"?|[\[\]{}]', re.S)
_TOKEN_B = re.compile(rb'"(?:[^"\\]+|\\.)*"?|[\[\]{}]', re.S)


class TooDeep(ValueError):
    def __init__(self, limit: int = MAX_DEPTH) -> None:
        super().__init__(f"JSON nested deeper than {limit} levels")


def too_deep(text: str | bytes, limit: int = MAX_DEPTH, *, start: int = 0, end: int | None = None) -> bool:
    """True when arrays / objects in ``text[start:end]`` nest deeper than ``limit``.

    Brackets inside strings do not count. Linear; most records never reach the scan at all.
    """
    stop = len(text) if end is None else end
    if isinstance(text, bytes):
        if text.count(b"[", start, stop) + text.count(b"{", start, stop) <= limit:
            return False
        firsts = (m.group()[:1] for m in _TOKEN_B.finditer(text, start, stop))
        return _deeper(firsts, b"[{", b"]}", limit)
    if text.count("[", start, stop) + text.count("{", start, stop) <= limit:
        return False
    return _deeper((m.group()[0] for m in _TOKEN.finditer(text, start, stop)), "[{", "]}", limit)


def _deeper(firsts: Iterator[Any], opens: Any, closes: Any, limit: int) -> bool:
    # firsts: the first character of each token (a string token starts with '"')
    depth = 0
    for c in firsts:
        if c in opens:
            depth += 1
            if depth > limit:
                return True
        elif c in closes:
            depth -= 1
    return False


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def loads(text: str | bytes, *, limit: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses deep nesting (TooDeep) and NaN / Infinity (ValueError)."""
    if too_deep(text, limit):
        raise TooDeep(limit)
    try:
        return json.loads(text, parse_constant=_no_constants)
    except RecursionError:  # unreachable below the limit; kept so no input can escape as a crash
        raise TooDeep(limit) from None


def skip_value(text: str, start: int) -> int:
    """End offset of the array or object starting at ``text[start]`` (for values too deep to decode).

    Raises json.JSONDecodeError when it never closes.
    """
    depth = 0
    for m in _TOKEN.finditer(text, start):
        c = m.group()[0]
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return m.end()
    raise json.JSONDecodeError("unterminated array or object", text, start)
