"""Recruiter-side questions: internal shortlists and similar roles."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from engine.results import Candidates
from service.auth import Permission
from service.deps import DetailQuery, EngineDep, auth, id_path, limit_query, result_json
from service.schemas import SimilarRoles
from service.settings import Settings

__all__ = ["router"]

ReadinessQ = Annotated[
    str | None,
    Query(pattern=r"^(ready_now|ready_soon|stretch|long_term)$",
          description="lowest readiness to include: ready_now < ready_soon < stretch < long_term"),
]

StepDownQ = Annotated[bool, Query(description="also list people for whom the role is a step down (after the rest)")]
MovesQ = Annotated[
    str | None,
    Query(max_length=100, pattern=r"^[a-z_,]*$",
          description="comma-separated move kinds to keep: promotion, lateral, cross_family, other_track, step_down"),
]
CursorQ = Annotated[str | None, Query(max_length=64, description="next_cursor of the previous page")]


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["talent"])
    RoleId = id_path("role_id", "role")
    Limit = limit_query(settings)
    shortlist_size, similar_size = min(20, settings.max_limit), min(10, settings.max_limit)

    @r.get("/v1/roles/{role_id}/candidates", response_model=Candidates,
           summary="Internal candidate shortlist for a role", operation_id="role_candidates")
    def candidates(
        role_id: RoleId, _: auth(Permission.SHORTLIST), engine: EngineDep,  # type: ignore[valid-type]
        limit: Limit = shortlist_size, min_readiness: ReadinessQ = None,  # type: ignore[valid-type]
        include_step_down: StepDownQ = False, moves: MovesQ = None, cursor: CursorQ = None,
        detail: DetailQuery = "compact",
    ) -> Any:
        wanted = [m for m in moves.split(",") if m.strip()] if moves else None
        return result_json(engine.candidates(role_id, limit=limit, min_readiness=min_readiness,
                                             include_step_down=include_step_down, moves=wanted, cursor=cursor), detail)

    @r.get("/v1/roles/{role_id}/similar", response_model=SimilarRoles,
           summary="Roles most similar to a role", operation_id="similar_roles")
    def similar(
        role_id: RoleId, _: auth(Permission.SIMILAR), engine: EngineDep,  # type: ignore[valid-type]
        limit: Limit = similar_size,  # type: ignore[valid-type]
    ) -> Any:
        return {"role_id": role_id, "items": engine.similar_roles(role_id, limit=limit)}

    return r
