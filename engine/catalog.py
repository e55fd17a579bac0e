"""The role/skill/learning catalog as arrays: what scoring reads on every request.

Roles x skills requirements become two sparse matrices (need level, weight) with the same pattern;
the learning catalog becomes a per-skill, per-level table of the cheapest single item.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from engine.models import LearningItem, Role, Skill, Transition
from engine.tenure import Tenure, learn_tenure

__all__ = ["DEFAULT_HOURS_PER_LEVEL", "Catalog", "build_catalog"]

# Hours to raise one proficiency level when no catalog item teaches the skill: roughly a short
# course plus practice per level (documented in the README).
DEFAULT_HOURS_PER_LEVEL = 20.0


@dataclass
class Catalog:
    skills: list[Skill]
    skill_ids: list[str]
    skill_index: dict[str, int]
    roles: list[Role]
    role_ids: list[str]
    role_index: dict[str, int]
    level: np.ndarray  # (R,) int
    family: list[str]
    family_code: np.ndarray  # (R,) int
    track: list[str | None]
    track_code: np.ndarray  # (R,) int: -1 none, else the index of the track name
    open_positions: np.ndarray  # (R,) int
    need: sp.csr_matrix  # (R, S) need levels
    weight: sp.csr_matrix  # (R, S) weights, same pattern as need
    items: list[LearningItem]
    item_index: dict[str, int]
    best_hours: np.ndarray  # (S, 6) cheapest single item reaching >= level; inf when none
    items_by_skill: list[list[tuple[int, int]]]  # skill -> [(item idx, to_level)]
    item_hours: list[float]
    item_hours_arr: np.ndarray  # (I,) hours
    teaches: sp.csc_matrix  # (I, S) level each item teaches a skill to
    transition_counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    prior: np.ndarray | None = None  # (R, R) row-normalised observed transitions (dense: roles are few)
    tenure: Tenure = field(default_factory=Tenure)  # months in role before a promotion, per level

    @property
    def profile_matrix(self) -> sp.csr_matrix:
        """Rows = unit-length need·weight profiles of roles (for cosine skill fit)."""
        pm = self.__dict__.get("_profile_matrix")
        if pm is None:
            pm = self.need.multiply(self.weight).tocsr().astype(np.float32)
            norms = np.sqrt(np.asarray(pm.multiply(pm).sum(axis=1)).ravel())
            pm = sp.diags(np.where(norms > 0, 1.0 / np.maximum(norms, 1e-12), 0.0)) @ pm
            self.__dict__["_profile_matrix"] = pm = pm.tocsr()
        return pm

    @property
    def n_roles(self) -> int:
        return len(self.role_ids)

    @property
    def n_skills(self) -> int:
        return len(self.skill_ids)

    def skill_name(self, idx: int) -> str:
        return self.skills[idx].name

    def requirement_rows(self, r: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(skill idx, need, weight) of role r."""
        lo, hi = self.need.indptr[r], self.need.indptr[r + 1]
        return self.need.indices[lo:hi], self.need.data[lo:hi], self.weight.data[lo:hi]

    def gap_hours_matrix(self, have: np.ndarray) -> sp.csr_matrix:
        """Per (role, skill) estimated hours to close the gap of a profile `have` (S,), vectorised.

        Uses the cheapest single item reaching the needed level, else the default per level.
        """
        cols = self.need.indices
        need = self.need.data.astype(np.int64)
        h = have[cols]
        gap = np.maximum(0.0, need - h)
        item = self.best_hours[cols, need]
        hours = np.where(gap > 0, np.minimum(item, DEFAULT_HOURS_PER_LEVEL * gap), 0.0)
        return sp.csr_matrix((hours, cols, self.need.indptr), shape=self.need.shape)


def _teaches(items: Sequence[LearningItem], skill_index: dict[str, int]) -> sp.csc_matrix:
    rows, cols, lv = [], [], []
    for j, it in enumerate(items):
        for s in it.skills:
            if s.skill_id in skill_index:
                rows.append(j)
                cols.append(skill_index[s.skill_id])
                lv.append(s.to_level)
    m = sp.csr_matrix((np.asarray(lv, np.float32), (rows, cols)), shape=(len(items), len(skill_index)))
    return m.tocsc()


def build_catalog(
    skills: Sequence[Skill],
    roles: Sequence[Role],
    items: Sequence[LearningItem],
    transitions: Sequence[Transition] = (),
) -> Catalog:
    skills = sorted(skills, key=lambda s: s.id)
    roles = sorted(roles, key=lambda r: r.id)
    skill_ids = [s.id for s in skills]
    skill_index = {s: i for i, s in enumerate(skill_ids)}
    role_ids = [r.id for r in roles]
    role_index = {r: i for i, r in enumerate(role_ids)}

    rows, cols, need, wts = [], [], [], []
    for i, role in enumerate(roles):
        for q in role.requirements:
            if q.level <= 0 or q.skill_id not in skill_index:
                continue
            rows.append(i)
            cols.append(skill_index[q.skill_id])
            need.append(q.level)
            wts.append(q.weight)
    shape = (len(roles), len(skills))
    need_m = sp.csr_matrix((np.asarray(need, np.float32), (rows, cols)), shape=shape)
    weight_m = sp.csr_matrix((np.asarray(wts, np.float32), (rows, cols)), shape=shape)
    need_m.sort_indices()
    weight_m.sort_indices()

    families = sorted({r.family for r in roles})
    fam_code = {f: i for i, f in enumerate(families)}

    items = sorted(items, key=lambda it: it.id)
    best = np.full((len(skills), 6), np.inf)
    by_skill: list[list[tuple[int, int]]] = [[] for _ in skills]
    for j, it in enumerate(items):
        for s in it.skills:
            k = skill_index.get(s.skill_id)
            if k is None:
                continue
            by_skill[k].append((j, s.to_level))
            lv = s.to_level
            best[k, 1 : lv + 1] = np.minimum(best[k, 1 : lv + 1], it.hours)

    counts: Counter[tuple[str, str]] = Counter(
        (t.from_role_id, t.to_role_id)
        for t in transitions
        if t.from_role_id in role_index and t.to_role_id in role_index
    )
    prior = None
    if counts:
        prior = np.zeros((len(roles), len(roles)), np.float32)
        for (a, b), c in counts.items():
            prior[role_index[a], role_index[b]] = c
        sums = prior.sum(axis=1, keepdims=True)
        np.divide(prior, sums, out=prior, where=sums > 0)

    return Catalog(
        skills=list(skills),
        skill_ids=skill_ids,
        skill_index=skill_index,
        roles=list(roles),
        role_ids=role_ids,
        role_index=role_index,
        level=np.asarray([r.level for r in roles], np.int64),
        family=[r.family for r in roles],
        family_code=np.asarray([fam_code[r.family] for r in roles], np.int64),
        track=[r.track for r in roles],
        track_code=np.asarray(
            [-1 if r.track is None else ("ic", "management").index(r.track) for r in roles], np.int64
        ),
        open_positions=np.asarray([r.open_positions for r in roles], np.int64),
        need=need_m,
        weight=weight_m,
        items=list(items),
        item_index={it.id: j for j, it in enumerate(items)},
        best_hours=best,
        items_by_skill=by_skill,
        item_hours=[it.hours for it in items],
        item_hours_arr=np.asarray([it.hours for it in items], np.float64),
        teaches=_teaches(items, skill_index),
        transition_counts=counts,
        prior=prior,
        tenure=learn_tenure(transitions, {r.id: r.level for r in roles}),
    )
