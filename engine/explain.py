"""One-sentence explanations built from the same numbers the response carries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.catalog import Catalog
from engine.models import Role

if TYPE_CHECKING:
    from engine.recommender import Assessment

__all__ = ["why_candidate", "why_role"]

_MOVE = {
    "promotion": "A promotion",
    "lateral": "A lateral move",
    "cross_family": "A move across families",
    "other_track": "The other track of your ladder",
    "step_down": "A step to a less senior role",
}


def _gap_phrase(a: Assessment, cat: Catalog, n: int = 2) -> str:
    if not a.gaps:
        return "no skill gaps to close"
    names = ", ".join(cat.skill_name(g.skill) for g in a.gaps[:n])
    more = f" and {len(a.gaps) - n} more" if len(a.gaps) > n else ""
    return f"{len(a.gaps)} gap{'s' if len(a.gaps) != 1 else ''} to close ({names}{more}, about {a.plan_hours:g} h)"


def _changes(track_change: bool, family_change: bool, track: str | None) -> str:
    if family_change:
        return ", in another family"
    if track_change and track:
        return f", onto the {'management' if track == 'management' else 'individual-contributor'} track"
    return ""


def why_role(
    role: Role, move: str, a: Assessment, parts: dict[str, float], cat: Catalog, *,
    track_change: bool = False, family_change: bool = False,
) -> str:
    reasons = []
    if parts.get("prior", 0) >= 1.0:
        reasons.append("it is the next step on your career ladder")
    elif parts.get("prior", 0) > 0:
        reasons.append(f"{parts['prior']:.0%} of people who left your role moved here")
    if parts.get("interest", 0) >= 0.5:
        reasons.append("it matches your interests")
    if parts.get("demand", 0) > 0:
        reasons.append("it has open positions")
    extra = f"; {', '.join(reasons)}" if reasons else ""
    head = _MOVE.get(move, "A move")
    change = _changes(track_change, family_change, role.track) if move == "promotion" else ""
    wait = f" It needs about {a.experience_months:g} more months in your current role." if a.experience_months else ""
    return (
        f"{head} to {role.title} ({role.family}){change}: you already cover {a.coverage:.0%} of "
        f"its requirements with {_gap_phrase(a, cat)}{extra}.{wait}"
    )


_MOVE_PHRASE = {
    "promotion": "a promotion",
    "lateral": "a lateral move",
    "cross_family": "a move across families",
    "other_track": "a switch of track",
    "step_down": "a step down",
}


def why_candidate(
    name: str, current_title: str | None, a: Assessment, cat: Catalog, move: str | None = None, *,
    feeder: bool = False,
) -> str:
    now = f"currently {current_title}" if current_title else "no current role on file"
    if move in _MOVE_PHRASE:
        now += f"; for them this is {_MOVE_PHRASE[move]}"
    if feeder:
        now += ", from a role that feeds this one"
    wait = f" They need about {a.experience_months:g} more months in role first." if a.experience_months else ""
    return f"{name} ({now}) covers {a.coverage:.0%} of the requirements with {_gap_phrase(a, cat)}.{wait}"
