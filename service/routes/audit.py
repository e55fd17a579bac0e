"""The audit over HTTP: decision log, impact ratios, advancement disparities, protected attributes,
and recruiters' overrides of shortlists.

Auditors (and admins) read everything under ``/v1/audit`` and ``/v1/employees/{id}/protected``;
each read of protected attributes is itself logged. Overrides are recorded by recruiters, hr and
admins (``shortlist:override``).
"""

# No `from __future__ import annotations` here: FastAPI must see the closure-built types.

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from service.auth import Permission
from service.body import json_body
from service.deps import EngineDep, auth, id_path, limit_query
from service.routes.records import CURSOR, decode_cursor, encode_cursor
from service.schemas import ID_PATTERN
from service.settings import Settings

__all__ = ["OverrideIn", "router"]

Category = Literal["sex", "race_ethnicity", "intersectional"]
Format = Literal["json", "csv"]
When = Annotated[str | None, Query(max_length=40, description="date (YYYY-MM-DD) or ISO date-time",
                                   examples=["2025-01-01"])]
Until = Annotated[str | None, Query(max_length=40, description="date (the whole day is included) or ISO date-time",
                                    examples=["2025-12-31"])]


class ImpactRow(BaseModel):
    group: str
    pool: int
    selected: int
    selection_rate: float
    impact_ratio: float | None
    flag: bool
    small: bool = Field(description="under 2% of the known pool: reported, never the reference group")
    p_value: float | None = Field(None, description="Fisher's exact test against the reference group (two-sided)")


class ImpactOut(BaseModel):
    kind: str
    category: str
    since: str | None
    until: str | None
    decisions: int = Field(description="logged answers of this kind in the window")
    rows: list[ImpactRow]
    unknown: int = Field(description="assessed units whose category is unknown (left out of the rates)")
    small_groups: list[str]
    reference_group: str | None = Field(None, description="the most selected group (the ratios' denominator)")
    pool_total: int = 0
    after_overrides: dict[str, Any] | None = Field(None, description="shortlists: the same table after overrides")
    overrides: dict[str, Any] | None = Field(None, description="shortlists: override counts by group")
    scoring: dict[str, Any] | None = Field(None, description="recommendations: LL144 scoring rates")
    definitions: dict[str, str] = Field(default_factory=dict)


