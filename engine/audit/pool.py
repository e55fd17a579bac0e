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
NO_STEP_DOWN = ";no_step_down"


def max_jump() -> int:
    from engine import shortlist

    return int(getattr(shortlist, "MAX_LEVEL_JUMP", 2))


def pool_rule(*, include_step_down: bool = False) -> str:
    """The eligibility rule a logged shortlist ranked under (rebuilt later from the roster ledger)."""
    return f"{RULE_PREFIX}{max_jump()}{'' if include_step_down else NO_STEP_DOWN}"


def parse_rule(rule: str | None) -> tuple[int, bool]:
    """``(max_jump, step_down_allowed)``; rules logged before step-downs were left out allowed them."""
    if not rule or not rule.startswith(RULE_PREFIX):
        raise InvalidInput(f"unknown pool rule {rule!r} in the decision log")
    body = rule[len(RULE_PREFIX):]
    allowed = not body.endswith(NO_STEP_DOWN)
    body = body.removesuffix(NO_STEP_DOWN)
    if not body.isdigit():
        raise InvalidInput(f"unknown pool rule {rule!r} in the decision log")
    return int(body), allowed


def _mask(st: State, role_id: str, include_step_down: bool) -> np.ndarray:
    from engine.shortlist import eligible_mask

    return eligible_mask(st, st.catalog.role_index[role_id], include_step_down=include_step_down)


def shortlist_pool(st: State, role_id: str, *, include_step_down: bool = False) -> list[str]:
    """Ids of the eligible candidates for ``role_id`` (vectorised over everyone)."""
    if not len(st.people):
        return []
    ids = np.asarray(st.people.ids, dtype=object)
    return ids[np.flatnonzero(_mask(st, role_id, include_step_down))].tolist()  # type: ignore[no-any-return]


def pool_size(st: State, role_id: str, *, include_step_down: bool = False) -> int:
    return int(_mask(st, role_id, include_step_down).sum()) if len(st.people) else 0
