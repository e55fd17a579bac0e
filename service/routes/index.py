"""Index status and background rebuilds."""

from typing import Any

from fastapi import APIRouter, Request

from service.auth import Permission
from service.deps import EngineDep, auth
from service.schemas import IndexStatus, RebuildJob
from service.settings import Settings

__all__ = ["router"]


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["index"])

    @r.post("/v1/index/rebuild", status_code=202, response_model=RebuildJob,
            summary="Rebuild the indexes in the background", operation_id="rebuild_index",
            description="Answers at once; poll GET /v1/index/status. A rebuild already running is not restarted.")
    def rebuild(request: Request, _: auth(Permission.INDEX_WRITE)) -> Any:  # type: ignore[valid-type]
        return request.app.state.jobs.start()

    @r.get("/v1/index/status", response_model=IndexStatus, summary="Index state and the last rebuild",
           operation_id="index_status")
    def status(request: Request, _: auth(Permission.INDEX_READ), engine: EngineDep) -> Any:  # type: ignore[valid-type]
        st = engine.index_status()
        return {**st, "counts": st.get("counts") or {}, "rebuild": request.app.state.jobs.status()}

    return r
