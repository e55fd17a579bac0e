"""Impact ratios as NYC Local Law 144's rules define them (DCWP, 6 RCNY § 5-300/5-301).

- selection rate = selected ÷ pool, per group;
- impact ratio = a group's selection rate ÷ the selection rate of the most selected group;
- scoring rate (for scored outputs) = the share of a group scoring above the sample's median;
- a group under 2 % of the (known) pool is listed in ``small_groups``: it is still reported, but
  the rules let it be left out of the impact-ratio calculation, so it never serves as the most
  selected group (one person hired out of one would otherwise set the bar for everyone);
- people whose category is unknown are counted in ``unknown`` and left out of the rates;
- ``flag`` marks an impact ratio below 0.8 (the four-fifths rule of thumb).

Each row also carries ``p_value``: Fisher's exact test of the group's rate against the reference
group's (two-sided). The four-fifths rule ignores sample size; a flag with a large p-value on a
small pool is what chance alone produces often (see the README on the 0.73 check).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median
from typing import Any

__all__ = ["FOUR_FIFTHS", "SMALL_SHARE", "ImpactTable", "scoring_table", "selection_table"]

FOUR_FIFTHS = 0.8
SMALL_SHARE = 0.02
DIGITS = 4


@dataclass
class ImpactTable:
    rows: list[dict[str, Any]]
    unknown: int
    small_groups: list[str]
    reference_group: str | None
    pool: int  # known pool (the base of the 2 % rule)
    extra: dict[str, Any] = field(default_factory=dict)


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, DIGITS)


def _ratios(counts: Counter[str], hits: Counter[str], *, hit_key: str, rate_key: str) -> ImpactTable:
    total = sum(counts.values())
    small = sorted(g for g, n in counts.items() if n < SMALL_SHARE * total)
    rates = {g: hits[g] / n for g, n in counts.items()}
    eligible = [g for g in counts if g not in small] or list(counts)
    ref = max(eligible, key=lambda g: (rates[g], counts[g], g)) if eligible else None
    best = rates[ref] if ref is not None else 0.0
    rows = []
    for g in sorted(counts, key=lambda g: (-counts[g], g)):
        ratio = rates[g] / best if best > 0 else None
        rows.append({
            "group": g, "pool": counts[g], hit_key: hits[g], rate_key: _r(rates[g]),
            "impact_ratio": _r(ratio), "flag": ratio is not None and round(ratio, DIGITS) < FOUR_FIFTHS,
            "small": g in small,
            "p_value": None if ref is None or g == ref else _fisher(hits[g], counts[g], hits[ref], counts[ref]),
        })
    return ImpactTable(rows, 0, small, ref, total)


def _fisher(hits: int, n: int, ref_hits: int, ref_n: int) -> float:
    from scipy.stats import fisher_exact

    _, p = fisher_exact([[hits, n - hits], [ref_hits, ref_n - ref_hits]])
    return round(float(p), DIGITS)


def selection_table(units: Iterable[tuple[str | None, bool]]) -> ImpactTable:
    """Rows from (group or None, selected) per assessed unit."""
    pool: Counter[str] = Counter()
    sel: Counter[str] = Counter()
    unknown = 0
    for group, selected in units:
        if group is None:
            unknown += 1
            continue
        pool[group] += 1
        sel[group] += bool(selected)
    table = _ratios(pool, sel, hit_key="selected", rate_key="selection_rate")
    table.unknown = unknown
    return table


def scoring_table(units: Iterable[tuple[str | None, float]]) -> ImpactTable:
    """Rows from (group or None, score): scoring rate = share above the whole sample's median."""
    units = list(units)
    if not units:
        return _ratios(Counter(), Counter(), hit_key="above_median", rate_key="scoring_rate")
    mid = median(score for _, score in units)
    pool: Counter[str] = Counter()
    above: Counter[str] = Counter()
    unknown = 0
    for group, score in units:
        if group is None:
            unknown += 1
            continue
        pool[group] += 1
        above[group] += score > mid
    table = _ratios(pool, above, hit_key="above_median", rate_key="scoring_rate")
    table.unknown = unknown
    table.extra["median"] = _r(mid)
    return table
