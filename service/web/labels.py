"""Words and number formats the pages show (Jinja filters and globals), in one place."""

from __future__ import annotations

from typing import Any

__all__ = ["FILTERS", "GLOBALS", "LEVELS", "MOVES", "READINESS"]

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
           "stretch_project": "stretch project", "gig": "gig"}
TRACKS = {"ic": "IC track", "management": "management track"}
DIRECTIONS = {"up": "Step up", "lateral": "Move across", "any": "All moves"}


def pct(value: Any) -> str:
    return f"{float(value) * 100:.0f}%"


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
    "hours": hours,
    "months": months,
    "ready_in": ready_in,
    "level": level,
    "human": human,
    "readiness": lambda v: READINESS.get(str(v), str(v)),
    "move": lambda v: MOVES.get(str(v), human(v)) if v else "—",
    "fmt": lambda v: FORMATS.get(str(v), str(v or "")),
    "track": lambda v: TRACKS.get(str(v), "") if v else "",
}
GLOBALS = {"READINESS": READINESS, "MOVES": MOVES, "DIRECTIONS": DIRECTIONS}
