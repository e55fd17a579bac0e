"""How long a move takes: learning at the configured pace, and the time in role it needs.

Two clocks run for every move:

- learning: the plan's hours at ``State.hours_per_week`` (``engine.learning.months``, 4.33 weeks a
  month);
- experience: a promotion from level L needs the time in role at L (``Catalog.tenure``, learned
  from the org's dated transitions, documented defaults otherwise; see ``engine.tenure``). The
  person's own months in role count towards the first move only. Lateral, other-track and
  step-down moves need none.

A move takes learning months + experience months, as the issue asks ("learning at the configured
pace + required time in role"), and as the readiness rule and the recommendations count it, so a
route and a recommendation for the same role agree. This is the cautious reading: someone who
studies the next rung's course during the months they must serve anyway gets there sooner, up to
``max(learning, experience)``; ``LEARN_WHILE_SERVING = True`` gives that optimistic figure. Both
parts are reported separately (``learning_months``, ``experience_months``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.learning import months

if TYPE_CHECKING:
    from engine.indexer import State

__all__ = [
    "LEARN_WHILE_SERVING",
    "WEEKS_PER_MONTH",
    "PathStep",
    "cost_path",
    "experience_hours",
    "move_months",
    "path_months",
    "served_months",
    "step_months",
]

LEARN_WHILE_SERVING = False
WEEKS_PER_MONTH = 4.33  # as engine.learning.months


def step_months(learning_months: float, experience_months: float) -> float:
    """Calendar months of one move from its two clocks (see the module docstring)."""
    if LEARN_WHILE_SERVING:
        return round(max(learning_months, experience_months), 1)
    return round(learning_months + experience_months, 1)


def experience_hours(experience_months: float, hours_per_week: float) -> float:
    """Months of time in role as learning-hour equivalents at the configured pace.

    Lets a route search weigh a wait against a course on one scale: a month in role costs what a
    month of study at the configured pace would.
    """
    return experience_months * hours_per_week * WEEKS_PER_MONTH


def served_months(st: State, row: int | None) -> float:
    """Months the person in people ``row`` has spent in their current role (0 without a row)."""
    if row is None:
        return 0.0
    return float(st.people.months[row])


def move_months(
    st: State,
    row: int | None,
    current_idx: int | None,
    target_idx: int,
    learning_hours: float,
    *,
    served: float | None = None,
) -> tuple[float, float]:
    """``(est_months, experience_months)`` of moving from role ``current_idx`` to ``target_idx``.

    ``row`` is the person's people row (their months in role count as served); pass ``served``
    instead for an ad-hoc profile, or neither for nobody's time. ``current_idx=None`` (no current
    role) needs no time in role. ``learning_hours`` is the plan for the move at ``st.hours_per_week``.
    """
    cat = st.catalog
    done = served if served is not None else served_months(st, row)
    exp = 0.0
    if current_idx is not None:
        exp = cat.tenure.wait(int(cat.level[current_idx]), int(cat.level[target_idx]), done)
    return step_months(months(learning_hours, st.hours_per_week), exp), exp


@dataclass(frozen=True)
class PathStep:
    """One move of a path, costed against the skills the person has by then."""

    source: int  # role indices
    target: int
    hours: float  # learning plan for what is still missing, plus the edge's friction
    learning_months: float
    experience_months: float
    months: float  # step_months(learning_months, experience_months)
    assessment: Any  # engine.recommender.Assessment against the profile before the step


def _requirements(st: State, role: int) -> np.ndarray:
    out = np.zeros(st.catalog.n_skills, np.float32)
    cols, need, _ = st.catalog.requirement_rows(role)
    out[cols] = need
    return out


def cost_path(st: State, have: np.ndarray, path: Sequence[int | str], served: float = 0.0) -> list[PathStep]:
    """Each move of ``path`` (role indices or ids, current role first) with its hours and months.

    Before each move the person has ``max(have, requirements of every role passed)``: a later rung
    charges only what earlier ones did not teach, so hours and months can only grow along a path.
    ``served`` (months in the current role) counts towards the first move's time in role only.
    """
    from engine.recommender import assess  # recommender may import this module

    cat, G = st.catalog, st.graph.G
    idx = [cat.role_index[r] if isinstance(r, str) else int(r) for r in path]
    profile = np.asarray(have, np.float32).copy()
    out: list[PathStep] = []
    for i in range(len(idx) - 1):
        src, dst = idx[i], idx[i + 1]
        a = assess(st, profile, dst)
        d = G.edges[cat.role_ids[src], cat.role_ids[dst]] if G.has_edge(cat.role_ids[src], cat.role_ids[dst]) else {}
        hours = round(a.plan_hours + float(d.get("friction", 0.0)), 2)
        learn = months(hours, st.hours_per_week)
        exp = cat.tenure.wait(int(cat.level[src]), int(cat.level[dst]), served if i == 0 else 0.0)
        out.append(PathStep(src, dst, hours, learn, exp, step_months(learn, exp), a))
        profile = np.maximum(profile, _requirements(st, dst))
    return out


def path_months(
    st: State, have: np.ndarray, path: Sequence[int | str], served: float = 0.0
) -> tuple[float, float, float]:
    """``(hours, est_months, experience_months)`` of a whole path (see :func:`cost_path`).

    For a recommendation shown with its route: the hours and months of getting there rung by rung,
    which never undercut those of a rung on the way.
    """
    steps = cost_path(st, have, path, served)
    return (
        round(sum(s.hours for s in steps), 2),
        round(sum(s.months for s in steps), 1),
        round(sum(s.experience_months for s in steps), 1),
    )
