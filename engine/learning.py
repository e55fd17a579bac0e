"""Learning plans: the cheapest set of learning items that closes a set of skill gaps, preferring
items that fit the target role.

Greedy weighted set cover (ln(n)-approximate): repeatedly take the item with the lowest hours per
gap it closes (an item closes a gap when it teaches that skill to at least the needed level); also
started once from each item that closes several gaps, redundant picks removed, cheapest plan kept.
Gaps no item closes are costed at DEFAULT_HOURS_PER_LEVEL per missing level.

Relevance (``plan_learning(..., relevance=...)``, one value in [0, 1] per catalog item for the
target role, from ``engine.relevance.item_relevance``): the same search runs on *effective*
hours = hours x penalty, penalty = 1 + (RELEVANCE_MARGIN - 1) x (1 - relevance), so an
off-domain item (relevance 0) counts 1.5x its hours. A relevant or generic item therefore wins
against an off-domain one up to 1.5x its hours (ties at exactly 1.5x go to the relevant item);
an off-domain item is still chosen when nothing relevant closes the gap or the relevant one is
dearer than that. Whatever the search finds, the plan shown never costs more than
RELEVANCE_MARGIN x the cheapest plan's hours (else the cheapest plan is kept), and when the
cheapest plan has nothing off-domain it is the answer (no second search). Gigs, stretch projects
and mentoring are items like any other. Hours shown are real hours, never effective ones.
Plans are memoised per (gaps, relevance digest): roles with the same relevance share them.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.catalog import DEFAULT_HOURS_PER_LEVEL, Catalog
from engine.results import Gap, LearningPlan, LearningRef

__all__ = ["RELEVANCE_MARGIN", "GapSpec", "PlanResult", "penalty", "plan_learning", "to_plan"]

MAX_RESTARTS = 2
PLAN_CACHE_SIZE = 50_000
RELEVANCE_MARGIN = 1.5  # an off-domain item's hours count 1.5x; plans may cost at most 1.5x the cheapest
TIE_NUDGE = 1e-6


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


def _greedy(
    catalog: Catalog, closes: dict[int, set[int]], n_gaps: int, forced: int | None, hours: Sequence[float]
) -> list[int]:
    open_gaps = set(range(n_gaps))
    chosen: list[int] = []
    if forced is not None:
        chosen.append(forced)
        open_gaps -= closes[forced]
    # Lazy greedy: an item's hours-per-open-gap only grows as gaps close, so a popped entry whose
    # recomputed ratio still beats the next one is the true best (ties broken by id).
    heap = [(hours[i] / len(c), catalog.items[i].id, i) for i, c in closes.items() if i != forced and c & open_gaps]
    heapq.heapify(heap)
    while open_gaps and heap:
        _, iid, item = heapq.heappop(heap)
        n = len(closes[item] & open_gaps)
        if not n:
            continue
        key = (hours[item] / n, iid, item)
        if heap and key > heap[0]:
            heapq.heappush(heap, key)
            continue
        chosen.append(item)
        open_gaps -= closes[item]
    # Drop items made redundant by later picks, most expensive first.
    count = [0] * n_gaps
    for item in chosen:
        for p in closes[item]:
            count[p] += 1
    for item in sorted(chosen, key=lambda i: -hours[i]):
        if all(count[p] > 1 for p in closes[item]):
            chosen.remove(item)
            for p in closes[item]:
                count[p] -= 1
    return chosen


def _candidates(catalog: Catalog, gaps: Sequence[GapSpec], hours: np.ndarray) -> dict[int, set[int]]:
    """The items worth considering: the cheapest closer of each gap, plus bundles (items closing
    several gaps) cheaper than buying those gaps' cheapest closers. Everything else is dominated,
    so the search stays small (about one item per gap) even with a catalog of thousands."""
    if not gaps or not catalog.items:
        return {}
    cols = np.fromiter((g.skill for g in gaps), np.int64, len(gaps))
    need = np.fromiter((g.need for g in gaps), np.float32, len(gaps))
    sub = catalog.teaches[:, cols].tocoo()  # (items, gaps) -> level taught
    ok = sub.data >= need[sub.col]
    items, pos = sub.row[ok].astype(np.int64), sub.col[ok].astype(np.int64)
    if not len(items):
        return {}
    order = np.lexsort((items, hours[items]))  # cheapest first; ties by id (items are sorted by id)
    items, pos = items[order], pos[order]
    first_pos, first_idx = np.unique(pos, return_index=True)
    cheapest = dict(zip(first_pos.tolist(), items[first_idx].tolist(), strict=True))
    keep = set(cheapest.values())
    cheap_hours = np.zeros(len(gaps))
    cheap_hours[first_pos] = hours[items[first_idx]]
    n = len(hours)
    count = np.bincount(items, minlength=n)
    singles_cost = np.bincount(items, weights=cheap_hours[pos], minlength=n)
    keep.update(np.flatnonzero((count > 1) & (hours < singles_cost)).tolist())
    sel = np.isin(items, np.fromiter(keep, np.int64, len(keep)))
    closes: dict[int, set[int]] = {i: set() for i in keep}
    for i, p in zip(items[sel].tolist(), pos[sel].tolist(), strict=True):
        closes[i].add(p)
    return closes


def _choose(
    catalog: Catalog, gaps: Sequence[GapSpec], cost: Sequence[float], cost_arr: np.ndarray
) -> tuple[list[int], dict[int, set[int]]]:
    """The items of the plan with the lowest total ``cost`` found, and the gaps each candidate closes."""
    closes = _candidates(catalog, gaps, cost_arr)
    # Greedy, plus greedy started from each of the best multi-gap items: catches the bundle
    # (one programme closing several gaps) that plain greedy misses when a cheap course goes first.
    bundles = sorted((i for i, c in closes.items() if len(c) > 1), key=lambda i: cost[i] / len(closes[i]))
    if bundles:
        plans = [_greedy(catalog, closes, len(gaps), s, cost) for s in [None, *bundles[:MAX_RESTARTS]]]
        return min(plans, key=lambda p: (sum(cost[i] for i in p), len(p))), closes
    # no bundle beats the singles: the cheapest closer of each gap is optimal
    return sorted(closes, key=lambda i: (cost[i], catalog.items[i].id)), closes


def penalty(relevance: np.ndarray) -> np.ndarray:
    """Hours multiplier of an item with this relevance: 1 when relevant, RELEVANCE_MARGIN when off-domain."""
    off = 1.0 - np.clip(np.asarray(relevance, np.float64), 0.0, 1.0)
    # The tiny second term breaks ties towards relevance: "up to the margin" includes the margin.
    return (1.0 + (RELEVANCE_MARGIN - 1.0) * off) * (1.0 + TIE_NUDGE * off)


def _relevance_key(relevance: np.ndarray) -> bytes:
    return hashlib.blake2b(np.ascontiguousarray(relevance, np.float32).tobytes(), digest_size=16).digest()


def plan_learning(catalog: Catalog, gaps: Sequence[GapSpec], *, relevance: np.ndarray | None = None) -> PlanResult:
    """Cheapest plan found for the gaps; with ``relevance`` (per catalog item, in [0, 1], for the
    target role: engine.relevance.item_relevance), the plan lowest in relevance-weighted hours
    whose hours stay within RELEVANCE_MARGIN of the cheapest plan's. Memoised per gap set and
    relevance (many people share gap patterns, and every target role has one relevance)."""
    if relevance is not None and len(relevance) != len(catalog.items):
        raise ValueError(f"relevance has {len(relevance)} entries for {len(catalog.items)} learning items")
    gkey = tuple((g.skill, g.have, g.need) for g in gaps)
    key: tuple[Any, ...] = (gkey,) if relevance is None else (gkey, _relevance_key(relevance))
    cache: dict[tuple[Any, ...], PlanResult] = catalog.__dict__.setdefault("_plan_cache", {})
    hit = cache.get(key)
    if hit is not None:
        return hit
    if relevance is None:
        chosen, closes = _choose(catalog, gaps, catalog.item_hours, catalog.item_hours_arr)
    else:
        cheapest = plan_learning(catalog, gaps)
        if all(relevance[i] >= 1.0 for i in cheapest.items):  # nothing off-domain to replace
            _remember(cache, key, cheapest)
            return cheapest
        eff = catalog.item_hours_arr * penalty(relevance)
        chosen, closes = _choose(catalog, gaps, eff.tolist(), eff)
        hours = sum(catalog.item_hours[i] for i in chosen)
        far = hours + cheapest.default_hours > RELEVANCE_MARGIN * cheapest.total_hours + 1e-9
        if far or set(chosen) == set(cheapest.items):  # far dearer: price wins; same items: same plan
            _remember(cache, key, cheapest)
            return cheapest
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
    result = PlanResult(chosen, covers, attributed, sorted(open_gaps), default, round(total, 2))
    _remember(cache, key, result)
    return result


def _remember(cache: dict[tuple[Any, ...], PlanResult], key: tuple[Any, ...], plan: PlanResult) -> None:
    if len(cache) > PLAN_CACHE_SIZE:
        cache.clear()
    cache[key] = plan


def _ref(catalog: Catalog, item: int) -> LearningRef:
    # Refs are immutable views of catalog items: build each once per catalog and share it.
    refs: dict[int, LearningRef] = catalog.__dict__.setdefault("_learning_refs", {})
    ref = refs.get(item)
    if ref is None:
        it = catalog.items[item]
        ref = refs[item] = LearningRef.model_construct(id=it.id, title=it.title, hours=it.hours, format=it.format)
    return ref


def to_gaps(catalog: Catalog, gaps: Sequence[GapSpec], plan: PlanResult) -> list[Gap]:
    return [
        Gap.model_construct(
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
