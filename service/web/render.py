"""How every page is answered: session, permission, engine call, template, headers.

A page handler hands :func:`page` the permission it needs and a ``build(ctx)`` that returns
``(template, context)``; :func:`page` does the rest the same way for every page:

- no live session -> 303 to the sign-in page (``next`` = this page);
- the key lacks the permission, or an employee key names another employee -> a 403 page;
- engine errors -> an HTML page with the error's status (404 unknown role, 503 not indexed yet);
- a strict Content-Security-Policy (self only, no inline script or style), ``no-store`` caching
  (pages show personal data) and ``Server-Timing`` with the time the page took to build.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from engine.api import Skillgraph
from engine.errors import SkillgraphError
from service.audit_context import bind_principal
from service.auth import Permission, Principal
from service.problems import ApiError
from service.web import labels
from service.web.session import COOKIE, WebSession, WebSessions

__all__ = ["CSP", "Built", "Ctx", "error_page", "page", "secure_headers", "sessions", "templates"]

log = logging.getLogger("skillgraph.web")

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

Built = tuple[str, dict[str, Any]] | Response


@cache
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.globals.update(labels.GLOBALS)
    t.env.filters.update(labels.FILTERS)
    return t


def sessions(request: Request) -> WebSessions:
    state = request.app.state
    if not hasattr(state, "web_sessions"):
        hours = getattr(state.settings, "web_session_hours", 8.0)
        state.web_sessions = WebSessions(state.engine.store, hours=hours)
    return state.web_sessions  # type: ignore[no-any-return]


@dataclass
class Ctx:
    """What a page builder gets: the request, the signed-in session and the engine."""

    request: Request
    session: WebSession
    engine: Skillgraph

    @property
    def principal(self) -> Principal:
        return self.session.principal

    def can(self, permission: Permission) -> bool:
        return self.principal.can(permission)


def secure_headers(response: Response, *, csp: str = CSP, store: bool = False) -> Response:
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if not store:
        response.headers["Cache-Control"] = "no-store"
    return response


def nav(principal: Principal | None) -> list[dict[str, str]]:
    """The sections a key may open, in the order of the menu."""
    if principal is None:
        return []
    items = []
    if principal.role == "employee" and principal.employee_id:
        items.append({"href": "/app/me", "label": "My career"})
    if principal.can(Permission.SHORTLIST):
        items.append({"href": "/app/roles", "label": "Roles"})
    if principal.can(Permission.ORG_READ) and principal.can(Permission.RECOMMEND):
        items.append({"href": "/app/people", "label": "People"})
    if principal.can(Permission.PROGRAMME):
        items.append({"href": "/app/analytics", "label": "Analytics"})
    if principal.can(Permission.AUDIT):
        items.append({"href": "/app/audit", "label": "Audit"})
    return items


def landing(principal: Principal) -> str:
    """Where a key lands after sign-in."""
    if principal.role == "employee":
        return "/app/me"
    if principal.can(Permission.SHORTLIST) and principal.role != "admin":
        return "/app/roles"
    if principal.can(Permission.PROGRAMME):
        return "/app/analytics"
    if principal.can(Permission.AUDIT):
        return "/app/audit"
    return "/app/"


def render(request: Request, name: str, context: Mapping[str, Any], *, session: WebSession | None,
           status: int = 200, started: float | None = None) -> Response:
    principal = session.principal if session else None
    ctx = {"request": request, "session": session, "principal": principal, "nav": nav(principal),
           "csrf": session.csrf if session else "", "path": request.url.path, **context}
    response = templates().TemplateResponse(request, name, ctx, status_code=status)
    if started is not None:
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    return secure_headers(response)


def error_page(request: Request, status: int, message: str, *, session: WebSession | None = None,
               title: str | None = None) -> Response:
    titles = {403: "Not allowed", 404: "Not found", 422: "Check the request", 429: "Too many requests",
              503: "Not ready yet"}
    context = {"status": status, "title": title or titles.get(status, "Something went wrong"), "message": message}
    return render(request, "error.html", context, session=session, status=status)


def signin_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return secure_headers(RedirectResponse(f"/app/?next={quote(target, safe='')}", status_code=303))


def current_session(request: Request) -> WebSession | None:
    return sessions(request).lookup(request.cookies.get(COOKIE))


def page(request: Request, permission: Permission | None, build: Callable[[Ctx], Built], *,
         employee_id: str | None = None) -> Response:
    """Answer one page (see the module docstring). Runs in the threadpool: handlers are sync."""
    started = time.perf_counter()
    session = current_session(request)
    if session is None:
        return signin_redirect(request)
    principal = session.principal
    try:
        request.app.state.auth.throttle(principal)
        bind_principal(request, principal)  # the decision log records which key asked, as for the API
        if permission is not None and not principal.can(permission):
            return error_page(request, 403, f"A {principal.role} key cannot open this page (it needs the "
                                            f"“{permission.value}” permission).", session=session)
        if employee_id is not None and principal.role == "employee" and employee_id != principal.employee_id:
            return error_page(request, 403, "This is another person's career page: an employee key opens only "
                                            "its own (My career).", session=session)
        built = build(Ctx(request, session, request.app.state.engine))
    except ApiError as exc:
        response = error_page(request, exc.status, exc.detail, session=session)
        for k, v in (exc.headers or {}).items():
            response.headers[k] = v
        return response
    except SkillgraphError as exc:
        status = exc.status if 400 <= exc.status <= 599 else 500
        if status >= 500 and status != 503:
            log.error("engine error on page %s: %s", request.url.path, exc)
            return error_page(request, 500, "Internal error; the server log has details.", session=session)
        if status == 503:
            return error_page(request, 503, "The indexes are not built yet: ask an administrator to run "
                                            "`skillgraph index`, then reload this page.", session=session)
        return error_page(request, status, str(exc), session=session)
    if isinstance(built, Response):
        return secure_headers(built)
    name, context = built
    return render(request, name, context, session=session, started=started)


def html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status)
