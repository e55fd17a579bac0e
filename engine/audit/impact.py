"""Impact ratios as NYC Local Law 144's rules define them (DCWP, 6 RCNY § 5-300/5-301).

- selection rate = selected ÷ pool, per group;
- impact ratio = a group's selection rate ÷ the selection rate of the most selected group;
- scoring rate (for scored outputs) = the share of a group scoring above the sample's median;
- a group under 2 % of the (known) pool is listed in ``small_groups``: it is still reported, but
  the rules let it be left out of the impact-ratio calculation, so it never serves as the most
  selected group (one person hired out of one would otherwise set the bar for everyone);
- people whose category is unknown are counted in ``unknown`` and left out of the rates;
- ``flag`` marks an impact ratio below 0.8 (the four-fifths rule of thumb).

Each row also carries ``p_value``: the two-sided pooled two-proportion z-test of the group's
rate against the reference group's, with the Rao–Scott design-effect adjustment for clustering by
person (a person assessed for many roles is one cluster, not many independent draws; with one
unit per person the adjustment is 1). The four-fifths rule ignores sample size; a flag with a large
p-value is what chance alone produces often (see the README on the 0.73 check). The normal
approximation is rough for groups with only a few selections.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median
from typing import Any

import numpy as np

__all__ = ["FOUR_FIFTHS", "SMALL_SHARE", "ImpactTable", "p_value", "scoring_table", "selection_table"]

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


Clusters = dict[str, dict[Any, list[int]]]  # group -> cluster (person) -> [units, hits]


def _ratios(clusters: Clusters, *, hit_key: str, rate_key: str) -> ImpactTable:
    counts = {g: sum(v[0] for v in cs.values()) for g, cs in clusters.items()}
    hits = {g: sum(v[1] for v in cs.values()) for g, cs in clusters.items()}
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
            "p_value": None if ref is None or g == ref else p_value(clusters[g], clusters[ref]),
        })
    return ImpactTable(rows, 0, small, ref, total)


def p_value(group: dict[Any, list[int]], ref: dict[Any, list[int]]) -> float:
    """Two-sided pooled two-proportion z-test, Rao–Scott adjusted for clustering by person."""
    cells = np.array([*group.values(), *ref.values()], dtype=np.float64)  # (people, [units, hits])
    n_g, n_r = sum(v[0] for v in group.values()), sum(v[0] for v in ref.values())
    h_g, h_r = sum(v[1] for v in group.values()), sum(v[1] for v in ref.values())
    p0 = (h_g + h_r) / (n_g + n_r)  # the common rate if the group made no difference
    if p0 in (0.0, 1.0):
        return 1.0
    binomial = p0 * (1 - p0)
    # Design effect: how much more the people's hit counts vary than independent units would.
    deff = max(1.0, float(((cells[:, 1] - p0 * cells[:, 0]) ** 2).sum()) / (binomial * (n_g + n_r)))
    z = (h_g / n_g - h_r / n_r) / math.sqrt(binomial * (1 / n_g + 1 / n_r) * deff)
    return round(math.erfc(abs(z) / math.sqrt(2)), DIGITS)


def _collect(units: Iterable[tuple[Any, ...]]) -> tuple[Clusters, int]:
    clusters: Clusters = {}
    unknown = 0
    for n, unit in enumerate(units):
        group, hit = unit[0], unit[1]
        if group is None:
            unknown += 1
            continue
        cell = clusters.setdefault(group, {}).setdefault(unit[2] if len(unit) > 2 else ("#", n), [0, 0])
        cell[0] += 1
        cell[1] += bool(hit)
    return clusters, unknown


def selection_table(units: Iterable[tuple[Any, ...]]) -> ImpactTable:
    """Rows from ``(group or None, selected[, person])`` per assessed unit (person: the cluster)."""
    clusters, unknown = _collect(units)
    table = _ratios(clusters, hit_key="selected", rate_key="selection_rate")
    table.unknown = unknown
    return table


def scoring_table(units: Iterable[tuple[Any, ...]]) -> ImpactTable:
    """Rows from ``(group or None, score[, person])``: the share above the whole sample's median."""
    units = list(units)
    if not units:
        return _ratios({}, hit_key="above_median", rate_key="scoring_rate")
    mid = median(u[1] for u in units)
    clusters, unknown = _collect((u[0], u[1] > mid, *u[2:]) for u in units)
    table = _ratios(clusters, hit_key="above_median", rate_key="scoring_rate")
    table.unknown = unknown
    table.extra["median"] = _r(mid)
    return table
