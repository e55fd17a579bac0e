"""Internal candidate shortlist for a role: the natural pool first, then exact reranking.

Who is eligible: alive, not an incumbent, at most MAX_LEVEL_JUMP levels below the role, and not
above it unless step-downs are asked for (``include_step_down`` or ``moves`` naming step_down).

Order (README "How answers are made"):
1. the natural pool — people in a feeder role (the rung below on a ladder, or a role people have
   actually moved from into this one), same-level peers in the family, and anyone who already
   covers NATURAL_COVERAGE of the role — before everyone else eligible, and step-downs last;
2. within each group, readiness (coverage, gap hours and time in role, engine.scoring.readiness);
3. then the blended score (coverage, cost, similarity, level fit).

Recall = the employees whose vectors are nearest the role's (FAISS), the best by skill-profile
fit (one sparse mat-vec over everyone) and everyone in a feeder role. The order is computed from
vectorised estimates over that pool, then exact learning plans are made for a fixed window of
the first WINDOW (+ FINALIST_MARGIN) rows and those are sorted exactly. The window depends only on
how far the caller pages, never on ``limit``, so the first N of ``limit=50`` equal ``limit=N``,
and cursor pages within one window tile the list without gaps or repeats.
Protected attributes are not part of the state scoring reads.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from engine.catalog import DEFAULT_HOURS_PER_LEVEL, Catalog
from engine.errors import InvalidInput
from engine.explain import why_candidate
from engine.learning import to_gaps
from engine.recommender import Assessment, assess
from engine.results import READINESS_ORDER, Candidate, Candidates
from engine.roles_graph import move_kind, role_changes
from engine.scoring import COST_SCALE_HOURS, readiness_codes

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = ["MAX_LEVEL_JUMP", "MOVES", "RECALL", "eligible_mask", "feeder_mask", "shortlist"]

RECALL = 400
MAX_LEVEL_JUMP = 2  # people more than two levels below the role are not eligible
NATURAL_COVERAGE = 0.75  # already covering this much of the role makes someone a natural candidate
WINDOW = 50  # exact plans are made for windows of this many rows (plus the margin)
FINALIST_MARGIN = 10  # so estimate errors rarely push someone out of the window
MOVES = ("promotion", "lateral", "cross_family", "other_track", "step_down")
_MOVE_CODE = {m: i for i, m in enumerate(MOVES)}


def level_fit(current: np.ndarray, target: int) -> np.ndarray:
    d = target - current
    return np.select([d == 1, d == 0, d == 2, d < 0], [1.0, 0.9, 0.5, 0.4], default=0.0)


def feeder_mask(cat: Catalog, r: int) -> np.ndarray:
    """(R,) roles that feed role ``r``: its ladder predecessors and roles people moved from into it."""
    cache = cat.__dict__.setdefault("_feeders", {})
    hit = cache.get(r)
    if hit is None:
        hit = np.zeros(cat.n_roles, bool)
        target = cat.role_ids[r]
        for i, role in enumerate(cat.roles):
            if target in role.next_role_ids:
                hit[i] = True
        for (a, b), n in cat.transition_counts.items():
            if b == target and n > 0 and a in cat.role_index:
                hit[cat.role_index[a]] = True
        cache[r] = hit
    return hit  # type: ignore[no-any-return]


def _levels(st: State, target_level: int) -> np.ndarray:
    cat, role_idx = st.catalog, st.people.role_idx
    # People without a role count as one level below (as in the audit pool and the roster ledger).
    return np.where(role_idx >= 0, cat.level[np.maximum(role_idx, 0)], target_level - 1)


def eligible_mask(st: State, r: int, *, include_step_down: bool = False) -> np.ndarray:
    """(N,) who the shortlist may rank for role ``r`` (the audit pool reads the same rule)."""
    target_level = int(st.catalog.level[r])
    cur = _levels(st, target_level)
    ok = st.people.alive & (st.people.role_idx != r) & (target_level - cur <= MAX_LEVEL_JUMP)
    if not include_step_down:
        ok &= cur <= target_level
    return ok  # type: ignore[no-any-return]


def move_codes(cat: Catalog, cur_role: np.ndarray, r: int) -> np.ndarray:
    """Move kind (index into MOVES) of role ``r`` for holders of ``cur_role``; -1 without a role."""
    c = np.maximum(cur_role, 0)
    lv, tl = cat.level[c], cat.level[r]
    tc = cat.track_code
    other_track = (tc[c] >= 0) & (tc[r] >= 0) & (tc[c] != tc[r])
    code = np.select(
        [lv < tl, lv > tl, cat.family_code[c] != cat.family_code[r], other_track],
        [_MOVE_CODE["promotion"], _MOVE_CODE["step_down"], _MOVE_CODE["cross_family"], _MOVE_CODE["other_track"]],
        default=_MOVE_CODE["lateral"],
    )
    return np.where(cur_role >= 0, code, -1)


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("o") or not raw[1:].isdigit():
            raise ValueError(raw)
        return int(raw[1:])
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise InvalidInput(f"invalid cursor {cursor!r}") from None


def _check_moves(moves: Sequence[str] | None) -> set[str] | None:
    if moves is None:
        return None
    wanted = {m.strip() for m in moves if m and m.strip()}
    bad = sorted(wanted - set(MOVES))
    if bad:
        raise InvalidInput(f"moves must be among {', '.join(MOVES)}, got {', '.join(bad)}")
    return wanted or None


def shortlist(
    st: State,
    role_id: str,
    *,
    limit: int = 20,
    min_readiness: str | None = None,
    include_step_down: bool = False,
    moves: Sequence[str] | None = None,
    cursor: str | None = None,
) -> Candidates:
    if min_readiness is not None and min_readiness not in READINESS_ORDER:
        raise InvalidInput(f"min_readiness must be one of {', '.join(READINESS_ORDER)}, got {min_readiness!r}")
    wanted = _check_moves(moves)
    include_step_down = include_step_down or (wanted is not None and "step_down" in wanted)
    offset = decode_cursor(cursor)
    cat, people = st.catalog, st.people
    r = cat.role_index[role_id]
    target_level = int(cat.level[r])
    n = len(people)
    if n == 0:
        return Candidates(role_id=role_id, items=[])
    cols, need, wts = cat.requirement_rows(r)

    role_idx = people.role_idx
    cur_level = _levels(st, target_level)
    eligible = eligible_mask(st, r, include_step_down=include_step_down)
    codes_all = move_codes(cat, role_idx, r)
    if wanted is not None:
        eligible &= np.isin(codes_all, [_MOVE_CODE[m] for m in wanted])
    feeders = feeder_mask(cat, r)
    in_feeder = (role_idx >= 0) & feeders[np.maximum(role_idx, 0)]

    # Recall: nearest employee vectors (FAISS), best skill-profile fit, everyone in a feeder role.
    recall: set[int] = set()
    k = min(RECALL, len(st.employees_ix))
    if k:
        _, ids = st.employees_ix.search(st.role_vecs[r][None, :], k)
        recall.update(people.index[e] for e in ids[0] if e in people.index)
    fit = np.where(eligible, people.profile_scores(cat.profile_matrix[r]), -1.0)
    recall.update((np.argpartition(-fit, RECALL)[:RECALL] if n > RECALL else np.arange(n)).tolist())
    recall.update(np.flatnonzero(in_feeder & eligible).tolist())
    rows = np.asarray(sorted(i for i in recall if eligible[i]), np.int64)
    if not len(rows):
        return Candidates(role_id=role_id, items=[])

    # Vectorised coverage, gap hours, time in role and the blended score over the pool.
    H = people.have_rows(rows)[:, cols]
    wsum = float(wts.sum())
    cov = (np.minimum(H, need) / need * wts).sum(axis=1) / wsum if wsum > 0 else np.ones(len(rows))
    gap = np.maximum(0.0, need - H)
    item_h = cat.best_hours[cols, need.astype(np.int64)]
    hours = np.where(gap > 0, np.minimum(item_h, DEFAULT_HOURS_PER_LEVEL * gap), 0.0).sum(axis=1)
    sims = np.clip(st.employees_ix.vectors([people.ids[i] for i in rows]) @ st.role_vecs[r], 0.0, 1.0)
    cost = 1.0 - np.minimum(1.0, hours / COST_SCALE_HOURS)
    score = 0.45 * cov + 0.2 * cost + 0.2 * sims + 0.15 * level_fit(cur_level[rows], target_level)
    has_role = role_idx[rows] >= 0
    served = people.months[rows].astype(np.float64)
    wait = np.where(has_role, cat.tenure.waits(cur_level[rows], target_level, served), 0.0)
    est_months = hours / (st.hours_per_week * 4.33) + wait
    est_ready = readiness_codes(hours, cov, est_months, wait)

    codes = codes_all[rows]
    same_family = has_role & (cat.family_code[np.maximum(role_idx[rows], 0)] == cat.family_code[r])
    peer = same_family & (cur_level[rows] == target_level)
    natural = in_feeder[rows] | peer | (cov >= NATURAL_COVERAGE)
    group = np.where(codes == _MOVE_CODE["step_down"], 2, np.where(natural, 0, 1))
    order = np.lexsort((-score, est_ready, group))

    floor = READINESS_ORDER.index(min_readiness) if min_readiness else len(READINESS_ORDER)
    window = WINDOW * (1 + (offset + limit - 1) // WINDOW) if limit > 0 else WINDOW
    done: list[tuple[tuple[int, int, float, str], int, Assessment]] = []
    start = 0
    # With a readiness floor the window grows until it holds enough people who pass it.
    while start < len(order):
        stop = min(len(order), window + FINALIST_MARGIN) if start == 0 else min(len(order), start + window)
        chunk = order[start:stop]
        for pos, h in zip(chunk.tolist(), people.have_rows(rows[chunk]), strict=True):
            a = assess(st, h, r, experience_months=float(wait[pos]))
            rank = READINESS_ORDER.index(a.readiness)  # type: ignore[arg-type]
            if rank > floor:
                continue
            done.append(((int(group[pos]), rank, -round(float(score[pos]), 4), people.ids[rows[pos]]), pos, a))
        start = stop
        if len(done) >= offset + limit or min_readiness is None:
            break
    done.sort(key=lambda kv: kv[0])
    # Only the page is turned into answers (gaps with learning, the sentence that says why).
    page = [_candidate(st, int(rows[pos]), r, a, bool(in_feeder[rows[pos]]), float(score[pos]))
            for _, pos, a in done[offset : offset + limit]]
    more = offset + limit < len(done) or (start < len(order) and len(done) >= offset + limit)
    return Candidates(role_id=role_id, items=page, next_cursor=encode_cursor(offset + limit) if more else None)


def _candidate(st: State, row: int, r: int, a: Assessment, feeder: bool, score: float) -> Candidate:
    cat, people = st.catalog, st.people
    cr = int(people.role_idx[row])
    title = cat.roles[cr].title if cr >= 0 else None
    move = move_kind(cat.roles[cr], cat.roles[r]) if cr >= 0 else None
    track_change, family_change = role_changes(cat.roles[cr], cat.roles[r]) if cr >= 0 else (False, False)
    return Candidate(
        employee_id=people.ids[row],
        display_name=people.names[row],
        current_role_id=cat.role_ids[cr] if cr >= 0 else None,
        move=move,  # type: ignore[arg-type]
        track_change=track_change,
        family_change=family_change,
        score=round(score, 4),
        readiness=a.readiness,  # type: ignore[arg-type]
        coverage=a.coverage,
        gap_hours=a.plan_hours,
        est_months=a.est_months,
        experience_months=a.experience_months,
        matched_skills=a.matched,
        gaps=to_gaps(cat, a.gaps, a.plan),  # type: ignore[arg-type]
        why=why_candidate(people.names[row], title, a, cat, move, feeder=feeder),
    )
