"""Result shapes of the mobility programme (what the CLI prints and the HTTP API returns).

Like :mod:`engine.results`, none of them has a field for protected attributes.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from engine.results import Candidate

__all__ = [
    "Bottleneck",
    "Completion",
    "GroupStats",
    "Grower",
    "HoardingSignal",
    "MentorMatch",
    "MentorSkill",
    "Mentors",
    "MobilityReport",
    "OpportunityCandidates",
    "OpportunityMatch",
    "OpportunityMatches",
    "SkillStep",
    "SuccessionOverview",
    "SuccessionRow",
    "SuccessionSlate",
    "Successor",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Successor(Candidate):
    """A shortlist candidate item, plus what a succession planner reads next to it."""

    natural_feeder: bool = Field(description="their role leads to this one (ladder or observed moves)")


class SuccessionSlate(_Out):
    role_id: str
    title: str
    critical: bool
    incumbents: list[str]
    ready_now: list[Successor]
    ready_1y: list[Successor]
    ready_2y: list[Successor]
    bench_strength: int = Field(description="successors ready within two years (counted over the ranked pool)")
    at_risk: bool = Field(description="no one ready within a year")
    counts: dict[str, int] = Field(default_factory=dict, description="ready_now / ready_1y / ready_2y before limit")


class SuccessionRow(_Out):
    role_id: str
    title: str
    critical: bool
    incumbents: int
    bench_strength: int
    ready_now: int
    ready_1y: int
    ready_2y: int
    at_risk: bool


class SuccessionOverview(_Out):
    as_of: dt.date
    items: list[SuccessionRow]


class MentorSkill(_Out):
    skill_id: str
    name: str
    level: int = Field(description="the mentor's level")
    need: int = Field(description="the level the target role needs")


class MentorMatch(_Out):
    employee_id: str
    display_name: str
    current_role_id: str | None
    team: str | None
    skills: list[MentorSkill] = Field(description="the person's gap skills this mentor holds at or above the need")
    capacity: int
    active_mentees: int
    score: float
    why: str
    parts: dict[str, float] = Field(default_factory=dict)


class Mentors(_Out):
    employee_id: str
    role_id: str
    gap_skills: list[str] = Field(description="the person's gap skills for the role (ids)")
    items: list[MentorMatch]


class SkillStep(_Out):
    model_config = ConfigDict(extra="forbid", serialize_by_alias=True, validate_by_name=True)

    skill_id: str
    name: str
    from_: int = Field(alias="from")
    to: int


class OpportunityMatch(_Out):
    opportunity_id: str
    title: str
    kind: str
    hours: float
    closes: list[SkillStep] = Field(description="gap skills it raises, from the person's level to what it reaches")
    score: float = Field(description="weighted share of the person's gap toward the role that it closes")
    why: str
    starts_at: dt.date | None = None
    ends_at: dt.date | None = None
    seats_left: int


class OpportunityMatches(_Out):
    employee_id: str
    role_id: str
    items: list[OpportunityMatch]


class Grower(_Out):
    employee_id: str
    display_name: str
    current_role_id: str | None
    grows: list[SkillStep]
    score: float = Field(description="levels gained toward their role and its next steps ÷ levels it teaches")
    why: str


class OpportunityCandidates(_Out):
    opportunity_id: str
    seats_left: int = Field(description="capacity minus people assigned now")
    items: list[Grower]


class GroupStats(_Out):
    key: str
    label: str
    headcount: int = Field(description="people in the group at the window's start")
    moves_out: int
    promotions: int
    lateral_moves: int
    promotion_rate: float | None
    internal_fill_rate: float | None
    median_months_in_role: float | None = Field(description="months in role before the window's promotions")
    openings_closed: int = 0
    openings_internal: int = 0


class Bottleneck(_Out):
    role_id: str
    title: str
    family: str
    level: int
    headcount: int
    moved: int = Field(description="of the people in the role at the window's start, how many changed role")
    move_out_rate: float
    median_months_in_role: float | None = Field(description="current holders' months in the role")
    why: str


class HoardingSignal(_Out):
    key: str
    label: str
    headcount: int = Field(description="people in the group at the window's start")
    moved: int = Field(description="of them, how many changed role in the window")
    expected: float = Field(description="how many would have, at the rate of comparable roles elsewhere")
    ratio: float | None
    p_value: float = Field(description="chance of moving this few or fewer at the comparable rate (Poisson)")
    q_value: float = Field(description="p_value adjusted for the number of groups judged (Benjamini-Hochberg)")
    flag: bool
    why: str


class MobilityReport(_Out):
    since: dt.date
    until: dt.date
    by: str
    totals: GroupStats
    groups: list[GroupStats]
    bottlenecks: list[Bottleneck]
    hoarding_by: str
    hoarding: list[HoardingSignal]
    min_group_size: int
    small_groups: int = Field(description="groups below min_group_size, left out of the hoarding signal")


class Completion(_Out):
    opportunity_id: str
    employee_id: str
    completed_at: dt.date
    raised: list[SkillStep] = Field(description="skill levels raised (source 'opportunity')")
