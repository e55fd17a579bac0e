"""Free text -> catalog skills / roles, with scores."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from service.auth import Permission
from service.body import body_openapi, json_body
from service.deps import EngineDep, auth
from service.schemas import ResolveResult, ResolveRolesRequest, ResolveSkillsRequest
from service.settings import Settings

__all__ = ["router"]


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["resolve"])

    @r.post("/v1/resolve/skills", response_model=ResolveResult, summary="Resolve free-text skills",
            operation_id="resolve_skills", openapi_extra=body_openapi(ResolveSkillsRequest))
    def resolve_skills(_: auth(Permission.RESOLVE),  # type: ignore[valid-type]
                       body: Annotated[Any, Depends(json_body(ResolveSkillsRequest))], engine: EngineDep) -> Any:
        found = engine.resolve_skills(body.texts, k=body.k)
        return {"results": [{"text": t, "matches": m} for t, m in zip(body.texts, found, strict=True)]}

    @r.post("/v1/resolve/roles", response_model=ResolveResult, summary="Resolve free-text job titles",
            operation_id="resolve_roles", openapi_extra=body_openapi(ResolveRolesRequest))
    def resolve_roles(_: auth(Permission.RESOLVE),  # type: ignore[valid-type]
                      body: Annotated[Any, Depends(json_body(ResolveRolesRequest))], engine: EngineDep) -> Any:
        found = engine.resolve_titles(body.titles, k=body.k)
        return {"results": [{"text": t, "matches": m} for t, m in zip(body.titles, found, strict=True)]}

    return r
