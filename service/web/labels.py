"""Words and number formats the pages show (Jinja filters and globals), in one place."""

from __future__ import annotations

from typing import Any

__all__ = ["BENCH", "CATEGORIES", "FILTERS", "GLOBALS", "GROUP_BY", "LEVELS", "MOVES", "READINESS"]

READINESS = {
    "ready_now": "Ready now",
    "ready_soon": "Ready soon",
    "stretch": "Stretch",
    "long_term": "Long term",
}
MOVES = {
    "promotion": "Promotion",
    "lateral": "Lateral move",
    "cross_family": "New job family",
    "other_track": "Other track",
    "step_down": "Step down",
}
LEVELS = {0: "none", 1: "aware", 2: "basic", 3: "intermediate", 4: "advanced", 5: "expert"}
FORMATS = {"course": "course", "certification": "certification", "mentoring": "mentoring",
           "stretch_project": "stretch project", "gig": "gig", "rotation": "rotation"}
# Succession slate buckets, in the order a planner reads them.
BENCH = {"ready_now": "Ready now", "ready_1y": "Ready within a year", "ready_2y": "Ready within two years"}
# Protected-attribute categories of the impact audit (aggregate only).
CATEGORIES = {"sex": "Sex", "race_ethnicity": "Race / ethnicity", "intersectional": "Sex and race / ethnicity"}
GROUP_BY = {"family": "job family", "role": "role", "team": "team", "manager": "manager"}
DECISIONS = {"recommendation": "Next roles for a person", "shortlist": "Shortlist for a role",
             "succession": "Succession slate"}
OVERRIDES = {"add": "Added", "remove": "Removed", "reorder": "Moved"}
TRACKS = {"ic": "IC track", "management": "management track"}
DIRECTIONS = {"up": "Step up", "lateral": "Move across", "any": "All moves"}


def pct(value: Any) -> str:
    """A share as a whole percentage; "—" when there is none (e.g. no opening closed in the window)."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.0f}%"


def pct1(value: Any) -> str:
    """A share to a tenth of a percent (selection rates are often small)."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.1f}%"


def ratio(value: Any) -> str:
    return "—" if value is None else f"{float(value):.2f}"


def hours(value: Any) -> str:
    v = float(value)
    return f"{v:.0f} h" if v >= 1 or v == 0 else f"{v:.1f} h"


def months(value: Any) -> str:
    """A duration in plain words: "under a month", "about a month", "about 6 months"."""
    v = float(value)
    if v < 0.75:
        return "under a month"
    if v < 1.5:
        return "about a month"
    return f"about {round(v)} months"


def ready_in(value: Any) -> str:
    return "ready now" if float(value) <= 0 else f"ready in {months(value)}"


def level(value: Any) -> str:
    v = int(value)
    return f"{v} {LEVELS.get(v, '')}".strip()


def human(value: Any) -> str:
    """``data-analytics`` -> ``Data analytics``."""
    text = str(value or "").replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


FILTERS = {
    "pct": pct,
    "pct1": pct1,
    "ratio": ratio,
    "hours": hours,
    "months": months,
    "ready_in": ready_in,
    "level": level,
    "human": human,
    "readiness": lambda v: READINESS.get(str(v), str(v)),
    "move": lambda v: MOVES.get(str(v), human(v)) if v else "—",
    "fmt": lambda v: FORMATS.get(str(v), str(v or "")),
    "track": lambda v: TRACKS.get(str(v), "") if v else "",
    "decision": lambda v: DECISIONS.get(str(v), human(v)),
    "override": lambda v: OVERRIDES.get(str(v), human(v)),
}
GLOBALS = {"READINESS": READINESS, "MOVES": MOVES, "DIRECTIONS": DIRECTIONS, "BENCH": BENCH,
           "CATEGORIES": CATEGORIES, "GROUP_BY": GROUP_BY}
