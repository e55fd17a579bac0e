"""Learning plans: the cheapest set of learning items that closes a set of skill gaps.

Greedy weighted set cover (ln(n)-approximate): repeatedly take the item with the lowest hours per
gap it closes (an item closes a gap when it teaches that skill to at least the needed level); also
started once from each item that closes several gaps, redundant picks removed, cheapest plan kept.
Gaps no item closes are costed at DEFAULT_HOURS_PER_LEVEL per missing level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.catalog import DEFAULT_HOURS_PER_LEVEL, Catalog
from engine.results import Gap, LearningPlan, LearningRef

__all__ = ["GapSpec", "PlanResult", "plan_learning", "to_plan"]


@dataclass(frozen=True)
class GapSpec:
    skill: int  # skill index in the catalog
    have: int
    need: int
    weight: float


@dataclass
class PlanResult:
    items: list[int]  # chosen item indices, in the order picked
    covers: dict[int, list[int]]  # gap position -> chosen items closing it
    gap_hours: list[float]  # hours attributed to each gap
    uncovered: list[int]  # gap positions nobody closes
    default_hours: float
    total_hours: float


def _greedy(catalog: Catalog, closes: dict[int, set[int]], n_gaps: int, forced: int | None) -> list[int]:
    open_gaps = set(range(n_gaps))
    chosen: list[int] = []
    if forced is not None:
        chosen.append(forced)
        open_gaps -= closes[forced]
    while open_gaps:
        best, best_ratio = -1, float("inf")
        for item, poss in closes.items():
            n = len(poss & open_gaps)
            if n:
                ratio = catalog.items[item].hours / n
                # Tie-break on id keeps plans deterministic.
                if ratio < best_ratio or (ratio == best_ratio and catalog.items[item].id < catalog.items[best].id):
                    best, best_ratio = item, ratio
        if best < 0:
            break
        chosen.append(best)
        open_gaps -= closes[best]
    # Drop items made redundant by later picks, most expensive first.
    for item in sorted(chosen, key=lambda i: -catalog.items[i].hours):
        rest = [c for c in chosen if c != item]
        if closes[item] <= set().union(*(closes[c] for c in rest)):
            chosen = rest
    return chosen


def plan_learning(catalog: Catalog, gaps: Sequence[GapSpec]) -> PlanResult:
    # item -> gap positions it closes
    closes: dict[int, set[int]] = {}
    for pos, g in enumerate(gaps):
        for item, to_level in catalog.items_by_skill[g.skill]:
            if to_level >= g.need:
                closes.setdefault(item, set()).add(pos)
    # Greedy, plus greedy started from each multi-gap item: catches the bundle (one programme
    # closing several gaps) that plain greedy misses when a cheap single course goes first.
    starts: list[int | None] = [None, *sorted(i for i, c in closes.items() if len(c) > 1)]
    plans = [_greedy(catalog, closes, len(gaps), s) for s in starts[:50]]
    chosen = min(plans, key=lambda p: (sum(catalog.items[i].hours for i in p), len(p)))
    covers: dict[int, list[int]] = {}
    attributed = [0.0] * len(gaps)
    for item in chosen:
        for pos in sorted(closes[item]):
            covers.setdefault(pos, []).append(item)
    for item in chosen:
        # An item's hours are shared by the gaps it closes (each gap counted once, first closer).
        mine = [p for p in closes[item] if covers[p][0] == item]
        for pos in mine:
            attributed[pos] += catalog.items[item].hours / len(mine)
    open_gaps = set(range(len(gaps))) - set(covers)
    default = 0.0
    for pos in open_gaps:
        g = gaps[pos]
        attributed[pos] = DEFAULT_HOURS_PER_LEVEL * (g.need - g.have)
        default += attributed[pos]
    total = sum(catalog.items[i].hours for i in chosen) + default
    return PlanResult(chosen, covers, attributed, sorted(open_gaps), default, round(total, 2))


def _ref(catalog: Catalog, item: int) -> LearningRef:
    it = catalog.items[item]
    return LearningRef(id=it.id, title=it.title, hours=it.hours, format=it.format)


def to_gaps(catalog: Catalog, gaps: Sequence[GapSpec], plan: PlanResult) -> list[Gap]:
    return [
        Gap(
            skill_id=catalog.skill_ids[g.skill],
            name=catalog.skill_name(g.skill),
            have=g.have,
            need=g.need,
            weight=round(g.weight, 3),
            learning=[_ref(catalog, i) for i in plan.covers.get(pos, [])],
            hours=round(plan.gap_hours[pos], 2),
        )
        for pos, g in enumerate(gaps)
    ]


def to_plan(
    catalog: Catalog, role_id: str | None, gaps: Sequence[GapSpec], plan: PlanResult, hours_per_week: float
) -> LearningPlan:
    return LearningPlan(
        role_id=role_id,
        items=[_ref(catalog, i) for i in plan.items],
        total_hours=plan.total_hours,
        uncovered=[catalog.skill_ids[gaps[p].skill] for p in plan.uncovered],
        default_hours=round(plan.default_hours, 2),
        gaps=to_gaps(catalog, gaps, plan),
        est_months=months(plan.total_hours, hours_per_week),
    )


def months(hours: float, hours_per_week: float) -> float:
    """Calendar months at a learning pace of `hours_per_week` (4.33 weeks a month)."""
    return round(hours / (hours_per_week * 4.33), 1) if hours > 0 else 0.0
