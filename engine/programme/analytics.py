"""Mobility analytics over a time window, by family, role, team or manager.

Window = ``since`` .. ``until``, both days included. "At the window's start" = before any move
dated ``since``. Moves are attributed to the group the person left (their role, its family, the
team and manager recorded on the move, see :mod:`engine.programme.history`).

Per group (contract definitions):

- ``headcount``: people in the group at the window's start (employed then, see history).
- ``moves_out``: moves in the window out of the group (to another role / family / team / manager).
- ``promotions``: moves in the window by group members to a more senior role (a higher ``level``,
  in any family); ``lateral_moves``: to a role at the same level. Step-downs are neither.
- ``promotion_rate`` = promotions ÷ headcount (null for an empty group).
- ``internal_fill_rate`` = openings closed in the window with source internal ÷ all closed in it
  (null when none closed); an opening belongs to its role, the role's family, its ``team`` and
  its ``hiring_manager_id``.
- ``median_months_in_role``: over the window's promotions, months from taking the role left to
  the promotion (moves whose spell start is unknown are left out).

Bottlenecks ("advancement deserts", always by role): roles of at least ``min_group_size`` people
at the start, below the top of their family, where the share of them who changed role by the end
is at most half the organisation's and that few is unlikely by chance at the organisation's rate
(Poisson, p < 0.05), and whose current holders' median months in role is at least the
organisation's median.

Talent-hoarding signal (by team or manager; for a family/role report, by manager): of the people in
a group at the start, how many changed role by the end (``moved``), against ``expected`` = the sum
over them of the share who moved among comparable people outside the group (same role; with fewer
than 5 such people, same family and level; then everyone outside the group). A group is flagged
when it has at least ``min_group_size`` people, moved ≤ half the expected, and moving that few by
chance at the comparable rate is unlikely: Poisson ``p_value``, adjusted for the number of groups
judged (Benjamini-Hochberg ``q_value`` < 0.10: with 30 teams, some would look low by luck alone).
Smaller groups are never flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from scipy.stats import poisson

from engine.errors import InvalidInput
from engine.programme.history import NO_DATE, Timeline, day_number
from engine.programme.results import Bottleneck, GroupStats, HoardingSignal, MobilityReport

__all__ = ["BY", "MIN_GROUP_SIZE", "mobility_report"]

BY = ("family", "role", "team", "manager")
MIN_GROUP_SIZE = 8
MIN_COMPARABLE = 5
MONTH_DAYS = 30.44
P_FLAG = 0.05  # advancement deserts: one test per role
Q_FLAG = 0.10  # hoarding: false-discovery rate over the groups judged


def _bincount(codes: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    ok = codes >= 0
    return np.bincount(codes[ok], weights=None if weights is None else weights[ok], minlength=n)[:n]


def _group_median(codes: np.ndarray, values: np.ndarray, n: int) -> list[float | None]:
    """Median of ``values`` per group code (None for an empty group), by one sort."""
    ok = codes >= 0
    codes, values = codes[ok], values[ok]
    order = np.lexsort((values, codes))
    codes, values = codes[order], values[order]
    starts = np.searchsorted(codes, np.arange(n), side="left")
    ends = np.searchsorted(codes, np.arange(n), side="right")
    out: list[float | None] = []
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        out.append(round(float(np.median(values[a:b])), 1) if b > a else None)
    return out


class _Grouping:
    """Group codes for one ``by``: at the window's start per person, and each move's from / to."""

    def __init__(self, tl: Timeline, by: str, start: int, opening_rows: Sequence[tuple]) -> None:
        self.by = by
        fam = tl.family_code
        role0 = tl.role_at(start)
        if by == "role":
            self.keys = [r.id for r in tl.roles]
            self.labels = [r.title for r in tl.roles]
            self.at_start, self.move_from, self.move_to = role0, tl.m_from, tl.m_to
            self.opening = np.asarray([tl.role_index.get(o[1], -1) for o in opening_rows], np.int64)
        elif by == "family":
            self.keys = self.labels = list(tl.families)
            self.at_start = np.where(role0 >= 0, fam[np.maximum(role0, 0)], -1)
            self.move_from = np.where(tl.m_from >= 0, fam[np.maximum(tl.m_from, 0)], -1)
            self.move_to = np.where(tl.m_to >= 0, fam[np.maximum(tl.m_to, 0)], -1)
            codes = np.asarray([tl.role_index.get(o[1], -1) for o in opening_rows], np.int64)
            self.opening = np.where(codes >= 0, fam[np.maximum(codes, 0)], -1)
        elif by in ("team", "manager"):
            space = tl.teams if by == "team" else tl.managers
            per_move = tl.m_from_team if by == "team" else tl.m_from_manager
            current = tl.team if by == "team" else tl.manager
            self.keys = list(space.keys)
            self.labels = self.keys if by == "team" else [tl.names.get(k, k) for k in self.keys]
            self.at_start = tl.team_at(start) if by == "team" else tl.manager_at(start)
            self.move_to = tl.after(per_move, current)
            # No team/manager recorded on a move: assume the one the person has after it.
            self.move_from = np.where(per_move >= 0, per_move, self.move_to)
            col = 6 if by == "team" else 5
            self.opening = np.asarray([space.index.get(o[col], -1) if o[col] else -1 for o in opening_rows], np.int64)
        else:
            raise InvalidInput(f"by must be one of {', '.join(BY)}, got {by!r}")

    @property
    def n(self) -> int:
        return len(self.keys)


def _rate(num: float, den: float) -> float | None:
    return round(num / den, 4) if den > 0 else None


def mobility_report(
    tl: Timeline,
    opening_rows: Sequence[tuple],
    *,
    since: dt.date,
    until: dt.date,
    by: str = "family",
    min_group_size: int = MIN_GROUP_SIZE,
) -> MobilityReport:
    if until < since:
        raise InvalidInput(f"until ({until}) is before since ({since})")
    if by not in BY:
        raise InvalidInput(f"by must be one of {', '.join(BY)}, got {by!r}")
    if min_group_size < 1:
        raise InvalidInput("min_group_size must be at least 1")
    s, u = day_number(since), day_number(until)
    g = _Grouping(tl, by, s, opening_rows)
    employed = tl.employed_at(s)

    # Moves in the window, typed by level.
    win = (tl.m_day >= s) & (tl.m_day <= u) & (tl.m_from >= 0) & (tl.m_to >= 0)
    lv_from = tl.level[np.maximum(tl.m_from, 0)]
    lv_to = tl.level[np.maximum(tl.m_to, 0)]
    promo, lateral = win & (lv_to > lv_from), win & (lv_to == lv_from)
    start = tl.spell_start()
    months = np.where(start != NO_DATE, (tl.m_day - start) / MONTH_DAYS, np.nan)
    timed = promo & ~np.isnan(months)

    # Openings closed in the window.
    closed = np.asarray([o[3] is not None and since <= o[3] <= until for o in opening_rows], bool)
    internal = closed & np.asarray([o[4] == "internal" for o in opening_rows], bool)

    n = g.n
    at_start = np.where(employed, g.at_start, -1)
    head = _bincount(at_start, n)
    out = _bincount(np.where(win & (g.move_to != g.move_from), g.move_from, -1), n)
    promos = _bincount(np.where(promo, g.move_from, -1), n)
    laterals = _bincount(np.where(lateral, g.move_from, -1), n)
    med = _group_median(np.where(timed, g.move_from, -1), np.nan_to_num(months), n)
    o_closed = _bincount(np.where(closed, g.opening, -1), n)
    o_internal = _bincount(np.where(internal, g.opening, -1), n)

    groups = [
        GroupStats(
            key=g.keys[i],
            label=g.labels[i],
            headcount=int(head[i]),
            moves_out=int(out[i]),
            promotions=int(promos[i]),
            lateral_moves=int(laterals[i]),
            promotion_rate=_rate(promos[i], head[i]),
            internal_fill_rate=_rate(o_internal[i], o_closed[i]),
            median_months_in_role=med[i],
            openings_closed=int(o_closed[i]),
            openings_internal=int(o_internal[i]),
        )
        for i in range(n)
        if head[i] or out[i] or promos[i] or laterals[i] or o_closed[i]
    ]
    groups.sort(key=lambda x: (-x.headcount, x.label))
    all_timed = months[timed]
    totals = GroupStats(
        key="all",
        label="whole organisation",
        headcount=int(employed.sum()),
        moves_out=int(win.sum()),
        promotions=int(promo.sum()),
        lateral_moves=int(lateral.sum()),
        promotion_rate=_rate(promo.sum(), employed.sum()),
        internal_fill_rate=_rate(internal.sum(), closed.sum()),
        median_months_in_role=round(float(np.median(all_timed)), 1) if len(all_timed) else None,
        openings_closed=int(closed.sum()),
        openings_internal=int(internal.sum()),
    )
    moved = _moved(tl, s, u)
    hoarding_by = by if by in ("team", "manager") else "manager"
    hg = g if hoarding_by == by else _Grouping(tl, hoarding_by, s, opening_rows)
    signals, small = _hoarding(tl, hg, employed, moved, s, min_group_size)
    return MobilityReport(
        since=since,
        until=until,
        by=by,
        totals=totals,
        groups=groups,
        bottlenecks=_bottlenecks(tl, employed, moved, s, u, min_group_size),
        hoarding_by=hoarding_by,
        hoarding=signals,
        min_group_size=min_group_size,
        small_groups=small,
    )


def _moved(tl: Timeline, s: int, u: int) -> np.ndarray:
    """Per person: changed role between the window's start and its end."""
    idx, has = tl._next_move(s)
    return has & (tl.m_day[idx] <= u) if len(tl.m_day) else has


