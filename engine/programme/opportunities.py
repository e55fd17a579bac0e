"""Opportunities (gigs, stretch projects, rotations) ranked for a person, and people for an opportunity.

Available = status ``open``, not ended as of the date (``ends_at`` null or later), a free seat
(``capacity`` minus people assigned), open to the person's job family (``families``, empty =
everyone), and the person neither its owner nor already on it.

An opportunity develops each of its skills up to its ``to_level``, at most ``MAX_STEP`` levels
above where a person starts (a 40-hour gig does not turn a beginner into an expert); completing
it raises the person's levels exactly so (source ``opportunity``).

For a person and a target role, an opportunity ``closes`` the gap skills it raises, from their
level to ``min(what it reaches, what the role needs)``; score = the weighted share of their whole
gap for the role it closes (Σ weight x levels closed ÷ Σ weight x levels missing). Ties: fewer hours.

For an opportunity, people are ranked by how much it would grow them where they are heading: the
levels it adds that their role or one of its next roles (ladder or observed moves) needs, ÷ the
levels it teaches. Growth nobody's path needs does not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from engine.models import Opportunity
from engine.programme.mentors import gap_of
from engine.programme.org import have_columns
from engine.programme.results import Grower, OpportunityCandidates, OpportunityMatch, OpportunityMatches, SkillStep

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = ["MAX_STEP", "Seats", "growers", "matches_for", "raised_levels"]

MAX_STEP = 2


class Seats:
    """Who is on which opportunity: ``assigned`` people hold seats; ``completed`` ones are done."""

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        self.taken: dict[str, int] = {}
        self.people: dict[str, set[str]] = {}
        for opp, emp, status in rows:
            if status == "withdrawn":
                continue
            if status == "assigned":
                self.taken[opp] = self.taken.get(opp, 0) + 1
            self.people.setdefault(opp, set()).add(emp)

    def left(self, o: Opportunity) -> int:
        return max(0, o.capacity - self.taken.get(o.id, 0))


def available(o: Opportunity, seats: Seats, day: dt.date) -> bool:
    return o.status == "open" and (o.ends_at is None or o.ends_at >= day) and seats.left(o) > 0


def open_to(o: Opportunity, family: str | None) -> bool:
    """Opportunities limited to some job families (a ward rotation) are offered only to them."""
    return not o.families or family in o.families


def raised_levels(o: Opportunity, have: dict[str, int]) -> list[tuple[str, int, int]]:
    """(skill_id, from, to) that completing ``o`` gives someone with levels ``have``."""
    out = []
    for s in o.skills:
        h = have.get(s.skill_id, 0)
        to = min(s.to_level, h + MAX_STEP)
        if to > h:
            out.append((s.skill_id, h, to))
    return out


def _step(st: State, col: int, a: float, b: float) -> SkillStep:
    cat = st.catalog
    return SkillStep(skill_id=cat.skill_ids[col], name=cat.skill_name(col), from_=int(a), to=int(b))


def matches_for(
    st: State,
    opps: Sequence[Opportunity],
    seats: Seats,
    employee_id: str,
    role_id: str,
    *,
    day: dt.date,
    limit: int = 5,
) -> OpportunityMatches:
    cat = st.catalog
    row, r = st.people.index[employee_id], cat.role_index[role_id]
    cols, have, need, wts = gap_of(st, row, r)
    mine = int(st.people.role_idx[row])
    family = cat.roles[mine].family if mine >= 0 else None
    pool = [
        o
        for o in opps
        if available(o, seats, day)
        and open_to(o, family)
        and o.owner_id != employee_id
        and employee_id not in seats.people.get(o.id, ())
    ]
    if not len(cols) or not pool:
        return OpportunityMatches(employee_id=employee_id, role_id=role_id, items=[])
    pos = {c: k for k, c in enumerate(cols.tolist())}
    taught = np.zeros((len(pool), len(cols)), np.float32)  # levels each opportunity teaches, on the gap skills
    for j, o in enumerate(pool):
        for s in o.skills:
            k = pos.get(cat.skill_index.get(s.skill_id, -1))
            if k is not None:
                taught[j, k] = s.to_level
    to = np.minimum(np.minimum(taught, have + MAX_STEP), need)
    gain = np.maximum(0.0, to - have)
    total = float((wts * (need - have)).sum())
    score = (gain * wts).sum(axis=1) / total
    order = sorted((j for j in range(len(pool)) if score[j] > 0), key=lambda j: (-score[j], pool[j].hours, pool[j].id))
    items = []
    for j in order[:limit]:
        o = pool[j]
        closes = [_step(st, int(cols[k]), have[k], to[j, k]) for k in range(len(cols)) if gain[j, k] > 0]
        full = sum(1 for k in range(len(cols)) if gain[j, k] > 0 and to[j, k] >= need[k])
        named = ", ".join(f"{c.name} {c.from_}→{c.to}" for c in closes[:3])
        why = (
            f"{o.kind.replace('_', ' ').capitalize()} of {o.hours:g} h that raises {named}: "
            f"{score[j]:.0%} of your gap for {cat.roles[r].title}"
            + (f", {full} gap{'s' if full != 1 else ''} fully closed" if full else "")
            + "."
        )
        items.append(
            OpportunityMatch(
                opportunity_id=o.id,
                title=o.title,
                kind=o.kind,
                hours=o.hours,
                closes=closes,
                score=round(float(score[j]), 4),
                why=why,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                seats_left=seats.left(o),
            )
        )
    return OpportunityMatches(employee_id=employee_id, role_id=role_id, items=items)


def _path_need(st: State, cols: np.ndarray) -> np.ndarray:
    """(R, k): the highest level of each skill that a role or one of its next roles needs."""
    cat = st.catalog
    n = cat.n_roles
    src, dst = list(range(n)), list(range(n))
    for i, role in enumerate(cat.roles):
        for nxt in role.next_role_ids:
            if nxt in cat.role_index:
                src.append(i)
                dst.append(cat.role_index[nxt])
    for (a, b), c in cat.transition_counts.items():
        if c > 0:
            src.append(cat.role_index[a])
            dst.append(cat.role_index[b])
    A = sp.csr_matrix((np.ones(len(src), np.float32), (src, dst)), shape=(n, n))
    A.data[:] = 1.0
    need = cat.need[:, cols].toarray()
    out = np.zeros((n, len(cols)), np.float32)
    for k in range(len(cols)):
        out[:, k] = A.multiply(need[:, k][None, :]).max(axis=1).toarray().ravel()
    return out


def growers(st: State, o: Opportunity, seats: Seats, *, limit: int = 10) -> OpportunityCandidates:
    cat, people = st.catalog, st.people
    taught = [(cat.skill_index[s.skill_id], s.to_level) for s in o.skills if s.skill_id in cat.skill_index]
    if not taught or not len(people):
        return OpportunityCandidates(opportunity_id=o.id, seats_left=seats.left(o), items=[])
    cols = np.asarray([c for c, _ in taught], np.int64)
    to = np.asarray([lv for _, lv in taught], np.float32)
    H = have_columns(people, cols)
    ridx = people.role_idx
    T = np.where((ridx >= 0)[:, None], _path_need(st, cols)[np.maximum(ridx, 0)], 0.0)
    reach = np.minimum(to[None, :], H + MAX_STEP)
    useful = np.maximum(0.0, np.minimum(reach, T) - H)
    score = useful.sum(axis=1) / float(to.sum())
    ok = people.alive & (score > 0)
    if o.families:
        allowed = np.asarray([f in o.families for f in cat.family], bool)
        ok &= (ridx >= 0) & allowed[np.maximum(ridx, 0)]
    for e in seats.people.get(o.id, set()) | ({o.owner_id} if o.owner_id else set()):
        if e in people.index:
            ok[people.index[e]] = False
    rows = np.flatnonzero(ok)
    best = rows[np.argsort(-score[rows], kind="stable")[: 4 * limit]].tolist()
    best.sort(key=lambda i: (-round(float(score[i]), 6), people.ids[i]))
    items = []
    for i in best[:limit]:
        grows = [_step(st, int(cols[k]), H[i, k], H[i, k] + useful[i, k]) for k in range(len(cols)) if useful[i, k] > 0]
        current = cat.roles[ridx[i]].title if ridx[i] >= 0 else "their role"
        named = ", ".join(f"{g.name} {g.from_}→{g.to}" for g in grows[:3])
        items.append(
            Grower(
                employee_id=people.ids[i],
                display_name=people.names[i],
                current_role_id=cat.role_ids[ridx[i]] if ridx[i] >= 0 else None,
                grows=grows,
                score=round(float(score[i]), 4),
                why=f"Would raise {named}, which {current} or its next step needs.",
            )
        )
    return OpportunityCandidates(opportunity_id=o.id, seats_left=seats.left(o), items=items)
