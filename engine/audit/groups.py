"""Audit categories: which group a person falls in for sex, race/ethnicity or their intersection.

Values are used as recorded. A missing value, or one of the usual non-answers ("prefer not to
say", "unknown", ...), puts the person in no group: they are counted as ``unknown`` (LL144 asks
for that count) and left out of the rates. For the intersection both values must be known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select

from engine.errors import InvalidInput
from engine.store import tables as t
from engine.store.rows import IN_CHUNK, chunks

__all__ = ["CATEGORIES", "check_category", "group_of", "load_protected"]

CATEGORIES = ("sex", "race_ethnicity", "intersectional")
NON_ANSWERS = frozenset({
    "", "unknown", "not known", "declined", "decline to state", "declined to state", "prefer not to say",
    "not specified", "unspecified", "undisclosed", "not disclosed", "n/a", "na", "none",
})
JOIN = " / "  # intersectional group names: "female / Hispanic or Latino"


def check_category(category: str) -> str:
    if category not in CATEGORIES:
        raise InvalidInput(f"category must be one of {', '.join(CATEGORIES)}, got {category!r}")
    return category


def _known(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip()
    return None if v.lower() in NON_ANSWERS else v


def group_of(attrs: Mapping[str, Any] | None, category: str) -> str | None:
    """The person's group for ``category``, or None when unknown."""
    if attrs is None:
        return None
    if category == "intersectional":
        sex, race = _known(attrs.get("sex")), _known(attrs.get("race_ethnicity"))
        return f"{sex}{JOIN}{race}" if sex and race else None
    return _known(attrs.get(category))


def load_protected(conn: Connection, ids: Iterable[str] | None = None) -> dict[str, dict[str, str | None]]:
    """Protected attributes by employee id (everyone's for None): audit code only, never scoring."""
    p = t.employee_protected.c
    cols = (p.employee_id, p.sex, p.race_ethnicity, p.age_band)
    out: dict[str, dict[str, str | None]] = {}
    if ids is None:
        rows: Iterable[Any] = conn.execute(select(*cols))
    else:
        wanted = sorted(set(ids))
        q = select(*cols)
        rows = [r for part in chunks(wanted, IN_CHUNK) for r in conn.execute(q.where(p.employee_id.in_(part)))]
    for r in rows:
        out[r.employee_id] = {"sex": r.sex, "race_ethnicity": r.race_ethnicity, "age_band": r.age_band}
    return out
