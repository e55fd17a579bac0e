"""Mentors for a person and a target role: colleagues who hold the person's gap skills.

Eligible: current employees with mentoring capacity (``mentor_capacity`` > 0) and a free place
(mentorships running as of the date count against it), who hold at least one of the person's gap
skills for the role at or above the level the role needs; never the person, never their direct
manager, never someone already mentoring them. Ranked by

    score = 0.60 x gap cover + 0.20 x other team + 0.15 x role fit + 0.05 x free places

gap cover = the weighted share of the person's gap (weight x missing levels) the mentor can
teach; other team = 1 for another team than the person's (0.5 when either team is unknown: a
mentor from elsewhere widens the network and keeps coaching apart from line management); role
fit = 1 for a holder of the target role, 0.6 for someone at or above its level in its family;
free places = the share of their capacity still open. One vectorised pass over everyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.programme.org import OrgArrays, have_columns
from engine.programme.results import MentorMatch, Mentors, MentorSkill

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = ["WEIGHTS", "find_mentors", "gap_of"]

WEIGHTS = {"cover": 0.60, "other_team": 0.20, "role_fit": 0.15, "free": 0.05}


def gap_of(st: State, row: int, r: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(skill cols, have, need, weight) of the requirements of role ``r`` that employee ``row`` falls short of."""
    cols, need, wts = st.catalog.requirement_rows(r)
    have = st.people.have_rows([row])[0][cols]
    short = have < need
    return cols[short], have[short], need[short], wts[short]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def find_mentors(st: State, org: OrgArrays, employee_id: str, role_id: str, *, limit: int = 5) -> Mentors:
    cat, people = st.catalog, st.people
    row, r = people.index[employee_id], cat.role_index[role_id]
    cols, have, need, wts = gap_of(st, row, r)
    if not len(cols):
        return Mentors(employee_id=employee_id, role_id=role_id, gap_skills=[], items=[])
    H = have_columns(people, cols)  # (N, k)
    holds = need[None, :] <= H
    gap_w = wts * (need - have)
    gap_w = np.where(gap_w > 0, gap_w, 1e-6)
    cover = (holds * gap_w).sum(axis=1) / gap_w.sum()

    ok = people.alive & (org.capacity > 0) & (org.active < org.capacity) & holds.any(axis=1)
    ok[row] = False
    if org.manager_row[row] >= 0:
        ok[org.manager_row[row]] = False
    for m in org.mentors_of.get(row, ()):
        ok[m] = False
    mine = org.team_code[row]
    other = np.where((mine < 0) | (org.team_code < 0), 0.5, (org.team_code != mine).astype(float))
    ridx = people.role_idx
    safe = np.maximum(ridx, 0)
    same_fam = (cat.family_code[safe] == cat.family_code[r]) & (cat.level[safe] >= cat.level[r]) & (ridx >= 0)
    role_fit = np.where(ridx == r, 1.0, np.where(same_fam, 0.6, 0.0))
    free = np.where(org.capacity > 0, (org.capacity - org.active) / np.maximum(org.capacity, 1), 0.0)
    w = WEIGHTS
    score = w["cover"] * cover + w["other_team"] * other + w["role_fit"] * role_fit + w["free"] * free

    rows = np.flatnonzero(ok)
    best = rows[np.argsort(-score[rows], kind="stable")[: 4 * limit]].tolist()
    best.sort(key=lambda i: (-round(float(score[i]), 6), people.ids[i]))  # ties: by id, reproducibly
    items = []
    for m in best[:limit]:
        held = [
            MentorSkill(skill_id=cat.skill_ids[c], name=cat.skill_name(c), level=int(H[m, k]), need=int(need[k]))
            for k, c in enumerate(cols.tolist())
            if holds[m, k]
        ]
        parts = {
            "cover": float(cover[m]),
            "other_team": float(other[m]),
            "role_fit": float(role_fit[m]),
            "free": float(free[m]),
        }
        items.append(
            MentorMatch(
                employee_id=people.ids[m],
                display_name=people.names[m],
                current_role_id=cat.role_ids[ridx[m]] if ridx[m] >= 0 else None,
                team=org.team_of(m),
                skills=held,
                capacity=int(org.capacity[m]),
                active_mentees=int(org.active[m]),
                score=round(float(score[m]), 4),
                why=_why(st, org, row, m, held, len(cols), role_fit[m], r),
                parts={k: round(v, 4) for k, v in parts.items()},
            )
        )
    return Mentors(employee_id=employee_id, role_id=role_id, gap_skills=[cat.skill_ids[c] for c in cols], items=items)


def _why(st: State, org: OrgArrays, row: int, m: int, held: list[MentorSkill], n_gaps: int, fit: float, r: int) -> str:
    cat = st.catalog
    skills = ", ".join(f"{s.name} {s.level} (you need {s.need})" for s in held[:3])
    more = f" and {len(held) - 3} more" if len(held) > 3 else ""
    parts = [f"Holds {skills}{more}: {len(held)} of your {_plural(n_gaps, 'gap skill')}"]
    if fit >= 1.0:
        parts.append(f"works as {cat.roles[r].title} today")
    elif fit > 0:
        parts.append(f"a senior {cat.roles[r].family.replace('-', ' ')} colleague")
    mine, theirs = org.team_of(row), org.team_of(m)
    if mine and theirs and mine != theirs:
        parts.append(f"from another team ({theirs})")
    elif mine and theirs:
        parts.append("from your own team")
    free = int(org.capacity[m] - org.active[m])
    parts.append(f"{_plural(free, 'mentoring place')} free of {int(org.capacity[m])}")
    return "; ".join(parts) + "."
