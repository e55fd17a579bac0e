"""The pool of a shortlist: every candidate the engine was eligible to rank for a role.

It is the denominator of the shortlist impact audit (LL144's "assessed" candidates): the shortlist
scores everyone eligible by skill-profile fit before it reranks the best, so every eligible person
was assessed. Eligibility is the shortlist's own rule (alive, not an incumbent, at most
``engine.shortlist.MAX_LEVEL_JUMP`` levels below the role), read from there so the two agree. The
decision log records the rule and the pool's size; the audit rebuilds the members from the roster
ledger at the answer's store version (:mod:`engine.store.roster`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.errors import InvalidInput

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = ["max_jump", "parse_rule", "pool_rule", "shortlist_pool"]

RULE_PREFIX = "max_level_jump="


def max_jump() -> int:
    from engine import shortlist

    return int(getattr(shortlist, "MAX_LEVEL_JUMP", 2))


def pool_rule() -> str:
    return f"{RULE_PREFIX}{max_jump()}"


def parse_rule(rule: str | None) -> int:
    if not rule or not rule.startswith(RULE_PREFIX):
        raise InvalidInput(f"unknown pool rule {rule!r} in the decision log")
    return int(rule[len(RULE_PREFIX):])


def _mask(st: State, role_id: str) -> np.ndarray:
    cat, people = st.catalog, st.people
    r = cat.role_index[role_id]
    target = int(cat.level[r])
    role_idx = people.role_idx
    cur = np.where(role_idx >= 0, cat.level[np.maximum(role_idx, 0)], target - 1)
    return people.alive & (role_idx != r) & (target - cur <= max_jump())  # type: ignore[no-any-return]


def shortlist_pool(st: State, role_id: str) -> list[str]:
    """Ids of the eligible candidates for ``role_id`` (vectorised over everyone)."""
    if not len(st.people):
        return []
    return np.asarray(st.people.ids, dtype=object)[np.flatnonzero(_mask(st, role_id))].tolist()  # type: ignore[no-any-return]


def pool_size(st: State, role_id: str) -> int:
    return int(_mask(st, role_id).sum()) if len(st.people) else 0
