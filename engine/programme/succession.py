"""Succession slates: who could step into a role now, within a year, within two years.

The pool is the shortlist engine's ranked eligible pool for the role (incumbents never in it,
step-downs left out: a successor grows into the role). Readiness by estimated months:
``ready_now`` = the shortlist's ready now; ``ready_1y`` = estimated ≤ 12 months; ``ready_2y`` =
≤ 24 months; people further out are not on the slate.

Who a planner expects on a slate, in this order within each bucket: natural feeders (their role
leads to this one on the career ladder or by moves people have made), then people from the role's
own family, then people from other families, who are only listed when they already cover at
least ``CROSS_FAMILY_MIN_COVERAGE`` of the role (someone from another function steps in on
skills they bring, not on a year of learning). Ties: sooner ready, then the shortlist score.
``bench_strength`` = successors ready within two years in the examined pool (``POOL`` ranked
candidates); a role is ``at_risk`` when no one is ready within a year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.programme.results import SuccessionRow, SuccessionSlate, Successor
from engine.results import Candidate

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = [
    "CROSS_FAMILY_MIN_COVERAGE",
    "POOL",
    "feeder_roles",
    "full_slate",
    "ranked_pool",
    "slate",
    "summary_row",
    "trim",
]

POOL = 150  # ranked candidates examined per role (the slate and the counts come from them)
CROSS_FAMILY_MIN_COVERAGE = 0.6
ONE_YEAR, TWO_YEARS = 12.0, 24.0


def ranked_pool(st: State, role_id: str, *, limit: int) -> list[Candidate]:
    """The shortlist engine's ranked eligible pool beyond one page, step-downs left out.

    The one place that calls the shortlist engine: when it offers the ranked pool directly
    (``rank_candidates(st, role_id, limit=..., include_step_down=False)``) only this changes.
    """
    from engine.shortlist import shortlist

    return [c for c in shortlist(st, role_id, limit=limit).items if c.move != "step_down"]


def feeder_roles(st: State, role_id: str) -> set[str]:
    """Roles whose holders naturally move into ``role_id``: its ladder predecessors and observed moves."""
    from engine.shortlist import feeder_mask

    cat = st.catalog
    mask = feeder_mask(cat, cat.role_index[role_id])  # the shortlist's own feeder rule, cached per role
    return {cat.role_ids[i] for i in mask.nonzero()[0].tolist()}


def _bucket(c: Candidate) -> str | None:
    if c.readiness == "ready_now":
        return "ready_now"
    if c.est_months <= ONE_YEAR:
        return "ready_1y"
    if c.est_months <= TWO_YEARS:
        return "ready_2y"
    return None


def slate(st: State, role_id: str, *, limit: int = 5, pool: int = POOL) -> SuccessionSlate:
    """The slate with at most ``limit`` people per bucket (counts over the whole examined pool)."""
    return trim(full_slate(st, role_id, pool=pool), limit)


def trim(full: SuccessionSlate, limit: int) -> SuccessionSlate:
    return full.model_copy(
        update={
            "ready_now": full.ready_now[:limit],
            "ready_1y": full.ready_1y[:limit],
            "ready_2y": full.ready_2y[:limit],
        }
    )


def full_slate(st: State, role_id: str, *, pool: int = POOL) -> SuccessionSlate:
    """Every successor found in the examined pool, in slate order."""
    cat, people = st.catalog, st.people
    r = cat.role_index[role_id]
    role = cat.roles[r]
    holders = np.flatnonzero((people.role_idx == r) & people.alive)
    incumbents = sorted(people.ids[i] for i in holders)
    feeders = feeder_roles(st, role_id)
    family = {rid: cat.roles[i].family for rid, i in cat.role_index.items()}
    out: dict[str, list[Successor]] = {"ready_now": [], "ready_1y": [], "ready_2y": []}
    tier: dict[str, int] = {}
    skip = set(incumbents)
    for c in ranked_pool(st, role_id, limit=pool):
        b = _bucket(c)
        if b is None or c.employee_id in skip:
            continue
        feeder = c.current_role_id in feeders
        same = family.get(c.current_role_id or "") == role.family
        if not feeder and not same and c.coverage < CROSS_FAMILY_MIN_COVERAGE:
            continue
        tier[c.employee_id] = 0 if feeder else 1 if same else 2
        out[b].append(Successor.model_validate({**c.model_dump(), "natural_feeder": feeder}))
    for items in out.values():
        items.sort(key=lambda s: (tier[s.employee_id], s.est_months, -s.score, s.employee_id))
    counts = {k: len(v) for k, v in out.items()}
    return SuccessionSlate(
        role_id=role_id,
        title=role.title,
        critical=bool(role.critical),
        incumbents=incumbents,
        ready_now=out["ready_now"],
        ready_1y=out["ready_1y"],
        ready_2y=out["ready_2y"],
        bench_strength=sum(counts.values()),
        at_risk=counts["ready_now"] + counts["ready_1y"] == 0,
        counts=counts,
    )


def summary_row(s: SuccessionSlate) -> SuccessionRow:
    return SuccessionRow(
        role_id=s.role_id,
        title=s.title,
        critical=s.critical,
        incumbents=len(s.incumbents),
        bench_strength=s.bench_strength,
        ready_now=s.counts["ready_now"],
        ready_1y=s.counts["ready_1y"],
        ready_2y=s.counts["ready_2y"],
        at_risk=s.at_risk,
    )
