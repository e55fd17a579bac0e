"""Pure ASGI middleware: request ids, access logs, metrics, the catch-all 500, the body caps."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.importers.jsontext import MAX_DEPTH, too_deep
from service.metrics import Metrics
from service.problems import problem_response, route_of

__all__ = ["BodyLimitMiddleware", "HeadMiddleware", "RequestContextMiddleware", "SecurityHeadersMiddleware"]

access_log = logging.getLogger("skillgraph.access")
error_log = logging.getLogger("skillgraph.errors")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
# Paths name employees (/v1/employees/E0042/...): the access log keeps the route template and a
# keyed hash of the path (equal paths correlate within one process; no one can reverse it).
_PATH_KEY = secrets.token_bytes(16)


def path_ref(path: str) -> str:
    return hmac.new(_PATH_KEY, path.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()[:16]


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", ()):
        if k.lower() == name:
            return v.decode("latin-1")
    return None


class RequestContextMiddleware:
    """Outermost layer: request id in and out, a JSON access-log line, metrics, and a generic 500
    problem for any unexpected exception (never a traceback in a response)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        rid = incoming if incoming and _GOOD_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        start = time.perf_counter()
        status = 500
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = int(message["status"])
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            error_log.exception("unhandled error on %s %s (request %s)", scope.get("method"), route_of(scope), rid)
            if not started:
                status = 500
                response = problem_response(scope, 500, "internal error; the server log has details",
                                            title="Internal server error")
                await response(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - start
            template = route_of(scope)
            self.metrics.observe(scope.get("method", "-"), template, status, elapsed)
            state = scope.get("state") or {}
            access_log.info(json.dumps({
                "event": "request", "request_id": rid, "method": scope.get("method"), "route": template,
                "path_ref": path_ref(scope.get("path", "")), "status": status,
                "duration_ms": round(elapsed * 1000, 2), "key_id": state.get("key_id"),
            }))


def _parsed_as_json(scope: Scope) -> bool:
    """Whether FastAPI would read this body as JSON: no content type, application/json or +json."""
    media = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    return not media or media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class BodyLimitMiddleware:
    """413 for bodies over the cap: checked on Content-Length first, then on the streamed bytes;
    422 for JSON bodies nested deeper than the importers accept (json.loads would recurse into a 500).

    The body is buffered (it is at most the cap) and replayed to the app, so an oversized stream is
    refused before any handler runs, whichever route (or FastAPI's own body parsing) reads it.
    """

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False
            if too_big:
                await self._refuse(scope, receive, send, limit)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, receive, send, limit)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        if _parsed_as_json(scope) and too_deep(body):
            msg = f"JSON nested deeper than {MAX_DEPTH} levels"
            response = problem_response(scope, 422, f"body: {msg}", title="Invalid input", slug="invalid-input",
                                        errors=[{"loc": ["body"], "msg": msg, "type": "json_too_deep"}])
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(scope, 413, f"request body is larger than {limit} bytes",
                                    title="Payload too large", slug="payload-too-large")
        await response(scope, receive, send)


# Defaults for every answer; a header the route set itself (a web page's own CSP, a static file's
# Cache-Control) wins. API answers carry personal data: never cached, never framed, never sniffed.
DEFAULT_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
CSP_DATA = b"default-src 'none'; frame-ancestors 'none'"  # JSON, text: nothing may load
CSP_PAGE = b"frame-ancestors 'none'"  # HTML without a CSP of its own (e.g. /docs): never framed


class SecurityHeadersMiddleware:
    """Outermost layer: security headers on every answer, and redirects that never reflect Host.

    Starlette answers ``/v1/skills/`` with an absolute redirect built from the Host header
    (``Host: evil.example`` -> ``location: http://evil.example/v1/skills``); a redirect to the
    request's own host is rewritten to a relative one, so the client stays where it is.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = (_header(scope, b"host") or "").lower()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _secured(list(message.get("headers", [])), host)}
            await send(message)

        await self.app(scope, receive, send_wrapper)


def _secured(headers: list[tuple[bytes, bytes]], host: str) -> list[tuple[bytes, bytes]]:
    have = {k.lower() for k, _ in headers}
    out = []
    for k, v in headers:
        if k.lower() == b"location":
            v = _relative(v, host)
        if k.lower() == b"server":
            continue
        out.append((k, v))
    out += [(k, v) for k, v in DEFAULT_HEADERS if k not in have]
    if b"content-security-policy" not in have:
        media = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        out.append((b"content-security-policy", CSP_PAGE if media.startswith(b"text/html") else CSP_DATA))
    return out


def _relative(location: bytes, host: str) -> bytes:
    try:
        parts = urlsplit(location.decode("latin-1"))
    except ValueError:
        return location
    if not parts.netloc or parts.netloc.lower() != host:
        return location  # already relative, or a deliberate redirect elsewhere
    path = parts.path or "/"
    if path.startswith("//"):  # "//evil.example/x" would be protocol-relative: keep it a path
        path = "/" + path.lstrip("/")
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")


class HeadMiddleware:
    """HEAD on any GET route: the route runs as GET and the answer goes out without its body
    (headers, Content-Length included, as GET would send them)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return
        scope = {**scope, "method": "GET"}
        scope.setdefault("state", {})["head"] = True

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_wrapper)
