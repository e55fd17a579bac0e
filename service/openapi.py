"""The OpenAPI document (FastAPI's, plus the problem+json error responses every operation can give)
and its two viewers, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served from the app's own
vendored assets (:mod:`service.web.vendor`): they work with no network at all."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse

from service.body import component_schemas
from service.problems import PROBLEM_MEDIA_TYPE, Problem
from service.schemas import BODY_MODELS

__all__ = ["install_openapi"]

_DESCRIPTIONS = {
    400: "malformed request body (not decodable)",
    401: "missing, invalid or revoked API key",
    403: "the key's role may not do this, or it names another employee",
    404: "no such record",
    409: "conflicts with the stored data (unknown references, record still referenced)",
    413: "request body too large",
    415: "unsupported media type",
    422: "invalid input (validation errors, limits, unknown fields)",
    429: "rate limit exceeded (see Retry-After)",
    500: "internal error (generic; details only in the server log)",
    503: "not ready (indexes not loaded) or the store is unavailable",
}
_WRITE_IDS = {"import_records", "create_key"}
_BODY_REFERENCES = {"recommend"}  # bodies naming an employee / role that may not exist


def _statuses(path: str, method: str, op: dict[str, Any]) -> set[int]:
    out = {500}
    if op.get("security"):
        out |= {401, 403, 429}
    if "{" in path or op.get("operationId") in _BODY_REFERENCES:
        out.add(404)
    if op.get("parameters") or op.get("requestBody"):
        out.add(422)
    if op.get("requestBody"):
        out |= {400, 413}
    if path.startswith("/v1/") or path == "/readyz":
        out.add(503)
    if method in ("put", "delete") or op.get("operationId") in _WRITE_IDS:
        out.add(409)
    if op.get("requestBody"):
        out.add(415)
    return out


def build_openapi(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                      tags=app.openapi_tags)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    schemas.update(component_schemas(BODY_MODELS))
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            responses = op.setdefault("responses", {})
            for status in sorted(_statuses(path, method, op)):
                responses[str(status)] = {
                    "description": _DESCRIPTIONS[status],
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": ref}},
                }
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return doc


VENDOR = "/app/static/vendor"
# The viewers build their pages with injected styles (and ReDoc with a blob: worker), so their CSP
# allows inline styles; scripts stay self-only (the init code is a file, not an inline script).
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'none'")
_DOCS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="icon" href="/app/static/favicon.svg" type="image/svg+xml">{head}</head>
<body>{body}</body></html>"""


def _viewer(title: str, head: str, body: str) -> HTMLResponse:
    page = HTMLResponse(_DOCS.format(title=title, head=head, body=body))
    page.headers["Content-Security-Policy"] = DOCS_CSP
    page.headers["X-Content-Type-Options"] = "nosniff"
    return page


def install_docs(app: FastAPI) -> None:
    """``/docs`` and ``/redoc`` from local assets (FastAPI's defaults load them from a CDN)."""

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _viewer(
            f"{app.title}: API docs",
            f'<link rel="stylesheet" href="{VENDOR}/swagger-ui/swagger-ui.css">',
            f'<div id="swagger-ui" data-spec-url="/openapi.json"></div>'
            f'<script src="{VENDOR}/swagger-ui/swagger-ui-bundle.js"></script>'
            f'<script src="/app/static/docs.js"></script>',
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _viewer(
            f"{app.title}: API reference",
            "",
            f'<div id="redoc" data-spec-url="/openapi.json"></div>'
            f'<script src="{VENDOR}/redoc/redoc.standalone.js"></script>'
            f'<script src="/app/static/redoc.js"></script>',
        )


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    install_docs(app)
