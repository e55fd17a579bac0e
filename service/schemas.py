"""API schemas: request bodies and the response shapes that are not engine result models.

Domain records (engine.models) are the write schemas, with ``id`` optional because the path names
it; employees are answered without their protected attributes (``EmployeeOut``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from engine.models import Employee, LearningItem, Mentorship, Opening, Opportunity, OpportunityAssignment, Role, Skill
from engine.profile import Profile
from engine.results import Match
from service.settings import HARD_MAX_LIMIT, MAX_ITEMS

__all__ = [
    "BODY_MODELS",
    "ID_PATTERN",
    "AssignRequest",
    "AssignmentIn",
    "CompleteRequest",
    "EmployeeIn",
    "EmployeeKeyCreate",
    "EmployeeOut",
    "ImportResult",
    "IndexStatus",
    "KeyCreate",
    "LearningItemIn",
    "MentorshipIn",
    "MentorshipStart",
    "OpeningIn",
    "OpportunityIn",
    "RebuildJob",
    "RecommendByEmployee",
    "RecommendByProfile",
    "ResolveResult",
    "ResolveRolesRequest",
    "ResolveSkillsRequest",
    "RoleIn",
    "SimilarRoles",
    "SkillIn",
    "StaffKeyCreate",
]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$"
Identifier = Annotated[str, Field(min_length=1, max_length=200, pattern=ID_PATTERN)]
Direction = Literal["up", "lateral", "any"]
Detail = Literal["compact", "full"]  # engine.compact: compact answers by default
Text = Annotated[str, Field(min_length=1, max_length=500, pattern=r"\S")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _document_stripping(example: dict[str, Any]) -> Any:
    """Required text is stripped before its length is checked: say so (at least one non-space)."""

    def extra(schema: dict[str, Any]) -> None:
        schema["examples"] = [example]
        # The path names the record. A body `id` is tolerated when it equals the path id (422 when
        # not), but it is not part of the documented shape: the schema cannot say "equal to the path".
        schema.get("properties", {}).pop("id", None)
        schema["description"] = (
            f"{schema.get('description', '')} The path names the record: leave `id` out "
            "(a body `id` that differs from the path id is rejected with 422)."
        ).strip()
        for prop in schema.get("properties", {}).values():
            if prop.get("type") == "string" and prop.get("minLength", 0) >= 1 and "pattern" not in prop:
                prop["pattern"] = r"\S"

    return extra


def _optional_id(
    model: type[BaseModel], name: str, example: dict[str, Any], **overrides: tuple[Any, Any]
) -> type[BaseModel]:
    """The write schema of a domain model: same fields, ``id`` optional (the path gives it).

    Only field-level checks run here; the route validates the full domain model (cross-field
    checks included) once the path id is filled in.
    """
    fields: dict[str, Any] = {n: (f.annotation, f) for n, f in model.model_fields.items() if n != "id"}
    fields.update(overrides)
    return create_model(  # type: ignore[call-overload,no-any-return]
        name,
        __doc__=f"A {model.__name__.lower()} record.",
        __config__=ConfigDict(
            extra="forbid", str_strip_whitespace=True, json_schema_extra=_document_stripping(example)
        ),
        __module__=__name__,
        id=(Identifier | None, None),
        **fields,
    )


SKILL_EXAMPLE = {"name": "Python", "aliases": ["python3"], "category": "programming"}
ROLE_EXAMPLE = {
    "title": "Senior Data Engineer", "family": "data", "level": 3, "track": "ic",
    "requirements": [{"skill_id": "python", "level": 4, "weight": 1.0}, {"skill_id": "sql", "level": 4, "weight": 0.8}],
}
EMPLOYEE_EXAMPLE = {
    "display_name": "Ada Lovelace", "role_id": "data-engineer", "months_in_role": 18,
    "skills": [{"skill_id": "python", "level": 3}, {"skill_id": "sql", "level": 4}],
    "interests": "streaming, data platforms",
}
LEARNING_EXAMPLE = {
    "title": "Advanced SQL", "provider": "internal", "format": "course", "hours": 12,
    "skills": [{"skill_id": "sql", "to_level": 4}],
}

SkillIn = _optional_id(Skill, "SkillIn", SKILL_EXAMPLE)
RoleIn = _optional_id(
    Role, "RoleIn", ROLE_EXAMPLE,
    # bounded over HTTP so a huge number is a 422, not a database overflow
    open_positions=(int, Field(0, ge=0, le=1_000_000, description="open demand; boosts recommendations")),
)
EmployeeIn = _optional_id(Employee, "EmployeeIn", EMPLOYEE_EXAMPLE)
LearningItemIn = _optional_id(LearningItem, "LearningItemIn", LEARNING_EXAMPLE)
# The mobility programme's records (engine.models; see the README's "Mobility programme").
OpeningIn = _optional_id(
    Opening, "OpeningIn", {"role_id": "registered-nurse", "opened_at": "2025-01-06", "closed_at": "2025-03-01",
                           "filled_by": "E0042", "source": "internal"})
OpportunityIn = _optional_id(
    Opportunity, "OpportunityIn", {"title": "Unit budget stretch project", "kind": "stretch_project", "hours": 40,
                                   "skills": [{"skill_id": "budgeting", "to_level": 3}], "capacity": 2,
                                   "starts_at": "2025-07-01", "ends_at": "2025-12-31", "status": "open"})
AssignmentIn = _optional_id(
    OpportunityAssignment, "AssignmentIn", {"opportunity_id": "gig-budget", "employee_id": "E0042",
                                            "status": "assigned", "started_at": "2025-07-01"})


class AssignRequest(_In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"employee_id": "E0042", "started_at": "2025-07-07"}]}
    )
    employee_id: Identifier
    started_at: dt.date | None = Field(None, description="default: the as-of date (or the start, if later)")


class CompleteRequest(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"employee_id": "E0042"}]})
    employee_id: Identifier
    completed_at: dt.date | None = Field(None, description="default: the as-of date")


class MentorshipStart(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"mentor_id": "E0007", "mentee_id": "E0042", "role_id": "nurse-manager"}]},
    )
    mentor_id: Identifier
    mentee_id: Identifier
    role_id: Identifier | None = None
    skill_ids: list[Identifier] = Field(default_factory=list, max_length=50)
    started_at: dt.date | None = Field(None, description="default: the as-of date")


MentorshipIn = _optional_id(
    Mentorship, "MentorshipIn", {"mentor_id": "E0007", "mentee_id": "E0042", "started_at": "2025-06-01",
                                 "role_id": "nurse-manager"})

EmployeeOut: type[BaseModel] = create_model(
    "EmployeeOut",
    __doc__="An employee as the API shows it: never with protected attributes.",
    __config__=ConfigDict(extra="forbid"),
    __module__=__name__,
    **{name: (f.annotation, f) for name, f in Employee.model_fields.items() if name != "protected"},  # type: ignore[call-overload]
)


class Rejected(BaseModel):
    line: int
    error: str


class ImportResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"accepted": 2, "created": 1, "updated": 1, "unchanged": 0,
                                         "rejected": [{"line": 7, "error": "role 'x': field 'level': ..."}]}]}
    )
    accepted: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected]


class RecommendByEmployee(_In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"employee_id": "E0042", "limit": 5, "direction": "up"}]}
    )
    employee_id: Identifier
    limit: int = Field(10, ge=1, le=HARD_MAX_LIMIT)
    direction: Direction = "any"
    include_step_down: bool = Field(False, description="also offer roles at a lower level")
    detail: Detail = Field("compact", description="compact (top gaps, best learning item) or full")


class RecommendByProfile(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "profile": {"role_id": "data-engineer", "skills": [{"skill": "python", "level": 3}],
                        "interests": "machine learning"},
            "limit": 5, "direction": "any",
        }]},
    )
    profile: Profile
    limit: int = Field(10, ge=1, le=HARD_MAX_LIMIT)
    direction: Direction = "any"
    include_step_down: bool = Field(False, description="also offer roles at a lower level")
    detail: Detail = Field("compact", description="compact (top gaps, best learning item) or full")


class ResolveSkillsRequest(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"texts": ["pyhton", "postgres"]}]})
    texts: list[Text] = Field(min_length=1, max_length=MAX_ITEMS)
    k: int = Field(5, ge=1, le=20, description="matches per text")


class ResolveRolesRequest(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"titles": ["sr. data eng"]}]})
    titles: list[Text] = Field(min_length=1, max_length=MAX_ITEMS)
    k: int = Field(5, ge=1, le=20, description="matches per title")


class Resolved(BaseModel):
    text: str
    matches: list[Match]


class ResolveResult(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"results": [
        {"text": "pyhton", "matches": [{"id": "python", "name": "Python", "score": 0.91}]}]}]})
    results: list[Resolved]


class SimilarRoles(BaseModel):
    role_id: str
    items: list[Match]


class RebuildJob(BaseModel):
    state: Literal["idle", "running", "succeeded", "failed"]
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None


class IndexStatus(BaseModel):
    ready: bool
    store_version: str | None
    index_version: str | None
    stale: bool
    counts: dict[str, Any]
    rebuild: RebuildJob


class StaffKeyCreate(_In):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"role": "recruiter"}]})
    role: Literal["admin", "hr", "recruiter", "auditor"]


class EmployeeKeyCreate(_In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"role": "employee", "employee_id": "E0042"}]}
    )
    role: Literal["employee"]
    employee_id: Identifier = Field(description="the one employee this key may act for")


KeyCreate = Annotated[StaffKeyCreate | EmployeeKeyCreate, Field(discriminator="role")]


class KeyOut(BaseModel):
    id: str
    role: str
    employee_id: str | None
    created_at: str
    revoked_at: str | None


class KeyCreated(KeyOut):
    key: str = Field(description="the bearer token; shown only once")


class Status(BaseModel):
    status: str


# Bodies parsed by service.body.json_body; their schemas go under components.
BODY_MODELS: tuple[type[BaseModel], ...] = (
    SkillIn, RoleIn, EmployeeIn, LearningItemIn, RecommendByEmployee, RecommendByProfile,
    ResolveSkillsRequest, ResolveRolesRequest, StaffKeyCreate, EmployeeKeyCreate,
    OpeningIn, OpportunityIn, AssignmentIn, MentorshipIn, AssignRequest, CompleteRequest, MentorshipStart,
)
