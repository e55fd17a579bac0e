"""Sign-in (``GET/POST /app/``, ``/app/sign-in``) and sign-out (``POST /app/sign-out``)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from service.problems import ApiError
from service.web.render import current_session, error_page, landing, render, secure_headers, sessions
from service.web.session import COOKIE, SIGNIN_COOKIE, clear_cookie, csrf_ok, same_origin, set_cookie

__all__ = ["router"]

SIGNIN_TTL = 3600


def _local(next_url: str) -> str | None:
    """Only pages of this app are followed after sign-in (no open redirect)."""
    if next_url.startswith("/app/") and not next_url.startswith("//") and "\\" not in next_url:
        return next_url
    return None


def _signin_form(request: Request, *, next_url: str, error: str | None = None, status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "signin.html", {"signin_csrf": token, "next": next_url, "error": error},
                      session=None, status=status)
    set_cookie(response, request, SIGNIN_COOKIE, token, max_age=SIGNIN_TTL, samesite="strict")
    return response


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app")
    def app_root() -> Response:
        return secure_headers(RedirectResponse("/app/", status_code=308))

    @r.get("/app/")
    def start(request: Request, next: str = "") -> Response:
        session = current_session(request)
        if session is not None:
            return secure_headers(RedirectResponse(_local(next) or landing(session.principal), status_code=303))
        return _signin_form(request, next_url=_local(next) or "")

    @r.post("/app/sign-in")
    async def sign_in(
        request: Request,
        key: Annotated[str, Form(max_length=500)] = "",
        csrf: Annotated[str, Form(max_length=200)] = "",
        next: Annotated[str, Form(max_length=2000)] = "",
    ) -> Response:
        next_url = _local(next) or ""
        if not same_origin(request) or not csrf_ok(request.cookies.get(SIGNIN_COOKIE), csrf):
            return _signin_form(request, next_url=next_url, status=403,
                                error="The sign-in form expired or came from another site. Please try again.")
        auth = request.app.state.auth
        client = request.client.host if request.client else "-"
        wait = auth.limiter.hit(f"web-sign-in:{client}")
        if wait > 0:
            response = _signin_form(request, next_url=next_url, status=429,
                                    error=f"Too many sign-in attempts; wait {auth.limiter.retry_after(wait)} s.")
            response.headers["Retry-After"] = auth.limiter.retry_after(wait)
            return response
        try:
            principal = await run_in_threadpool(auth.authenticate, key.strip())
        except ApiError:
            return _signin_form(request, next_url=next_url, status=401,
                                error="That key is not valid, or it has been revoked.")
        token, _ = await run_in_threadpool(sessions(request).create, principal)
        response = secure_headers(RedirectResponse(next_url or landing(principal), status_code=303))
        hours = sessions(request).lifetime.total_seconds()
        set_cookie(response, request, COOKIE, token, max_age=int(hours))
        clear_cookie(response, request, SIGNIN_COOKIE)
        return response

    @r.post("/app/sign-out")
    async def sign_out(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
        session = await run_in_threadpool(current_session, request)
        if session is not None:
            if not same_origin(request) or not csrf_ok(session.csrf, csrf):
                return error_page(request, 403, "This form has expired; reload the page and sign out again.",
                                  session=session)
            await run_in_threadpool(sessions(request).end, session)
        response = secure_headers(RedirectResponse("/app/", status_code=303))
        clear_cookie(response, request, COOKIE)
        return response

    return r
