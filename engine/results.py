"""Result shapes of the engine (recommendations, shortlists, routes, learning plans, matches).

These are what the CLI prints and the HTTP API returns; none of them has a field for protected
attributes, so no code path can leak one into a response.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Candidate",
    "Candidates",
    "Gap",
    "LearningPlan",
    "LearningRef",
    "Match",
    "MatchedSkill",
    "Move",
    "Readiness",
    "Recommendation",
    "Recommendations",
    "RouteResult",
    "RouteStep",
    "Routes",
]

Move = Literal["promotion", "lateral", "cross_family", "other_track", "step_down"]
Readiness = Literal["ready_now", "ready_soon", "stretch", "long_term"]
READINESS_ORDER: tuple[Readiness, ...] = ("ready_now", "ready_soon", "stretch", "long_term")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LearningRef(_Out):
    id: str
    title: str
    hours: float
    format: str | None = None


class MatchedSkill(_Out):
    skill_id: str
    name: str
    have: int
    need: int


class Gap(_Out):
    skill_id: str
    name: str
    have: int
    need: int
    weight: float
    learning: list[LearningRef] = Field(default_factory=list)
    hours: float = Field(0.0, description="hours attributed to closing this gap in the plan")


class LearningPlan(_Out):
    role_id: str | None = None
    items: list[LearningRef]
    total_hours: float
    uncovered: list[str] = Field(default_factory=list, description="gap skills no catalog item closes")
    default_hours: float = Field(0.0, description="hours assumed for uncovered gaps (default per level)")
    gaps: list[Gap] = Field(default_factory=list)
    est_months: float = 0.0


class Recommendation(_Out):
    role_id: str
    title: str
    family: str
    level: int
    track: str | None
    move: Move
    track_change: bool = Field(False, description="the move also switches track (IC <-> management)")
    family_change: bool = Field(False, description="the move also changes job family")
    score: float
    readiness: Readiness
    coverage: float
    gap_hours: float
    est_months: float
    experience_months: float = Field(
        0.0, description="months of time in role still needed before the move (part of est_months)"
    )
    matched_skills: list[MatchedSkill]
    gaps: list[Gap]
    route: list[str]
    why: str
    parts: dict[str, float] = Field(default_factory=dict, description="score components before weighting")


class Recommendations(_Out):
    employee_id: str | None
    items: list[Recommendation]


class Candidate(_Out):
    employee_id: str
    display_name: str
    current_role_id: str | None
    move: Move | None = Field(
        default=None, description="what taking the role would be for this person; null without a current role"
    )
    track_change: bool = Field(False, description="the move also switches track (IC <-> management)")
    family_change: bool = Field(False, description="the move also changes job family")
    score: float
    readiness: Readiness
    coverage: float
    gap_hours: float
    est_months: float
    experience_months: float = Field(
        0.0, description="months of time in role still needed before the move (part of est_months)"
    )
    matched_skills: list[MatchedSkill]
    gaps: list[Gap]
    why: str


class Candidates(_Out):
    role_id: str
    items: list[Candidate]
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page; null on the last")


class RouteStep(_Out):
    from_role_id: str
    to_role_id: str
    title: str
    move: Move
    track_change: bool = Field(False, description="the move also switches track (IC <-> management)")
    family_change: bool = Field(False, description="the move also changes job family")
    cost_hours: float
    learning_months: float = Field(0.0, description="cost_hours at the configured learning pace")
    experience_months: float = Field(0.0, description="time in role needed before this step")
    gaps: list[Gap]
    learning: list[LearningRef]


class RouteResult(_Out):
    role_ids: list[str]
    total_hours: float
    est_months: float
    learning_months: float = 0.0
    experience_months: float = 0.0
    steps: list[RouteStep]


class Routes(_Out):
    employee_id: str
    target_role_id: str
    best: RouteResult
    alternatives: list[RouteResult]


class Match(_Out):
    id: str
    name: str
    score: float
