"""Charts placed inline in a page: each SVG's ids made unique, so its accessible name is its own.

The chart modules (:mod:`engine.charts.svg`) name every document's title and description
``t`` / ``d``; two charts on one page would share those ids and a screen reader would read the
first chart's title for both. :func:`inline` prefixes every id and every reference to one.
"""

from __future__ import annotations

import re

from markupsafe import Markup

__all__ = ["inline"]

_ID = re.compile(r'\bid="([^"]+)"')
_LABELLEDBY = re.compile(r'\baria-labelledby="([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")


def inline(svg: str, prefix: str) -> Markup:
    """``svg`` with ``prefix-`` before each id, each ``aria-labelledby`` token and each ``url(#…)``."""
    out = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    out = _LABELLEDBY.sub(lambda m: 'aria-labelledby="' + " ".join(f"{prefix}-{x}" for x in m.group(1).split()) + '"',
                          out)
    out = _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", out)
    return Markup(out)
