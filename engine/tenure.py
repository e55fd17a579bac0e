"""Time in role: how long people at each level serve before they move up, learned from the org.

A promotion needs experience as well as skills. For every employee with two dated transitions in
a row (into role X, then out of X to a higher level) the months between them are one observed
tenure at X's level. The minimum time in role for a level is the lower quartile of those
observations (most people who moved up had served at least that long), once a level has
MIN_OBSERVATIONS of them; otherwise the documented default for the level applies.

The person's own `months_in_role` counts towards the first step of a route; each later rung
needs its full time in role. Lateral moves, other-track moves and step-downs need no wait.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from engine.models import Transition

__all__ = ["DEFAULT_MONTHS", "MIN_OBSERVATIONS", "Tenure", "learn_tenure"]

# Months in a role of this level before moving up, where the org has too few observed moves:
# junior rungs are quicker than senior ones.
DEFAULT_MONTHS: dict[int, float] = {1: 12.0, 2: 18.0, 3: 24.0, 4: 30.0, 5: 36.0}
DEFAULT_ABOVE = 36.0
MIN_OBSERVATIONS = 5
QUANTILE = 0.25
DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class Tenure:
    """Minimum months in role per level before a promotion, and where each figure came from."""

    months: dict[int, float] = field(default_factory=dict)
    observed: dict[int, int] = field(default_factory=dict)  # level -> number of observed tenures

    def before_promotion(self, level: int) -> float:
        """Months someone at ``level`` serves before moving up."""
        got = self.months.get(level)
        if got is not None:
            return got
        return DEFAULT_MONTHS.get(level, DEFAULT_ABOVE if level > 0 else DEFAULT_MONTHS[1])

    def wait(self, from_level: int, to_level: int, served: float = 0.0) -> float:
        """Months of experience still needed to move from ``from_level`` to ``to_level``.

        Going up k levels means serving the time at each rung on the way; ``served`` (the months
        already in the current role) counts towards the first rung. No wait for other moves.
        """
        if to_level <= from_level:
            return 0.0
        first = max(0.0, self.before_promotion(from_level) - served)
        rest = sum(self.before_promotion(lv) for lv in range(from_level + 1, to_level))
        return round(first + rest, 1)

    def waits(self, from_levels: np.ndarray, to_level: int, served: np.ndarray) -> np.ndarray:
        """:meth:`wait` over arrays of current levels and months served (one target level)."""
        top = int(max(to_level, int(from_levels.max(initial=0)))) + 1
        per = np.asarray([self.before_promotion(lv) for lv in range(top)], np.float64)
        before = np.concatenate([[0.0], np.cumsum(per)])  # before[k] = Σ per[:k]
        lv = np.clip(from_levels, 0, top - 1)
        first = np.maximum(0.0, per[lv] - served)
        rest = before[to_level] - before[np.minimum(lv + 1, to_level)]
        return np.where(from_levels < to_level, np.round(first + np.maximum(rest, 0.0), 1), 0.0)

    def source(self, level: int) -> str:
        return "observed" if level in self.months else "default"


def learn_tenure(transitions: Sequence[Transition], role_level: Mapping[str, int]) -> Tenure:
    """Observed months in role before moving up, per level (see the module docstring)."""
    by_person: dict[str, list[tuple[dt.date, str, str]]] = defaultdict(list)
    for t in transitions:
        if t.employee_id and t.date and t.from_role_id in role_level and t.to_role_id in role_level:
            by_person[t.employee_id].append((t.date, t.from_role_id, t.to_role_id))
    spans: dict[int, list[float]] = defaultdict(list)
    for moves in by_person.values():
        moves.sort()
        for (d1, _, into), (d2, out_of, to) in pairwise(moves):
            if into != out_of or role_level[to] <= role_level[out_of]:
                continue
            spans[role_level[out_of]].append((d2 - d1).days / DAYS_PER_MONTH)
    months = {
        lv: round(float(np.quantile(np.asarray(v), QUANTILE)), 1)
        for lv, v in spans.items()
        if len(v) >= MIN_OBSERVATIONS
    }
    return Tenure(months=months, observed={lv: len(v) for lv, v in spans.items()})
