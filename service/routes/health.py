"""Operations: liveness, readiness, Prometheus metrics (no auth)."""

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from service.metrics import CONTENT_TYPE
from service.problems import problem_response
from service.schemas import Status
from service.settings import Settings

__all__ = ["router"]


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["operations"])

    @r.get("/healthz", response_model=Status, summary="Liveness", operation_id="healthz",
           responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}})
    def healthz() -> Any:
        return {"status": "ok"}

    @r.get("/readyz", response_model=Status, summary="Readiness: store reachable and indexes loaded",
           operation_id="readyz")
    async def readyz(request: Request) -> Any:
        engine = request.app.state.engine
        store_ok = await run_in_threadpool(engine.store.ping)
        if not store_ok:
            return problem_response(request, 503, "the store is unreachable", title="Not ready",
                                    headers={"Retry-After": "5"})
        if not engine.ready:
            return problem_response(request, 503, "the indexes are not loaded yet", title="Not ready",
                                    headers={"Retry-After": "5"})
        return {"status": "ready"}

    @r.get("/metrics", summary="Prometheus metrics", operation_id="metrics", response_class=Response,
           responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "metrics"}})
    def metrics(request: Request) -> Response:
        m = request.app.state.metrics
        m.index_ready.set(1 if request.app.state.engine.ready else 0)
        return Response(m.render(), media_type=CONTENT_TYPE)

    return r
