"""Employee vectors composed from cached vectors instead of one transformer pass per person.

    v(e) = normalise(0.5 * role(e) + 0.35 * normalise(sum_s level_s * skill_s) + 0.15 * interests(e))

Terms that are missing (no role, no skills, no interests) drop out and the rest is renormalised.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from engine.people import People

__all__ = ["INTEREST_W", "ROLE_W", "SKILLS_W", "compose_employee_vectors", "compose_vector"]

ROLE_W, SKILLS_W, INTEREST_W = 0.5, 0.35, 0.15


def _normalise(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    return np.divide(x, n, out=np.zeros_like(x), where=n > 0)


def _normalise_inplace(x: np.ndarray) -> None:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    np.divide(x, n, out=x, where=n > 0)


def compose_vector(
    role_vec: np.ndarray | None, have: np.ndarray, skill_vecs: np.ndarray, interest_vec: np.ndarray | None
) -> np.ndarray:
    """One profile (dense have levels (S,)) -> unit vector."""
    dim = skill_vecs.shape[1]
    v = np.zeros(dim, np.float32)
    if role_vec is not None:
        v += ROLE_W * role_vec
    if have.any():
        v += SKILLS_W * _normalise(have.astype(np.float32) @ skill_vecs)
    if interest_vec is not None:
        v += INTEREST_W * interest_vec
    return _normalise(v)


def compose_employee_vectors(
    people: People,
    rows: np.ndarray,
    role_vecs: np.ndarray,
    skill_vecs: np.ndarray,
    interest_vecs: Mapping[str, np.ndarray],
) -> np.ndarray:
    """Vectors for the given employee rows, (len(rows), dim) float32; vectorised."""
    rows = np.asarray(rows, np.int64)
    dim = skill_vecs.shape[1]
    if not len(rows):
        return np.zeros((0, dim), np.float32)
    # One (n, dim) buffer, updated in place: at 100k employees every copy is 150 MB.
    if len(rows) > 512:
        have = people.have_matrix()
        if len(rows) != have.shape[0] or not np.array_equal(rows, np.arange(len(rows))):
            have = have[rows]
        out = np.asarray(have @ skill_vecs, dtype=np.float32)
    else:
        out = (people.have_rows(rows) @ skill_vecs).astype(np.float32)
    _normalise_inplace(out)
    out *= SKILLS_W
    role = people.role_idx[rows]
    has_role = role >= 0
    if len(role_vecs):
        out[has_role] += ROLE_W * role_vecs[role[has_role]]
    for k, r in enumerate(rows.tolist()):
        iv = interest_vecs.get(people.interests[r])
        if iv is not None:
            out[k] += INTEREST_W * iv
    _normalise_inplace(out)
    return out
