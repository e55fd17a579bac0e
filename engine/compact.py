"""Compact answers by default, everything on request (``detail=full``).

The engine computes complete results (every gap, every learning item, every step of every
route); what a person reads first is much less: the top gaps with the best learning item for
each, a few matched skills, the sentence that says why. This module turns a complete result
into that compact answer, as JSON bytes, without changing any shape of the contract (lists are
shortened, optional extras left out), so a client written against ``detail=full`` reads a
compact answer unchanged.

    GAPS       top gaps per recommendation (largest weight x missing levels first)
    MATCHED    matched skills per recommendation (best covered first)
    LEARNING   learning items per gap (the plan's first closer: the one the hours are booked to)

A 10-item recommendation on the demo org drops from ~27 KB to under 12 KB; over O*NET roles
(~60 requirements each) from ~120 KB to under 25 KB; a shortlist candidate to under 600 B.
"""

from __future__ import annotations

from typing import Any, Literal

import orjson
from pydantic import BaseModel

from engine.errors import InvalidInput
from engine.results import Candidate, Candidates, Gap, Recommendation, Recommendations, Routes, RouteStep

__all__ = ["DETAILS", "Detail", "check_detail", "compact", "to_json"]

Detail = Literal["compact", "full"]
DETAILS: tuple[str, ...] = ("compact", "full")

GAPS, MATCHED, LEARNING = 3, 1, 1
CANDIDATE_GAPS, CANDIDATE_MATCHED = 1, 0
ROUTE_GAPS, ROUTE_LEARNING = 3, 3


def check_detail(detail: str) -> str:
    if detail not in DETAILS:
        raise InvalidInput(f"detail must be one of {', '.join(DETAILS)}, got {detail!r}")
    return detail


def _gap(g: Gap, learning: int) -> dict[str, Any]:
    out: dict[str, Any] = {"skill_id": g.skill_id, "name": g.name, "have": g.have, "need": g.need, "weight": g.weight}
    if learning:  # `learning` defaults to [] in the schema: a candidate's gaps leave it out
        out["learning"] = [{"id": x.id, "title": x.title, "hours": x.hours} for x in g.learning[:learning]]
    return out


def _matched(ms: list[Any], n: int) -> list[dict[str, Any]]:
    return [{"skill_id": m.skill_id, "name": m.name, "have": m.have, "need": m.need} for m in ms[:n]]


def _recommendation(it: Recommendation) -> dict[str, Any]:
    return {
        "role_id": it.role_id,
        "title": it.title,
        "family": it.family,
        "level": it.level,
        "track": it.track,
        "move": it.move,
        "track_change": it.track_change,
        "family_change": it.family_change,
        "score": it.score,
        "readiness": it.readiness,
        "coverage": it.coverage,
        "gap_hours": it.gap_hours,
        "est_months": it.est_months,
        "experience_months": it.experience_months,
        "matched_skills": _matched(it.matched_skills, MATCHED),
        "gaps": [_gap(g, LEARNING) for g in it.gaps[:GAPS]],
        "route": it.route,
        "why": it.why,
    }


def _candidate(c: Candidate) -> dict[str, Any]:
    # A recruiter scans people: which gaps, not which course closes them (that is the employee's view).
    return {
        "employee_id": c.employee_id,
        "display_name": c.display_name,
        "current_role_id": c.current_role_id,
        "move": c.move,
        "track_change": c.track_change,
        "family_change": c.family_change,
        "score": c.score,
        "readiness": c.readiness,
        "coverage": c.coverage,
        "gap_hours": c.gap_hours,
        "est_months": c.est_months,
        "experience_months": c.experience_months,
        "matched_skills": _matched(c.matched_skills, CANDIDATE_MATCHED),
        "gaps": [_gap(g, 0) for g in c.gaps[:CANDIDATE_GAPS]],
        "why": c.why,
    }


def _step(s: RouteStep) -> dict[str, Any]:
    return {
        "from_role_id": s.from_role_id,
        "to_role_id": s.to_role_id,
        "title": s.title,
        "move": s.move,
        "track_change": s.track_change,
        "family_change": s.family_change,
        "cost_hours": s.cost_hours,
        "learning_months": s.learning_months,
        "experience_months": s.experience_months,
        "gaps": [_gap(g, LEARNING) for g in s.gaps[:ROUTE_GAPS]],
        "learning": [{"id": x.id, "title": x.title, "hours": x.hours} for x in s.learning[:ROUTE_LEARNING]],
    }


def _route(r: Any) -> dict[str, Any]:
    return {"role_ids": r.role_ids, "total_hours": r.total_hours, "est_months": r.est_months,
            "learning_months": r.learning_months, "experience_months": r.experience_months,
            "steps": [_step(s) for s in r.steps]}


def compact(result: BaseModel) -> dict[str, Any] | BaseModel:
    """The compact form of a recommendation list, a shortlist or routes (JSON-ready dicts);
    anything else (a learning plan is already what a person reads) is returned unchanged."""
    if isinstance(result, Recommendations):
        return {"employee_id": result.employee_id, "items": [_recommendation(i) for i in result.items]}
    if isinstance(result, Candidates):
        return {"role_id": result.role_id, "items": [_candidate(c) for c in result.items],
                "next_cursor": result.next_cursor}
    if isinstance(result, Routes):
        return {"employee_id": result.employee_id, "target_role_id": result.target_role_id,
                "best": _route(result.best), "alternatives": [_route(a) for a in result.alternatives]}
    return result


def to_json(result: BaseModel, detail: str = "compact", *, indent: bool = False) -> bytes:
    """JSON bytes of a result at the given detail (orjson for the compact dicts, pydantic's
    Rust serialiser for full models: both skip FastAPI's validate-then-encode path)."""
    body = compact(result) if check_detail(detail) == "compact" else result
    if isinstance(body, BaseModel):
        if indent:
            return body.model_dump_json(indent=2).encode()
        return body.model_dump_json().encode()
    return orjson.dumps(body, option=orjson.OPT_INDENT_2 if indent else 0)
