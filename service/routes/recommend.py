"""Employee-side questions: next roles, routes to a target role, learning plans."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from engine.results import LearningPlan, Recommendations, Routes
from service.auth import Permission
from service.body import body_openapi, json_body
from service.deps import DetailQuery, EngineDep, auth, check_limit, id_path, limit_query, model_json, result_json
from service.schemas import ID_PATTERN, Direction, RecommendByEmployee, RecommendByProfile
from service.settings import Settings

__all__ = ["router"]

EXAMPLE = {
    "employee_id": "E0042",
    "items": [{
        "role_id": "senior-data-engineer", "title": "Senior Data Engineer", "family": "data", "level": 3,
        "track": "ic", "move": "promotion", "score": 0.74, "readiness": "ready_soon", "coverage": 0.82,
        "gap_hours": 24.0, "est_months": 1.5,
        "matched_skills": [{"skill_id": "sql", "name": "SQL", "have": 4, "need": 4}],
        "gaps": [{"skill_id": "python", "name": "Python", "have": 3, "need": 4, "weight": 1.0, "hours": 24.0,
                  "learning": [{"id": "py-adv", "title": "Advanced Python", "hours": 24.0, "format": "course"}]}],
        "route": ["data-engineer", "senior-data-engineer"],
        "why": "Promotion on your ladder: you cover 82% of it; Python 3→4 is the gap (about 24 h).",
        "parts": {"coverage": 0.82, "cost": 0.7},
    }],
}
RECS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"example": EXAMPLE}}},
}


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["recommendations"])
    EmployeeId = id_path("employee_id", "employee")
    RoleId = id_path("role_id", "role")
    Limit = limit_query(settings)
    default_limit = min(10, settings.max_limit)

    @r.post("/v1/recommendations", response_model=Recommendations, responses=RECS_RESPONSES,
            openapi_extra=body_openapi(RecommendByEmployee, RecommendByProfile),
            summary="Next roles for an employee or an ad-hoc profile", operation_id="recommend")
    def recommend(
        principal: auth(Permission.RECOMMEND),  # type: ignore[valid-type]
        body: Annotated[Any, Depends(json_body(RecommendByEmployee | RecommendByProfile))],
        engine: EngineDep,
    ) -> Any:
        check_limit(settings, body.limit)
        if isinstance(body, RecommendByEmployee):
            principal.ensure_employee(body.employee_id)
            recs = engine.recommend(body.employee_id, limit=body.limit, direction=body.direction,
                                    include_step_down=body.include_step_down)
            return result_json(recs, body.detail)
        principal.ensure(Permission.RECOMMEND_PROFILE)
        recs = engine.recommend_profile(body.profile, limit=body.limit, direction=body.direction,
                                        include_step_down=body.include_step_down)
        return result_json(recs, body.detail)

    @r.get("/v1/employees/{employee_id}/recommendations", response_model=Recommendations,
           responses=RECS_RESPONSES, summary="Next roles for an employee", operation_id="employee_recommendations")
    def employee_recommendations(
        employee_id: EmployeeId, _: auth(Permission.RECOMMEND), engine: EngineDep,  # type: ignore[valid-type]
        limit: Limit = default_limit, direction: Direction = "any",  # type: ignore[valid-type]
        include_step_down: Annotated[bool, Query(description="also offer roles at a lower level")] = False,
        detail: DetailQuery = "compact",
    ) -> Any:
        return result_json(engine.recommend(employee_id, limit=limit, direction=direction,
                                            include_step_down=include_step_down), detail)

    @r.get("/v1/employees/{employee_id}/routes/{role_id}", response_model=Routes,
           summary="Cheapest upskilling routes to a target role", operation_id="employee_routes")
    def employee_routes(
        employee_id: EmployeeId, role_id: RoleId, _: auth(Permission.RECOMMEND),  # type: ignore[valid-type]
        engine: EngineDep, alternatives: Annotated[int, Query(ge=0, le=10)] = 3,
        detail: DetailQuery = "compact",
    ) -> Any:
        return result_json(engine.routes(employee_id, role_id, alternatives=alternatives), detail)

    @r.get("/v1/employees/{employee_id}/learning", response_model=LearningPlan,
           summary="Learning plan that closes the gaps to a role", operation_id="employee_learning")
    def employee_learning(
        employee_id: EmployeeId, _: auth(Permission.RECOMMEND), engine: EngineDep,  # type: ignore[valid-type]
        role_id: Annotated[str, Query(min_length=1, max_length=200, pattern=ID_PATTERN,
                                      examples=["senior-data-engineer"])],
    ) -> Any:
        return model_json(engine.learning(employee_id, role_id))

    return r
