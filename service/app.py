"""The HTTP app: ``create_app(settings, engine=...)`` builds everything; nothing happens at import.

Routes are thin (parse, call the engine facade, map the result); errors become problem+json in
:mod:`service.problems`; the engine's indexes are loaded in the lifespan, never at import.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from engine.api import Skillgraph
from service import web
from service.audit_context import AuditContextMiddleware
from service.auth import Authenticator
from service.jobs import IndexJobs
from service.keys import KeyStore
from service.metrics import Metrics
from service.middleware import BodyLimitMiddleware, HeadMiddleware, RequestContextMiddleware, SecurityHeadersMiddleware
from service.openapi import install_openapi
from service.problems import install_handlers
from service.ratelimit import RateLimiter
from service.routes import audit, health, imports, index, keys, programme, recommend, records, resolve, talent
from service.settings import Settings

__all__ = ["create_app"]

log = logging.getLogger("skillgraph.service")

DESCRIPTION = """Skills-graph recommendations for internal mobility.

Authenticate with `Authorization: Bearer <key>` (create keys with `skillgraph keys create`).
Every error is `application/problem+json` (RFC 9457); its `instance` is `urn:request:<X-Request-ID>`.
"""
TAGS = [
    {"name": "recommendations", "description": "next roles, routes and learning plans for employees"},
    {"name": "talent", "description": "internal shortlists and similar roles"},
    {"name": "resolve", "description": "free text to catalog skills and roles"},
    {"name": "sync", "description": "bulk import"},
    {"name": "skills"}, {"name": "roles"}, {"name": "employees"}, {"name": "learning items"},
    {"name": "openings"}, {"name": "opportunities"}, {"name": "assignments"}, {"name": "mentorships"},
    {"name": "index", "description": "derived indexes"},
    {"name": "programme", "description": "succession, mentors, opportunities, mobility analytics"},
    {"name": "audit", "description": "decision log, impact audit, advancement disparities (admin, auditor)"},
    {"name": "keys", "description": "API keys (admin)"},
    {"name": "operations", "description": "health, readiness, metrics"},
]


def _load(engine: Skillgraph, settings: Settings, metrics: Metrics) -> None:
    engine.init()
    if settings.load_on_startup and not engine.ready:
        try:
            engine.load()
        except Exception:  # the app still starts; /readyz says 503 until an index rebuild succeeds
            log.exception("loading the indexes failed; serving without them")
    metrics.index_ready.set(1 if engine.ready else 0)


def create_app(settings: Settings | None = None, *, engine: Skillgraph | None = None) -> FastAPI:
    """The ASGI app over one engine (built from ``settings`` unless given)."""
    settings = settings or Settings()
    sg = engine if engine is not None else Skillgraph(settings.to_config())
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_load, sg, settings, metrics)
        yield
        app.state.jobs.wait(timeout=30)

    app = FastAPI(title="skillgraph", version="1.0.0", description=DESCRIPTION, openapi_tags=TAGS, lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # offline /docs and /redoc: service.openapi
    app.state.settings = settings
    app.state.engine = sg
    app.state.metrics = metrics
    app.state.keys = KeyStore(sg.store)
    limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    anonymous = RateLimiter(settings.anonymous_rate_limit_per_minute)  # no / bad key: per client address
    app.state.auth = Authenticator(
        app.state.keys, limiter, anonymous, data_version=lambda: sg.loaded_version
    )
    app.state.jobs = IndexJobs(
        sg, on_done=lambda ok: (metrics.rebuilds.labels("ok" if ok else "failed").inc(),
                                metrics.index_ready.set(1 if sg.ready else 0))
    )
    route_methods = []
    for module in (health, records, imports, recommend, talent, resolve, index, keys, programme, audit, web):
        router = module.router(settings)
        route_methods += [(r.path_regex, set(r.methods)) for r in router.routes if isinstance(r, APIRoute)]
        app.include_router(router)
    app.state.route_methods = route_methods  # for the Allow header of 405 answers
    install_handlers(app)
    install_openapi(app)

    def body_limit(scope: Scope) -> int:
        return settings.max_import_bytes if scope.get("path") == "/v1/import" else settings.max_body_bytes

    app.add_middleware(AuditContextMiddleware)  # innermost: sees the request id set outside it
    app.add_middleware(BodyLimitMiddleware, limit_for=body_limit)
    app.add_middleware(HeadMiddleware)
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: its headers go on every answer, 500s too
    return app
