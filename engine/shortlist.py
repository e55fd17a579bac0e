"""Internal candidate shortlist for a role: FAISS recall over employees, then exact reranking.

Recall = the employees whose vectors are nearest the role's (FAISS) plus the best by skill-profile
fit (one sparse mat-vec over everyone). Reranking uses coverage, estimated gap hours, similarity and level eligibility;
readiness comes from each finalist's learning plan. Incumbents are never listed. Within a readiness
bucket, people for whom the role is a step down come after those for whom it is a natural move
(promotion, lateral, other track, other family): a recruiter filling a role looks first at people
who would grow into it. Protected attributes are not part of the state scoring reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.catalog import DEFAULT_HOURS_PER_LEVEL
from engine.errors import InvalidInput
from engine.explain import why_candidate
from engine.learning import to_gaps
from engine.recommender import assess
from engine.results import READINESS_ORDER, Candidate, Candidates
from engine.roles_graph import move_kind
from engine.scoring import COST_SCALE_HOURS, READY_NOW_COVERAGE, READY_NOW_HOURS

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = ["RECALL", "shortlist"]

RECALL = 400
MAX_LEVEL_JUMP = 2  # people more than two levels below the role are not eligible
FINALIST_MARGIN = 10  # exact plans for `limit` + this many, so estimate errors rarely change the list


def level_fit(current: np.ndarray, target: int) -> np.ndarray:
    d = target - current
    return np.select([d == 1, d == 0, d == 2, d < 0], [1.0, 0.9, 0.5, 0.4], default=0.0)


def shortlist(st: State, role_id: str, *, limit: int = 20, min_readiness: str | None = None) -> Candidates:
    if min_readiness is not None and min_readiness not in READINESS_ORDER:
        raise InvalidInput(f"min_readiness must be one of {', '.join(READINESS_ORDER)}, got {min_readiness!r}")
    cat, people = st.catalog, st.people
    r = cat.role_index[role_id]
    target_level = int(cat.level[r])
    n = len(people)
    if n == 0:
        return Candidates(role_id=role_id, items=[])
    cols, need, wts = cat.requirement_rows(r)

    role_idx = people.role_idx
    cur_level = np.where(role_idx >= 0, cat.level[np.maximum(role_idx, 0)], target_level - 1)
    eligible = people.alive & (role_idx != r) & (target_level - cur_level <= MAX_LEVEL_JUMP)

    # Recall: the nearest employee vectors (FAISS) plus the best skill-profile fit (one sparse
    # mat-vec over everyone: Σ level x need x weight over the role's skills).
    recall: set[int] = set()
    k = min(RECALL, len(st.employees_ix))
    if k:
        _, ids = st.employees_ix.search(st.role_vecs[r][None, :], k)
        recall.update(people.index[e] for e in ids[0] if e in people.index)
    fit = np.where(eligible, people.profile_scores(cat.profile_matrix[r]), -1.0)
    recall.update((np.argpartition(-fit, RECALL)[:RECALL] if n > RECALL else np.arange(n)).tolist())
    rows = np.asarray(sorted(i for i in recall if eligible[i]), np.int64)
    if not len(rows):
        return Candidates(role_id=role_id, items=[])

    # Exact coverage and estimated gap hours for the pool, then the blended score.
    H = people.have_rows(rows)[:, cols]
    wsum = float(wts.sum())
    cov = (np.minimum(H, need) / need * wts).sum(axis=1) / wsum if wsum > 0 else np.ones(len(rows))
    gap = np.maximum(0.0, need - H)
    item_h = cat.best_hours[cols, need.astype(np.int64)]
    hours = np.where(gap > 0, np.minimum(item_h, DEFAULT_HOURS_PER_LEVEL * gap), 0.0).sum(axis=1)
    sims = np.clip(st.employees_ix.vectors([people.ids[i] for i in rows]) @ st.role_vecs[r], 0.0, 1.0)
    cost = 1.0 - np.minimum(1.0, hours / COST_SCALE_HOURS)
    score = 0.45 * cov + 0.2 * cost + 0.2 * sims + 0.15 * level_fit(cur_level[rows], target_level)

    # Order by estimated readiness, then score; exact plans are computed only for the finalists.
    est_months = hours / (st.hours_per_week * 4.33)
    est_ready = np.select(
        [(hours <= READY_NOW_HOURS) & (cov >= READY_NOW_COVERAGE), est_months <= 6, est_months <= 18],
        [0, 1, 2],
        default=3,
    )
    # Same family and a lower level: the role would be a step down for them (see graph.classify_move).
    cur_role = role_idx[rows]
    same_family = cat.family_code[np.maximum(cur_role, 0)] == cat.family_code[r]
    step_down = (cur_role >= 0) & (cur_level[rows] > target_level) & same_family
    order = np.lexsort((-score, step_down, est_ready))
    finalists = rows[order][: limit + FINALIST_MARGIN]
    score_of = dict(zip(rows.tolist(), score.tolist(), strict=True))
    have = people.have_rows(finalists)
    out = []
    floor = READINESS_ORDER.index(min_readiness) if min_readiness else len(READINESS_ORDER)
    for row, h in zip(finalists, have, strict=True):
        a = assess(st, h, r)
        if READINESS_ORDER.index(a.readiness) > floor:  # type: ignore[arg-type]
            continue
        cr = int(role_idx[row])
        title = cat.roles[cr].title if cr >= 0 else None
        move = move_kind(cat.roles[cr], cat.roles[r]) if cr >= 0 else None
        out.append(
            Candidate(
                employee_id=people.ids[row],
                display_name=people.names[row],
                current_role_id=cat.role_ids[cr] if cr >= 0 else None,
                move=move,  # type: ignore[arg-type]
                score=round(score_of[int(row)], 4),
                readiness=a.readiness,
                coverage=a.coverage,
                gap_hours=a.plan_hours,  # type: ignore[arg-type]
                est_months=a.est_months,
                matched_skills=a.matched,
                gaps=to_gaps(cat, a.gaps, a.plan),  # type: ignore[arg-type]
                why=why_candidate(people.names[row], title, a, cat, move),
            )
        )
    # Recruiters read top-down: readiness first, then natural moves before step-downs, then score.
    out.sort(key=lambda c: (READINESS_ORDER.index(c.readiness), c.move == "step_down", -c.score, c.employee_id))
    return Candidates(role_id=role_id, items=out[:limit])
