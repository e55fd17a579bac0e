"""LL144 impact ratios written out by hand, to check the audit against."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

__all__ = ["assert_matches", "by_hand"]


def by_hand(units: list[tuple[str | None, bool]]) -> dict[str, Any]:
    """The published rules, written out: rates, the most selected group (not a < 2 % one), ratios."""
    pool: Counter[str] = Counter()
    sel: Counter[str] = Counter()
    unknown = 0
    for g, s in units:
        if g is None:
            unknown += 1
        else:
            pool[g] += 1
            sel[g] += s
    total = sum(pool.values())
    small = {g for g in pool if pool[g] / total < 0.02}
    rate = {g: sel[g] / pool[g] for g in pool}
    best = max(rate[g] for g in pool if g not in small)
    return {"unknown": unknown, "small": small,
            "rows": {g: (pool[g], sel[g], rate[g], rate[g] / best, rate[g] / best < 0.8) for g in pool}}


def assert_matches(report: dict[str, Any], expected: dict[str, Any]) -> None:
    assert report["unknown"] == expected["unknown"]
    assert set(report["small_groups"]) == expected["small"]
    got = {r["group"]: r for r in report["rows"]}
    assert set(got) == set(expected["rows"])
    for g, (pool, sel, rate, ratio, flag) in expected["rows"].items():
        r = got[g]
        assert (r["pool"], r["selected"], r["flag"]) == (pool, sel, flag), g
        assert r["selection_rate"] == pytest.approx(rate, abs=1e-4)
        assert r["impact_ratio"] == pytest.approx(ratio, abs=1e-4)
