"""The web app served under /app/ (server-rendered pages, every asset local).

Pages are Jinja2 templates (``templates/``) rendered from the engine facade
(``request.app.state.engine``), never over HTTP; htmx (vendored under ``static/vendor/``, see
:mod:`service.web.vendor`) swaps page fragments where JavaScript runs, and every page works
without it. Modules: :mod:`~service.web.session` (sessions, CSRF), :mod:`~service.web.render`
(the page pipeline), :mod:`~service.web.signin`, :mod:`~service.web.pages_employee`,
:mod:`~service.web.pages_recruiter` (with :mod:`~service.web.succession`),
:mod:`~service.web.pages_hr` (with :mod:`~service.web.mobility`), :mod:`~service.web.pages_audit`;
:mod:`~service.web.development` (mentors, opportunities), :mod:`~service.web.svgs` (inline charts).
"""

from pathlib import Path

from fastapi import APIRouter, Request, Response
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from service.settings import Settings

__all__ = ["STATIC_DIR", "router"]

STATIC_DIR = Path(__file__).resolve().parent / "static"


def router(settings: Settings) -> APIRouter:
    from service.web import pages_audit, pages_employee, pages_hr, pages_recruiter, signin
    from service.web.render import CSP, secure_headers

    r = APIRouter(include_in_schema=False)
    static = StaticFiles(directory=STATIC_DIR)

    @r.api_route("/app/static/{path:path}", methods=["GET", "HEAD"])
    async def asset(request: Request, path: str) -> Response:
        """Vendored and own scripts, styles and licences (cached for a day; revalidated by ETag)."""
        try:
            response = await static.get_response(path, request.scope)
        except HTTPException as exc:
            if exc.status_code == 404:
                raise HTTPException(404, f"no such asset: {path}") from None
            raise
        response.headers["Cache-Control"] = "public, max-age=86400"
        return secure_headers(response, csp=CSP, store=True)

    for module in (signin, pages_employee, pages_recruiter, pages_hr, pages_audit):
        r.include_router(module.router())
    return r
