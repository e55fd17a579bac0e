"""RFC 9457 problem details: one model, one renderer, the exception handlers that use them."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse
from starlette.types import Scope

from engine.errors import SkillgraphError

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "ApiError",
    "Forbidden",
    "Problem",
    "RateLimited",
    "Unauthorized",
    "install_handlers",
    "problem_response",
    "route_of",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("skillgraph.errors")


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:skillgraph:problem:not-found",
                    "title": "Not found",
                    "status": 404,
                    "detail": "employee 'E0042' not found",
                    "instance": "urn:request:5f0c2a9e4b7d4c1e",
                }
            ]
        }
    )
    type: str = Field(description="URI naming the problem type")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str = Field(description="urn:request:<request id> (also in the X-Request-ID header)")
    errors: list[FieldError] | None = Field(None, description="per-field validation errors (422 only)")


class ApiError(Exception):
    """An HTTP error raised by the service layer itself (auth, limits, bad media type)."""

    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class Unauthorized(ApiError):
    status, title, slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="skillgraph"'})


class Forbidden(ApiError):
    status, title, slug = 403, "Forbidden", "forbidden"


class RateLimited(ApiError):
    status, title, slug = 429, "Too many requests", "rate-limited"


class UnsupportedMediaType(ApiError):
    status, title, slug = 415, "Unsupported media type", "unsupported-media-type"


class PayloadTooLarge(ApiError):
    status, title, slug = 413, "Payload too large", "payload-too-large"


_SLUGS = {
    400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
    409: "conflict", 413: "payload-too-large", 415: "unsupported-media-type", 422: "invalid-input",
    429: "rate-limited", 431: "headers-too-large", 500: "internal-error", 503: "unavailable",
}


def route_of(scope: Scope) -> str:
    """The route template of a request (never the path itself: paths name employees)."""
    return getattr(scope.get("route"), "path", None) or "<unmatched>"


def request_id_of(scope: Scope) -> str:
    state = scope.get("state") or {}
    return str(state.get("request_id", "-"))


def problem_body(
    status: int, detail: str, *, request_id: str, title: str | None = None, slug: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"urn:skillgraph:problem:{slug or _SLUGS.get(status, 'error')}",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": f"urn:request:{request_id}",
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(
    request_or_scope: Request | Scope, status: int, detail: str, *, title: str | None = None,
    slug: str | None = None, headers: dict[str, str] | None = None, errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    scope = request_or_scope.scope if isinstance(request_or_scope, Request) else request_or_scope
    body = problem_body(status, detail, request_id=request_id_of(scope), title=title, slug=slug, errors=errors)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


# -- handlers ---------------------------------------------------------------------------------------
def _allowed_methods(request: Request) -> list[str]:
    """Every method any route serves at this path (FastAPI makes one route per method)."""
    path = request.scope.get("path", "")
    methods: set[str] = set()
    for regex, route_methods in getattr(request.app.state, "route_methods", ()):
        if regex.match(path):
            methods.update(route_methods)
    if "GET" in methods:
        methods.add("HEAD")  # service.middleware.HeadMiddleware serves HEAD on every GET route
    return sorted(methods)


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    status = exc.status_code
    if status == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
        method = "HEAD" if (request.scope.get("state") or {}).get("head") else request.method
        detail = f"{method} is not allowed here; allowed: {headers['Allow']}"
    elif status == 404 and exc.detail == HTTPStatus(404).phrase:
        detail = f"no such path: {request.url.path}"
    else:
        detail = str(exc.detail)
    return problem_response(request, status, detail, headers=headers)


def _clean_loc(loc: Any) -> list[str | int]:
    return [p if isinstance(p, int) else str(p) for p in loc]


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Never echo the input back: it may hold protected attributes or other personal data.
    errors = [
        {"loc": _clean_loc(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors()[:20]
    ]
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(str(p) for p in first["loc"])
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    detail = f"{where}: {first['msg']}{more}" if where else f"{first['msg']}{more}"
    return problem_response(request, 422, detail, title="Invalid input", slug="invalid-input", errors=errors)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return problem_response(request, exc.status, exc.detail, title=exc.title, slug=exc.slug, headers=exc.headers)


async def _engine_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SkillgraphError)
    status = exc.status if 400 <= exc.status <= 599 else 500
    if status >= 500 and status != 503:
        # Configuration and internal errors may name paths or URLs: log them, answer generically.
        log.error("engine error on %s %s: %s", request.method, route_of(request.scope), exc)
        return problem_response(request, 500, "internal error; the server log has details")
    return problem_response(request, status, str(exc), title=exc.title)


async def _store_down(request: Request, exc: Exception) -> JSONResponse:
    log.error("store unavailable on %s %s: %s", request.method, route_of(request.scope), type(exc).__name__)
    return problem_response(request, 503, "the store is unavailable; retry later", title="Unavailable",
                            headers={"Retry-After": "5"})


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(SkillgraphError, _engine_error)
    app.add_exception_handler(OperationalError, _store_down)
