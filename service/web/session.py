"""Sign-in sessions of the web app: an API key buys an HttpOnly cookie; forms carry a CSRF token.

- ``sg_session`` cookie: 256 random bits, ``HttpOnly``, ``SameSite=Lax``, ``Path=/app``, ``Secure``
  over https; the store keeps only its SHA-256 (:mod:`engine.store.web_sessions`).
- A session ends at sign-out, at expiry (``SKILLGRAPH_WEB_SESSION_HOURS``, 8 h by default) or
  when its API key is revoked: every page looks the session up joined with its key.
- CSRF: each session has a synchroniser token that every form posts back; the sign-in form,
  before any session exists, carries a token matched against a short-lived ``SameSite=Strict``
  cookie (double submit). Posts whose ``Origin`` names another host are refused as well.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request, Response
from sqlalchemy import delete, insert, select, update

from engine.store import Store
from engine.store import tables as t
from engine.store.web_sessions import web_sessions
from service.auth import Principal

__all__ = [
    "COOKIE",
    "SIGNIN_COOKIE",
    "WebSession",
    "WebSessions",
    "csrf_ok",
    "same_origin",
]

COOKIE = "sg_session"
SIGNIN_COOKIE = "sg_signin"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class WebSession:
    id: str  # the stored digest (never the cookie value)
    principal: Principal
    csrf: str
    expires_at: str


class WebSessions:
    """Create, look up and end sessions in the store."""

    def __init__(self, store: Store, *, hours: float = 8.0) -> None:
        self.store = store
        self.lifetime = dt.timedelta(hours=hours)

    def create(self, principal: Principal) -> tuple[str, WebSession]:
        """A new session for a verified key: (cookie token, session). Expired rows are swept."""
        token = secrets.token_urlsafe(32)
        now = _now()
        row = {"id": _digest(token), "key_id": principal.key_id, "csrf": secrets.token_urlsafe(32),
               "created_at": _iso(now), "expires_at": _iso(now + self.lifetime), "ended_at": None}
        with self.store.engine.begin() as conn:
            conn.execute(delete(web_sessions).where(web_sessions.c.expires_at < _iso(now - dt.timedelta(days=1))))
            conn.execute(insert(web_sessions), [row])
        return token, WebSession(row["id"], principal, row["csrf"], row["expires_at"])

    def lookup(self, token: str | None) -> WebSession | None:
        """The live session of a cookie token: not expired, not signed out, its key not revoked."""
        if not token or len(token) > 200:
            return None
        s, k = web_sessions.c, t.api_keys.c
        q = (
            select(s.id, s.csrf, s.expires_at, k.id.label("key_id"), k.role, k.employee_id)
            .join_from(web_sessions, t.api_keys, s.key_id == k.id)
            .where(s.id == _digest(token), s.ended_at.is_(None), s.expires_at > _iso(_now()),
                   k.revoked_at.is_(None))
        )
        with self.store.engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            return None
        return WebSession(row.id, Principal(key_id=row.key_id, role=row.role, employee_id=row.employee_id),
                          row.csrf, row.expires_at)

    def end(self, session: WebSession) -> None:
        with self.store.engine.begin() as conn:
            conn.execute(update(web_sessions).where(web_sessions.c.id == session.id).values(ended_at=_iso(_now())))


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def same_origin(request: Request) -> bool:
    """False when the browser says the post comes from another origin (Origin or Referer)."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin != "null"
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


def set_cookie(response: Response, request: Request, name: str, value: str, *, max_age: int,
               samesite: str = "lax") -> None:
    response.set_cookie(name, value, max_age=max_age, path="/app", httponly=True, samesite=samesite,  # type: ignore[arg-type]
                        secure=request.url.scheme == "https")


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/app", httponly=True, samesite="lax", secure=request.url.scheme == "https")
