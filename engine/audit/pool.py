"""The pool of a shortlist: every candidate the engine was eligible to rank for a role.

It is the denominator of the shortlist impact audit (LL144's "assessed" candidates): the shortlist
scores everyone eligible by skill-profile fit before it reranks the best, so every eligible person
was assessed. Eligibility is the shortlist's own rule (alive, not an incumbent, at most
``engine.shortlist.MAX_LEVEL_JUMP`` levels below the role), read from there so the two agree.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = ["pool_id", "shortlist_pool"]


def shortlist_pool(st: State, role_id: str) -> list[str]:
    """Ids of the eligible candidates for ``role_id`` (vectorised over everyone)."""
    from engine import shortlist

    cat, people = st.catalog, st.people
    if not len(people):
        return []
    r = cat.role_index[role_id]
    target = int(cat.level[r])
    role_idx = people.role_idx
    jump = int(getattr(shortlist, "MAX_LEVEL_JUMP", 2))
    cur = np.where(role_idx >= 0, cat.level[np.maximum(role_idx, 0)], target - 1)
    eligible = np.flatnonzero(people.alive & (role_idx != r) & (target - cur <= jump))
    ids = np.asarray(people.ids, dtype=object)
    return ids[eligible].tolist()  # type: ignore[no-any-return]


def pool_id(ids: list[str]) -> str:
    """Content address of a pool: equal pools are stored once."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:32]