def _bottlenecks(
    tl: Timeline, employed: np.ndarray, moved: np.ndarray, s: int, u: int, min_size: int
) -> list[Bottleneck]:
    R = len(tl.roles)
    role0 = np.where(employed, tl.role_at(s), -1)
    head = _bincount(role0, R)
    went = _bincount(role0, R, moved.astype(float))
    if head.sum() == 0:
        return []
    org_rate = went.sum() / head.sum()
    begun = tl.current_spell_start()
    tenure = np.where((begun != NO_DATE) & (begun <= u), (u - begun) / MONTH_DAYS, np.nan)
    known = ~np.isnan(tenure) & (tl.role >= 0)
    med = _group_median(np.where(known, tl.role, -1), np.nan_to_num(tenure), R)
    org_med = float(np.median(tenure[known])) if known.any() else 0.0
    top = {}
    for r in tl.roles:
        top[r.family] = max(top.get(r.family, r.level), r.level)
    out = []
    for i, r in enumerate(tl.roles):
        rate = went[i] / head[i] if head[i] else 0.0
        m = med[i]
        if head[i] < min_size or r.level >= top[r.family] or rate > 0.5 * org_rate or m is None or m < org_med:
            continue
        if poisson.cdf(went[i], head[i] * org_rate) >= P_FLAG:  # that few could be luck
            continue
        out.append(
            Bottleneck(
                role_id=r.id,
                title=r.title,
                family=r.family,
                level=r.level,
                headcount=int(head[i]),
                moved=int(went[i]),
                move_out_rate=round(rate, 4),
                median_months_in_role=m,
                why=(
                    f"{int(head[i])} people at the start, {int(went[i])} changed role ({rate:.0%} against "
                    f"{org_rate:.0%} across the organisation); holders have been in the role a median "
                    f"{m:g} months (organisation {org_med:.0f})."
                ),
            )
        )
    out.sort(key=lambda b: (b.move_out_rate, -(b.median_months_in_role or 0), b.role_id))
    return out


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values)."""
    n = len(p)
    if not n:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def _outside_rate(key: np.ndarray, grp: np.ndarray, moved: np.ndarray, n_groups: int) -> np.ndarray:
    """Per person: the share who moved among people with the same ``key`` outside the person's group
    (NaN with fewer than MIN_COMPARABLE such people)."""
    kmax = int(key.max()) + 1 if len(key) else 1
    head_k = np.bincount(key, minlength=kmax)
    moved_k = np.bincount(key, weights=moved, minlength=kmax)
    pairs, inv = np.unique(key * n_groups + grp, return_inverse=True)
    head_p = np.bincount(inv, minlength=len(pairs))
    moved_p = np.bincount(inv, weights=moved, minlength=len(pairs))
    out_head = head_k[key] - head_p[inv]
    out_moved = moved_k[key] - moved_p[inv]
    return np.where(out_head >= MIN_COMPARABLE, out_moved / np.maximum(out_head, 1), np.nan)


def _hoarding(
    tl: Timeline, g: _Grouping, employed: np.ndarray, moved_all: np.ndarray, s: int, min_size: int
) -> tuple[list[HoardingSignal], int]:
    role0 = tl.role_at(s)
    cohort = employed & (g.at_start >= 0) & (role0 >= 0)
    if not cohort.any():
        return [], 0
    grp, r0 = g.at_start[cohort], role0[cohort]
    moved = moved_all[cohort].astype(float)
    n = g.n
    rate = _outside_rate(r0, grp, moved, n)
    fam_level = tl.family_code[r0] * 100 + tl.level[r0]
    rate = np.where(np.isnan(rate), _outside_rate(fam_level, grp, moved, n), rate)
    head_g = np.bincount(grp, minlength=n)
    moved_g = np.bincount(grp, weights=moved, minlength=n)
    total_head, total_moved = len(grp), moved.sum()
    org = (total_moved - moved_g[grp]) / np.maximum(total_head - head_g[grp], 1)
    rate = np.where(np.isnan(rate), org, rate)
    expected = np.bincount(grp, weights=rate, minlength=n)
    signals = []
    small = int(((head_g > 0) & (head_g < min_size)).sum())
    judged = np.flatnonzero(head_g >= min_size)
    pv = np.where(expected[judged] > 0, poisson.cdf(moved_g[judged], expected[judged]), 1.0)
    qv = _bh(pv)
    for i, p, q in zip(judged.tolist(), pv.tolist(), qv.tolist(), strict=True):
        e, m, h = float(expected[i]), int(moved_g[i]), int(head_g[i])
        flag = m <= 0.5 * e and q < Q_FLAG
        why = (
            f"{h} {'people on the team' if g.by == 'team' else 'direct reports'} at the start, {m} changed "
            f"role by the end; {e:.1f} would have at the rate of comparable roles elsewhere "
            f"(p = {p:.3f}, q = {q:.3f} over {len(judged)} groups){': far below' if flag else ''}."
        )
        signals.append(
            HoardingSignal(
                key=g.keys[i],
                label=g.labels[i],
                headcount=h,
                moved=m,
                expected=round(e, 2),
                ratio=round(m / e, 3) if e > 0 else None,
                p_value=round(p, 4),
                q_value=round(q, 4),
                flag=flag,
                why=why,
            )
        )
    signals.sort(key=lambda x: (not x.flag, x.ratio if x.ratio is not None else 9.0, x.label))
    flagged = [x for x in signals if x.flag]
    return flagged + [x for x in signals if not x.flag][:10], small
