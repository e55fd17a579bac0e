"""Next-role recommendations for an employee or an ad-hoc profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.explain import why_role
from engine.learning import GapSpec, PlanResult, months, plan_learning, to_gaps, to_plan
from engine.profile import Profile
from engine.results import LearningPlan, MatchedSkill, Recommendation, Recommendations
from engine.roles_graph import move_kind
from engine.scoring import ScoreWeights, readiness, score_roles
from engine.vectors import compose_vector

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = [
    "Assessment",
    "assess",
    "learning_for_employee",
    "recommend_for_employee",
    "recommend_for_profile",
]

WEIGHTS = ScoreWeights()


@dataclass
class Assessment:
    """One person against one role: the exact numbers shown to users."""

    gaps: list[GapSpec]
    matched: list[MatchedSkill]
    coverage: float
    plan_hours: float
    est_months: float
    readiness: str
    plan: PlanResult


def assess(st: State, have: np.ndarray, role: int) -> Assessment:
    cat = st.catalog
    cols, need, wts = cat.requirement_rows(role)
    h = have[cols]
    short = h < need
    gaps = [
        GapSpec(c, int(hv), int(nd), w)
        for c, hv, nd, w in zip(
            cols[short].tolist(), h[short].tolist(), need[short].tolist(), wts[short].tolist(), strict=True
        )
    ]
    gaps.sort(key=lambda g: (-g.weight * (g.need - g.have), cat.skill_ids[g.skill]))
    some = h > 0
    matched = [
        MatchedSkill.model_construct(skill_id=cat.skill_ids[c], name=cat.skill_name(c), have=int(hv), need=int(nd))
        for c, hv, nd in zip(cols[some].tolist(), h[some].tolist(), need[some].tolist(), strict=True)
    ]
    matched.sort(key=lambda m: (-(min(m.have, m.need) / m.need), m.skill_id))
    wsum = float(wts.sum())
    cov = float((wts * np.minimum(h, need) / need).sum() / wsum) if wsum > 0 else 1.0
    from engine.relevance import item_relevance

    plan = plan_learning(cat, gaps, relevance=item_relevance(st, role))
    est = months(plan.total_hours, st.hours_per_week)
    return Assessment(gaps, matched, round(cov, 4), plan.total_hours, est, readiness(plan.total_hours, cov, est), plan)


def _direction_mask(st: State, current: int | None, direction: str) -> np.ndarray:
    cat = st.catalog
    mask = np.ones(cat.n_roles, bool)
    if current is None:
        return mask
    mask[current] = False
    lv = cat.level
    cur = lv[current]
    if direction == "up":
        tc = cat.track_code
        other_track = (tc >= 0) & (tc[current] >= 0) & (tc != tc[current])
        mask &= (lv > cur) | (other_track & (lv >= cur))
    elif direction == "lateral":
        mask &= lv == cur
    return mask


def _recommend(
    st: State,
    have: np.ndarray,
    vec: np.ndarray,
    current: int | None,
    *,
    employee_id: str | None,
    interests: str,
    families: list[str],
    limit: int,
    direction: str,
) -> Recommendations:
    cat = st.catalog
    ladder = None
    if current is not None:
        ladder = np.asarray(
            [cat.role_index[n] for n in cat.roles[current].next_role_ids if n in cat.role_index], np.int64
        )
    iv = st.interest_vecs.get(interests) if interests else None
    sc = score_roles(
        cat,
        have,
        vec,
        st.role_vecs,
        current=current,
        role_terms=st.role_terms,
        ladder_next=ladder,
        interest_vec=iv,
        preferred_families=families,
        weights=WEIGHTS,
    )
    mask = _direction_mask(st, current, direction)
    cand = np.flatnonzero(mask)
    if not len(cand):
        return Recommendations(employee_id=employee_id, items=[])
    order = cand[np.argsort(-sc.score[cand], kind="stable")][:limit]
    items = []
    for r in order:
        r = int(r)
        a = assess(st, have, r)
        role = cat.roles[r]
        if current is not None:
            src = cat.roles[current]
            move = move_kind(src, role)
            path = st.graph.path(current, r) or [src.id, role.id]
        else:
            move, path = "lateral", [role.id]
        parts = {k: round(float(v[r]), 4) for k, v in sc.parts.items()}
        items.append(
            Recommendation(
                role_id=role.id,
                title=role.title,
                family=role.family,
                level=role.level,
                track=role.track,
                move=move,
                score=round(float(sc.score[r]), 4),
                readiness=a.readiness,
                coverage=a.coverage,  # type: ignore[arg-type]
                gap_hours=a.plan_hours,
                est_months=a.est_months,
                matched_skills=a.matched,
                gaps=to_gaps(cat, a.gaps, a.plan),
                route=path,  # type: ignore[arg-type]
                why=why_role(role, move, a, parts, cat),
                parts=parts,
            )
        )
    return Recommendations(employee_id=employee_id, items=items)


def recommend_for_employee(st: State, employee_id: str, *, limit: int, direction: str) -> Recommendations:
    people = st.people
    row = people.index[employee_id]
    have = people.have_rows([row])[0]
    vec = st.employees_ix.vectors([employee_id])[0]
    cur = int(people.role_idx[row])
    return _recommend(
        st,
        have,
        vec,
        cur if cur >= 0 else None,
        employee_id=employee_id,
        interests=people.interests[row],
        families=people.families[row],
        limit=limit,
        direction=direction,
    )


def recommend_for_profile(st: State, profile: Profile, encoder: Any, *, limit: int, direction: str) -> Recommendations:
    from engine.resolve import resolve_skill_ids

    cat = st.catalog
    have = np.zeros(cat.n_skills, np.float32)
    ids = resolve_skill_ids(st, encoder, [s.skill for s in profile.skills])
    for s, sid in zip(profile.skills, ids, strict=True):
        have[cat.skill_index[sid]] = max(have[cat.skill_index[sid]], s.level)
    cur = cat.role_index[profile.role_id] if profile.role_id else None
    iv = None
    if profile.interests:
        iv = st.interest_vecs.get(profile.interests)
        if iv is None:
            iv = encoder.encode([profile.interests])[0]
            st.interest_vecs[profile.interests] = iv
    vec = compose_vector(st.role_vecs[cur] if cur is not None else None, have, st.skill_vecs, iv)
    return _recommend(
        st, have, vec, cur, employee_id=None, interests=profile.interests, families=[], limit=limit, direction=direction
    )


def learning_for_employee(st: State, employee_id: str, role_id: str) -> LearningPlan:
    people, cat = st.people, st.catalog
    have = people.have_rows([people.index[employee_id]])[0]
    a = assess(st, have, cat.role_index[role_id])
    return to_plan(cat, role_id, a.gaps, a.plan, st.hours_per_week)
