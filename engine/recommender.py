"""Next-role recommendations for an employee or an ad-hoc profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.explain import why_role
from engine.learning import GapSpec, PlanResult, months, plan_learning, to_gaps, to_plan
from engine.profile import Profile
from engine.results import LearningPlan, MatchedSkill, Recommendation, Recommendations
from engine.roles_graph import move_kind, role_changes
from engine.scoring import ScoreWeights, readiness, score_roles
from engine.timeline import step_months
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
    experience_months: float = 0.0


def assess(st: State, have: np.ndarray, role: int, *, experience_months: float = 0.0) -> Assessment:
    """``experience_months``: time in role the person still needs before this move (engine.tenure);
    it adds to the learning months in ``est_months`` and keeps ``ready_now`` for those who served it."""
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
    # Matched = at or above the need; a partial skill is a gap (with have and need), listed once.
    met = ~short
    matched = [
        MatchedSkill.model_construct(skill_id=cat.skill_ids[c], name=cat.skill_name(c), have=int(hv), need=int(nd))
        for c, hv, nd in zip(cols[met].tolist(), h[met].tolist(), need[met].tolist(), strict=True)
    ]
    matched.sort(key=lambda m: (-m.need, m.skill_id))
    wsum = float(wts.sum())
    cov = float((wts * np.minimum(h, need) / need).sum() / wsum) if wsum > 0 else 1.0
    from engine.relevance import item_relevance

    plan = plan_learning(cat, gaps, relevance=item_relevance(st, role))
    # One rule for combining the two clocks, shared with routes (engine.timeline).
    est = step_months(months(plan.total_hours, st.hours_per_week), experience_months)
    ready = readiness(plan.total_hours, cov, est, experience_months)
    return Assessment(gaps, matched, round(cov, 4), plan.total_hours, est, ready, plan, experience_months)


def _direction_mask(st: State, current: int | None, direction: str, include_step_down: bool) -> np.ndarray:
    """Roles a direction offers: ``up`` higher levels only, ``lateral`` the same level (other
    families and the other track included), ``any`` both; lower levels only when asked for."""
    cat = st.catalog
    mask = np.ones(cat.n_roles, bool)
    if current is None:
        return mask
    mask[current] = False
    lv = cat.level
    cur = lv[current]
    if direction == "up":
        mask &= lv > cur
    elif direction == "lateral":
        mask &= (lv == cur) | (include_step_down & (lv < cur))
    elif not include_step_down:
        mask &= lv >= cur
    return mask


# A move into another family that the person barely covers is listed after every other option:
# a coach would not put a role you cover under 10% of, in a field you have never worked in, near
# the top; one you cover under 5% of (nothing in common) is not offered at all. (Higher floors cost
# O*NET related-occupation recall: 0.3/0.1 gave 0.736, 0.15/0.05 0.740, none 0.746.)
CROSS_FAMILY_MIN_COVERAGE = 0.1
CROSS_FAMILY_OFFER_COVERAGE = 0.05


def _tiers(st: State, current: int | None, ladder: np.ndarray | None, coverage: np.ndarray) -> np.ndarray:
    """0 = the next rung of the person's ladder, 1 = other options, 2 = a far cross-family move."""
    cat = st.catalog
    tier = np.ones(cat.n_roles, np.int64)
    if current is None:
        return tier
    far = (cat.family_code != cat.family_code[current]) & (coverage < CROSS_FAMILY_MIN_COVERAGE)
    tier[far] = 2
    if ladder is not None and len(ladder):
        tier[ladder] = 0
    return tier


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
    include_step_down: bool = False,
    served: float = 0.0,
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
    mask = _direction_mask(st, current, direction, include_step_down)
    if current is not None:
        mask &= (cat.family_code == cat.family_code[current]) | (sc.parts["coverage"] >= CROSS_FAMILY_OFFER_COVERAGE)
    cand = np.flatnonzero(mask)
    if not len(cand):
        return Recommendations(employee_id=employee_id, items=[])
    # The next rung first, far cross-family moves last, by score within each tier.
    tier = _tiers(st, current, ladder, sc.parts["coverage"])
    order = cand[np.lexsort((-sc.score[cand], tier[cand]))][:limit]
    items = []
    for r in order:
        r = int(r)
        role = cat.roles[r]
        track_change = family_change = False
        if current is not None:
            src = cat.roles[current]
            move = move_kind(src, role)
            track_change, family_change = role_changes(src, role)
            path = st.graph.path(current, r) or [src.id, role.id]
            wait = cat.tenure.wait(src.level, role.level, served)
        else:
            move, path, wait = "lateral", [role.id], 0.0
        a = assess(st, have, r, experience_months=wait)
        parts = {k: round(float(v[r]), 4) for k, v in sc.parts.items()}
        items.append(
            Recommendation(
                role_id=role.id,
                title=role.title,
                family=role.family,
                level=role.level,
                track=role.track,
                move=move,
                track_change=track_change,
                family_change=family_change,
                score=round(float(sc.score[r]), 4),
                readiness=a.readiness,
                coverage=a.coverage,  # type: ignore[arg-type]
                gap_hours=a.plan_hours,
                est_months=a.est_months,
                experience_months=a.experience_months,
                matched_skills=a.matched,
                gaps=to_gaps(cat, a.gaps, a.plan),
                route=path,  # type: ignore[arg-type]
                why=why_role(role, move, a, parts, cat, track_change=track_change, family_change=family_change),
                parts=parts,
            )
        )
    return Recommendations(employee_id=employee_id, items=items)


def recommend_for_employee(
    st: State, employee_id: str, *, limit: int, direction: str, include_step_down: bool = False
) -> Recommendations:
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
        include_step_down=include_step_down,
        served=float(people.months[row]),
    )


def recommend_for_profile(
    st: State, profile: Profile, encoder: Any, *, limit: int, direction: str, include_step_down: bool = False
) -> Recommendations:
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
        st, have, vec, cur, employee_id=None, interests=profile.interests, families=[], limit=limit,
        direction=direction, include_step_down=include_step_down,
    )


def learning_for_employee(st: State, employee_id: str, role_id: str) -> LearningPlan:
    people, cat = st.people, st.catalog
    have = people.have_rows([people.index[employee_id]])[0]
    a = assess(st, have, cat.role_index[role_id])
    return to_plan(cat, role_id, a.gaps, a.plan, st.hours_per_week)
