"""The mobility programme over HTTP: succession slates, mentors, opportunities, mobility analytics.

Permissions: succession and analytics need PROGRAMME (hr, admin); a person's mentors and
opportunities need DEVELOPMENT (employee keys: their own only, enforced on the path's
``employee_id``), and so does joining an opportunity (an employee key signs up only itself);
recording completions and mentorships changes org data: ORG_WRITE.
"""

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from engine.errors import InvalidInput
from engine.models import Mentorship, OpportunityAssignment
from engine.programme.careermap import CareerMap
from engine.programme.results import (
    Completion,
    Mentors,
    MobilityReport,
    OpportunityCandidates,
    OpportunityMatches,
    SuccessionOverview,
    SuccessionSlate,
)
from service.auth import Permission
from service.body import body_openapi, json_body
from service.deps import EngineDep, auth, id_path, limit_query, model_json
from service.problems import PROBLEM_MEDIA_TYPE
from service.schemas import ID_PATTERN, AssignRequest, CompleteRequest, MentorshipStart
from service.settings import Settings

__all__ = ["router"]

RoleQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=200,
        pattern=ID_PATTERN,
        examples=["nurse-manager"],
        description="target role (default: the person's top next role)",
    ),
]
By = Annotated[str, Query(pattern=r"^(family|role|team|manager)$", description="family, role, team or manager")]
# Dates as strict ISO strings (a lax date parameter would read `0` as 1970-01-01).
Day = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD", examples=["2025-06-30"])]
CONFLICT = {
    409: {
        "description": "conflicts with the stored data (closed, full, no free place, already done)",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
}


def _day(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name}: not a calendar date: {value!r}") from None


Family = Annotated[str, Path(min_length=1, max_length=200, description="job family", examples=["nursing"])]


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["programme"])
    RoleId = id_path("role_id", "role")
    EmployeeId = id_path("employee_id", "employee")
    OpportunityId = id_path("opportunity_id", "opportunity")
    Limit = limit_query(settings)
    five, ten = min(5, settings.max_limit), min(10, settings.max_limit)

    @r.get(
        "/v1/roles/{role_id}/succession",
        response_model=SuccessionSlate,
        operation_id="role_succession",
        summary="Succession slate for a role: ready now, within 1 year, within 2 years",
    )
    def succession(
        role_id: RoleId,
        _: auth(Permission.PROGRAMME),
        engine: EngineDep,  # type: ignore[valid-type]
        limit: Limit = five,
    ) -> Any:  # type: ignore[valid-type]
        return model_json(engine.programme.succession(role_id, limit=limit))

    @r.get(
        "/v1/succession",
        response_model=SuccessionOverview,
        operation_id="succession_overview",
        summary="Bench strength and risk of the critical roles (critical=false: every role)",
    )
    def overview(
        _: auth(Permission.PROGRAMME),
        engine: EngineDep,  # type: ignore[valid-type]
        critical: bool = True,
    ) -> Any:
        return model_json(engine.programme.succession_overview(critical=critical))

    @r.get(
        "/v1/employees/{employee_id}/mentors",
        response_model=Mentors,
        operation_id="employee_mentors",
        summary="Colleagues who hold a person's gap skills for a role and have a free mentoring place",
    )
    def mentors(
        employee_id: EmployeeId,
        _: auth(Permission.DEVELOPMENT),
        engine: EngineDep,  # type: ignore[valid-type]
        role_id: RoleQuery = None,
        limit: Limit = five,
    ) -> Any:  # type: ignore[valid-type]
        return model_json(engine.programme.mentors(employee_id, role_id, limit=limit))

    @r.get(
        "/v1/employees/{employee_id}/opportunities",
        response_model=OpportunityMatches,
        operation_id="employee_opportunities",
        summary="Open gigs, stretch projects and rotations ranked by how much of a person's gap they close",
    )
    def opportunities(
        employee_id: EmployeeId,
        _: auth(Permission.DEVELOPMENT),  # type: ignore[valid-type]
        engine: EngineDep,
        role_id: RoleQuery = None,
        limit: Limit = five,
    ) -> Any:  # type: ignore[valid-type]
        return model_json(engine.programme.opportunities(employee_id, role_id, limit=limit))

    @r.get(
        "/v1/opportunities/{opportunity_id}/candidates",
        response_model=OpportunityCandidates,
        operation_id="opportunity_candidates",
        summary="The people an opportunity would grow most",
    )
    def candidates(
        opportunity_id: OpportunityId,
        _: auth(Permission.PROGRAMME),  # type: ignore[valid-type]
        engine: EngineDep,
        limit: Limit = ten,
    ) -> Any:  # type: ignore[valid-type]
        return model_json(engine.programme.opportunity_candidates(opportunity_id, limit=limit))

    @r.post(
        "/v1/opportunities/{opportunity_id}/assignments",
        status_code=201,
        response_model=OpportunityAssignment,
        operation_id="assign_opportunity",
        responses=CONFLICT,
        openapi_extra=body_openapi(AssignRequest),
        summary="Put someone on an opportunity (409 when it is closed, ended or full)",
    )
    def assign(
        opportunity_id: OpportunityId,
        principal: auth(Permission.DEVELOPMENT),  # type: ignore[valid-type]
        body: Annotated[Any, Depends(json_body(AssignRequest))],
        engine: EngineDep,
    ) -> Any:
        principal.ensure_employee(body.employee_id)
        a = engine.programme.assign(opportunity_id, body.employee_id, started_at=body.started_at)
        return Response(a.model_dump_json(), status_code=201, media_type="application/json")

    @r.post(
        "/v1/opportunities/{opportunity_id}/completions",
        status_code=201,
        response_model=Completion,
        operation_id="complete_opportunity",
        responses=CONFLICT,
        openapi_extra=body_openapi(CompleteRequest),
        summary="Record a completed opportunity: raises the person's skills (source 'opportunity')",
    )
    def complete(
        opportunity_id: OpportunityId,
        _: auth(Permission.ORG_WRITE),  # type: ignore[valid-type]
        body: Annotated[Any, Depends(json_body(CompleteRequest))],
        engine: EngineDep,
    ) -> Any:
        done = engine.programme.complete(opportunity_id, body.employee_id, completed_at=body.completed_at)
        return Response(done.model_dump_json(), status_code=201, media_type="application/json")

    @r.post(
        "/v1/mentorships",
        status_code=201,
        response_model=Mentorship,
        operation_id="start_mentorship",
        responses=CONFLICT,
        openapi_extra=body_openapi(MentorshipStart),
        summary="Record a mentorship that starts now (409 when the mentor has no free place)",
    )
    def start_mentorship(
        _: auth(Permission.ORG_WRITE),  # type: ignore[valid-type]
        body: Annotated[Any, Depends(json_body(MentorshipStart))],
        engine: EngineDep,
    ) -> Any:
        m = engine.programme.start_mentorship(
            body.mentor_id, body.mentee_id, role_id=body.role_id, skill_ids=body.skill_ids, started_at=body.started_at
        )
        return Response(m.model_dump_json(), status_code=201, media_type="application/json")

    @r.get(
        "/v1/analytics/mobility",
        response_model=MobilityReport,
        operation_id="mobility_analytics",
        summary="Headcount, moves, promotions, internal fill rate, deserts and hoarding signal by group",
    )
    def mobility(
        _: auth(Permission.PROGRAMME),
        engine: EngineDep,  # type: ignore[valid-type]
        since: Day = None,
        until: Day = None,
        by: By = "family",
        min_group_size: Annotated[int, Query(ge=1, le=1000)] = 8,
    ) -> Any:
        return model_json(
            engine.programme.mobility(
                since=_day(since, "since"), until=_day(until, "until"), by=by, min_group_size=min_group_size
            )
        )

    @r.get(
        "/v1/families/{family}/career-map",
        response_model=CareerMap,
        operation_id="family_career_map",
        summary="A family's roles by level and track, ladder steps and observed moves with counts",
    )
    def career_map(
        family: Family,
        _: auth(Permission.ROLES_READ),  # type: ignore[valid-type]
        engine: EngineDep,
        since: Day = None,
        until: Day = None,
    ) -> Any:
        return model_json(engine.programme.career_map(family, since=_day(since, "since"), until=_day(until, "until")))

    return r