class DecisionPage(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


class ProtectedOut(BaseModel):
    employee_id: str
    sex: str | None
    race_ethnicity: str | None
    age_band: str | None


class OverrideIn(BaseModel):
    """A recruiter's change to a logged shortlist, with the reason for it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"action": "add", "employee_id": "E0042", "position": 3,
         "reason": "led the platform migration; skills profile is out of date"}]})
    action: Literal["add", "remove", "reorder"]
    employee_id: str = Field(min_length=1, max_length=200, pattern=ID_PATTERN)
    reason: str = Field(min_length=3, max_length=2000, pattern=r"\S")
    position: int | None = Field(None, ge=1, le=1000, description="1-based place after the change (add, reorder)")
    decision_id: int | None = Field(None, ge=1, description="the shortlist answer (X-Decision-ID); default latest")


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _after(cursor: str | None) -> int | None:
    raw = decode_cursor(cursor)
    if raw is None:
        return None
    if not raw.isdigit():
        from engine.errors import InvalidInput

        raise InvalidInput("invalid cursor")
    return int(raw)


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["audit"])
    Limit = limit_query(settings)
    EmployeeId = id_path("employee_id", "employee")
    RoleId = id_path("role_id", "role")
    page_size = min(50, settings.max_limit)
    example = OverrideIn.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]
    override_body = {"requestBody": {"required": True, "content": {"application/json": {
        "schema": OverrideIn.model_json_schema(), "example": example}}}}

    @r.get("/v1/audit/impact", response_model=ImpactOut, operation_id="audit_impact",
           summary="Selection rates and impact ratios by group (NYC LL144 method)",
           responses={200: {"content": {"text/csv": {}}}})
    def impact(
        _: auth(Permission.AUDIT), engine: EngineDep,  # type: ignore[valid-type]
        kind: Literal["shortlist", "recommendation"], category: Category,
        since: When = None, until: Until = None, format: Format = "json",
        role_id: Annotated[str | None, Query(min_length=1, max_length=200, pattern=ID_PATTERN,
                                             description="shortlists of this role only")] = None,
    ) -> Any:
        rep = engine.audit.impact(kind=kind, category=category, since=since, until=until, role_id=role_id)
        if format == "csv":
            from engine.audit.report import impact_csv

            return _csv(impact_csv([rep]), f"impact-{kind}-{category}")
        return JSONResponse(rep)

    @r.get("/v1/audit/decisions", response_model=DecisionPage, operation_id="audit_decisions",
           summary="The decision log: every recommendation and shortlist answer, oldest first")
    def decisions(
        _: auth(Permission.AUDIT), engine: EngineDep,  # type: ignore[valid-type]
        since: When = None, until: Until = None,
        kind: Literal["recommendation", "shortlist", "succession"] | None = None,
        cursor: Annotated[str | None, CURSOR] = None, limit: Limit = page_size,  # type: ignore[valid-type]
    ) -> Any:
        items, nxt = engine.audit.decisions(since=since, until=until, kind=kind, after=_after(cursor), limit=limit)
        return JSONResponse({"items": items, "next_cursor": encode_cursor(str(nxt)) if nxt is not None else None})

    @r.get("/v1/audit/disparities", operation_id="audit_disparities",
           summary="Advancement disparities: promotion and lateral-move rates by group and family",
           responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
    def disparities(
        _: auth(Permission.AUDIT), engine: EngineDep,  # type: ignore[valid-type]
        category: Category, since: When = None, until: Until = None,
        min_group: Annotated[int | None, Query(ge=1, le=10_000, description="suppress smaller groups (10)")] = None,
        format: Format = "json",
    ) -> Any:
        rep = engine.audit.disparities(category=category, since=since, until=until, min_group=min_group)
        if format == "csv":
            from engine.audit.report import disparity_csv

            return _csv(disparity_csv(rep), f"disparities-{category}")
        return JSONResponse(rep)

    @r.get("/v1/audit/report", response_class=HTMLResponse, operation_id="audit_report",
           summary="The bias-audit report as a printable, self-contained HTML page with charts")
    def report(
        _: auth(Permission.AUDIT), engine: EngineDep,  # type: ignore[valid-type]
        since: When = None, until: Until = None,
    ) -> Any:
        from engine.audit.report import html_report

        return HTMLResponse(html_report(engine.audit, since=since, until=until))

    @r.get("/v1/audit/protected-reads", response_model=DecisionPage, operation_id="audit_protected_reads",
           summary="Who read protected attributes, when, and how many people's")
    def protected_reads(
        _: auth(Permission.AUDIT), engine: EngineDep,  # type: ignore[valid-type]
        since: When = None, until: Until = None,
        cursor: Annotated[str | None, CURSOR] = None, limit: Limit = page_size,  # type: ignore[valid-type]
    ) -> Any:
        items, nxt = engine.audit.protected_reads(since=since, until=until, after=_after(cursor), limit=limit)
        return JSONResponse({"items": items, "next_cursor": encode_cursor(str(nxt)) if nxt is not None else None})

    @r.get("/v1/audit/overrides", operation_id="audit_overrides",
           summary="Recorded human overrides of shortlists (all roles, or one)")
    def audit_overrides(
        _: auth(Permission.AUDIT), engine: EngineDep,  # type: ignore[valid-type]
        role_id: Annotated[str | None, Query(min_length=1, max_length=200, pattern=ID_PATTERN)] = None,
    ) -> Any:
        return JSONResponse(engine.audit.overrides(role_id))

    @r.get("/v1/employees/{employee_id}/protected", response_model=ProtectedOut, operation_id="get_protected",
           summary="An employee's protected attributes (admin, auditor; every read is logged)", tags=["audit"])
    def protected(
        employee_id: EmployeeId, _: auth(Permission.PROTECTED_READ), engine: EngineDep,  # type: ignore[valid-type]
    ) -> Any:
        return JSONResponse(engine.audit.protected(employee_id))

    conflict = {409: {"description": "no shortlist logged for the role yet, or the change does not fit the list "
                                     "it names (already on it / not on it)",
                      "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}

    @r.post("/v1/roles/{role_id}/candidates/overrides", status_code=201, operation_id="override_shortlist",
            summary="Record a human override of a shortlist: add, remove or move someone, with a reason",
            openapi_extra=override_body, tags=["talent"], responses=conflict)
    def override(
        role_id: RoleId, _: auth(Permission.OVERRIDE), engine: EngineDep,  # type: ignore[valid-type]
        body: Annotated[Any, Depends(json_body(OverrideIn))],
    ) -> Any:
        out = engine.audit.record_override(role_id, action=body.action, employee_id=body.employee_id,
                                           reason=body.reason, position=body.position, decision_id=body.decision_id)
        return JSONResponse(out, status_code=201)

    @r.get("/v1/roles/{role_id}/candidates/overrides", operation_id="list_shortlist_overrides",
           summary="Overrides of a role's shortlists and the latest shortlist as overridden", tags=["talent"])
    def overrides(
        role_id: RoleId, _: auth(Permission.OVERRIDE), engine: EngineDep,  # type: ignore[valid-type]
    ) -> Any:
        from engine.errors import RoleNotFound

        if not engine.store.exists("role", role_id):
            raise RoleNotFound(role_id)
        return JSONResponse(engine.audit.overrides(role_id))

    return r
