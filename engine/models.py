"""Domain model: skills, roles, employees, learning items, transitions, and the mobility
programme's openings, opportunities (gigs, stretch projects, rotations), their assignments and
mentorships.

Pydantic v2 models validate field shapes; cross-record checks (a role that
names a missing skill, say) happen in :mod:`engine.store` where all ids are
known. Protected attributes live in their own model and are never part of
what scoring reads (see :meth:`Employee.scoring_view`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "ENTITY_TYPES",
    "PROFICIENCY_LABELS",
    "AssignmentStatus",
    "Employee",
    "EmployeeSkill",
    "LearningFormat",
    "LearningItem",
    "Level",
    "Mentorship",
    "MobilityPreferences",
    "Opening",
    "Opportunity",
    "OpportunityAssignment",
    "OpportunityKind",
    "OpportunitySkill",
    "ProtectedAttributes",
    "Requirement",
    "Role",
    "Skill",
    "SkillTaught",
    "Track",
    "Transition",
    "Weight",
]

Level = Annotated[int, Field(ge=0, le=5, description="proficiency 0 none .. 5 expert")]
Weight = Annotated[float, Field(ge=0.0, le=1.0, description="importance 0..1")]
Identifier = Annotated[
    str,
    Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$"),
]
Track = Literal["ic", "management"]
LearningFormat = Literal["course", "certification", "mentoring", "stretch_project", "gig"]
OpportunityKind = Literal["gig", "stretch_project", "rotation"]
AssignmentStatus = Literal["assigned", "completed", "withdrawn"]

PROFICIENCY_LABELS = ("none", "aware", "basic", "intermediate", "advanced", "expert")


class _Model(BaseModel):
    # Unknown fields are rejected so a typo in an import never silently drops data.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"duplicate {what} {i!r}")
        seen.add(i)


class Skill(_Model):
    id: Identifier
    name: str = Field(min_length=1, max_length=300)
    aliases: list[str] = Field(default_factory=list)
    category: str | None = None
    parent_id: Identifier | None = None
    external_code: str | None = None
    description: str = ""

    @field_validator("aliases")
    @classmethod
    def _clean_aliases(cls, v: list[str]) -> list[str]:
        out: list[str] = []
        for a in v:
            a = a.strip()
            if a and a not in out:
                out.append(a)
        return out

    @model_validator(mode="after")
    def _not_own_parent(self) -> Skill:
        if self.parent_id == self.id:
            raise ValueError(f"skill {self.id!r} cannot be its own parent")
        return self


class Requirement(_Model):
    skill_id: Identifier
    level: Level
    weight: Weight = 1.0


class Role(_Model):
    id: Identifier
    title: str = Field(min_length=1, max_length=300)
    family: str = "general"
    level: int = Field(default=1, ge=0, le=12, description="seniority; higher is more senior")
    track: Track | None = None
    description: str = ""
    requirements: list[Requirement] = Field(default_factory=list)
    next_role_ids: list[Identifier] = Field(default_factory=list, description="explicit career-ladder moves")
    open_positions: int = Field(default=0, ge=0, le=1_000_000, description="open demand; boosts recommendations")
    critical: bool = Field(default=False, description="a role that needs a succession slate")

    @model_validator(mode="after")
    def _check(self) -> Role:
        _unique([r.skill_id for r in self.requirements], "requirement skill")
        _unique(self.next_role_ids, "next role")
        if self.id in self.next_role_ids:
            raise ValueError(f"role {self.id!r} lists itself as a next role")
        return self


class EmployeeSkill(_Model):
    skill_id: Identifier
    level: Level
    source: str = "self"
    updated_at: dt.datetime | None = None


class MobilityPreferences(_Model):
    open_to_move: bool = True
    families: list[str] = Field(default_factory=list, description="preferred families; empty = any")
    management: bool | None = Field(default=None, description="wants the management track; None = either")


class ProtectedAttributes(_Model):
    """Kept for audits only: never read by scoring, never returned by recommendations."""

    sex: str | None = None
    race_ethnicity: str | None = None
    age_band: str | None = None


class Employee(_Model):
    id: Identifier
    display_name: str = Field(min_length=1, max_length=300)
    role_id: Identifier | None = None
    skills: list[EmployeeSkill] = Field(default_factory=list)
    months_in_role: int = Field(default=0, ge=0, le=1200)
    interests: str = ""
    mobility: MobilityPreferences = Field(default_factory=MobilityPreferences)
    protected: ProtectedAttributes | None = None
    manager_id: Identifier | None = Field(default=None, description="direct manager (an employee id)")
    team: str | None = Field(default=None, max_length=200)
    hired_at: dt.date | None = None
    mentor_capacity: int = Field(default=0, ge=0, le=50, description="mentees at a time; 0 = not a mentor")

    @model_validator(mode="after")
    def _check(self) -> Employee:
        _unique([s.skill_id for s in self.skills], "employee skill")
        if self.manager_id is not None and self.manager_id == self.id:
            raise ValueError(f"employee {self.id!r} cannot be their own manager")
        if self.team is not None and not self.team:
            self.team = None
        return self

    def scoring_view(self) -> Employee:
        """The employee as scoring may see it: protected attributes removed."""
        return self.model_copy(update={"protected": None})


class SkillTaught(_Model):
    skill_id: Identifier
    to_level: Annotated[int, Field(ge=1, le=5, description="level the item teaches up to, 1..5")]


class LearningItem(_Model):
    id: Identifier
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    provider: str = "internal"
    format: LearningFormat = "course"
    hours: float = Field(gt=0, le=10_000)
    skills: list[SkillTaught] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> LearningItem:
        _unique([s.skill_id for s in self.skills], "taught skill")
        return self


class Transition(_Model):
    from_role_id: Identifier
    to_role_id: Identifier
    date: dt.date | None = None
    employee_id: Identifier | None = None
    id: str | None = Field(default=None, description="defaults to a key built from the other fields")
    # Where the person sat before the move (history the analytics attribute moves to; see README).
    from_team: str | None = Field(default=None, max_length=200)
    from_manager_id: Identifier | None = None

    @model_validator(mode="after")
    def _check(self) -> Transition:
        if self.from_role_id == self.to_role_id:
            raise ValueError("a transition must change role")
        if self.id is None:
            # Deterministic id keeps re-imports idempotent.
            self.id = f"{self.from_role_id}>{self.to_role_id}@{self.date or ''}#{self.employee_id or ''}"
        return self


def _check_dates(start: dt.date | None, end: dt.date | None, what: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValueError(f"{what} ends before it starts")


class Opening(_Model):
    """A requisition for a role: open until ``closed_at``; ``source`` says who filled it."""

    id: Identifier
    role_id: Identifier
    opened_at: dt.date
    closed_at: dt.date | None = None
    filled_by: Identifier | None = Field(default=None, description="the employee who filled it")
    source: Literal["internal", "external"] | None = Field(default=None, description="null while open")
    hiring_manager_id: Identifier | None = None
    team: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _check(self) -> Opening:
        _check_dates(self.opened_at, self.closed_at, f"opening {self.id!r}")
        if self.closed_at is None and (self.source is not None or self.filled_by is not None):
            raise ValueError("an open opening (no closed_at) has no source or filled_by yet")
        if self.closed_at is not None and self.source is None:
            raise ValueError("a closed opening needs source 'internal' or 'external' (delete a cancelled one)")
        return self


class OpportunitySkill(_Model):
    skill_id: Identifier
    to_level: Annotated[int, Field(ge=1, le=5, description="level the opportunity develops the skill up to")]


class Opportunity(_Model):
    """A gig, stretch project or rotation that develops skills (project-based advancement)."""

    id: Identifier
    title: str = Field(min_length=1, max_length=300)
    kind: OpportunityKind = "gig"
    description: str = ""
    skills: list[OpportunitySkill] = Field(min_length=1)
    hours: float = Field(gt=0, le=10_000)
    starts_at: dt.date | None = None
    ends_at: dt.date | None = None
    capacity: int = Field(default=1, ge=1, le=1000, description="people who can take part at a time")
    owner_id: Identifier | None = Field(default=None, description="the employee who runs it")
    status: Literal["open", "closed"] = "open"
    families: list[str] = Field(default_factory=list, description="job families it is open to; empty = everyone")

    @model_validator(mode="after")
    def _check(self) -> Opportunity:
        _unique([s.skill_id for s in self.skills], "opportunity skill")
        _unique(self.families, "family")
        _check_dates(self.starts_at, self.ends_at, f"opportunity {self.id!r}")
        return self


class OpportunityAssignment(_Model):
    """Someone taking part in an opportunity; ``completed`` raises their skills (source ``opportunity``)."""

    opportunity_id: Identifier
    employee_id: Identifier
    status: AssignmentStatus = "assigned"
    started_at: dt.date | None = None
    completed_at: dt.date | None = None
    id: Identifier | None = Field(default=None, description="defaults to '<opportunity_id>:<employee_id>'")

    @model_validator(mode="after")
    def _check(self) -> OpportunityAssignment:
        _check_dates(self.started_at, self.completed_at, "assignment")
        if self.completed_at is not None and self.status != "completed":
            raise ValueError("completed_at is set but status is not 'completed'")
        if self.id is None:
            self.id = f"{self.opportunity_id}:{self.employee_id}"
        return self


class Mentorship(_Model):
    """A mentor and a mentee from ``started_at`` until ``ended_at`` (null while it runs)."""

    mentor_id: Identifier
    mentee_id: Identifier
    started_at: dt.date
    ended_at: dt.date | None = None
    role_id: Identifier | None = Field(default=None, description="the target role it works toward")
    skill_ids: list[Identifier] = Field(default_factory=list, description="skills it focuses on")
    id: Identifier | None = Field(default=None, description="defaults to '<mentor_id>:<mentee_id>:<started_at>'")

    @model_validator(mode="after")
    def _check(self) -> Mentorship:
        if self.mentor_id == self.mentee_id:
            raise ValueError("a mentor cannot mentor themselves")
        _unique(self.skill_ids, "focus skill")
        _check_dates(self.started_at, self.ended_at, "mentorship")
        if self.id is None:
            self.id = f"{self.mentor_id}:{self.mentee_id}:{self.started_at.isoformat()}"
        return self


ENTITY_TYPES: dict[str, type[_Model]] = {
    "skill": Skill,
    "role": Role,
    "employee": Employee,
    "learning_item": LearningItem,
    "transition": Transition,
    "opening": Opening,
    "opportunity": Opportunity,
    "opportunity_assignment": OpportunityAssignment,
    "mentorship": Mentorship,
}
