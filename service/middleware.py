"""Pure ASGI middleware: request ids, access logs, metrics, the catch-all 500, the body caps."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.importers.jsontext import MAX_DEPTH, too_deep
from service.metrics import Metrics
from service.problems import problem_response

__all__ = ["BodyLimitMiddleware", "RequestContextMiddleware"]

access_log = logging.getLogger("skillgraph.access")
error_log = logging.getLogger("skillgraph.errors")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


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
            error_log.exception("unhandled error on %s %s (request %s)", scope.get("method"), scope.get("path"), rid)
            if not started:
                status = 500
                response = problem_response(scope, 500, "internal error; the server log has details",
                                            title="Internal server error")
                await response(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - start
            route = scope.get("route")
            template = getattr(route, "path", None) or "<unmatched>"
            self.metrics.observe(scope.get("method", "-"), template, status, elapsed)
            state = scope.get("state") or {}
            access_log.info(json.dumps({
                "event": "request", "request_id": rid, "method": scope.get("method"), "path": scope.get("path"),
                "route": template, "status": status, "duration_ms": round(elapsed * 1000, 2),
                "key_id": state.get("key_id"),
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
