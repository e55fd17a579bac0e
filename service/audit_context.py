"""Binds the decision-log actor per HTTP request (engine.audit.context).

The middleware gives every request a fresh :class:`~engine.audit.Actor` (so concurrent requests
never share one) and answers the ids of the decisions it logged in ``X-Decision-ID``, which a
recruiter's override can cite. Authentication fills in the key id and role, and the route.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.audit import Actor, acting

__all__ = ["AuditContextMiddleware", "bind_principal"]


class AuditContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.get("state") or {}
        actor = Actor(role=None, endpoint=f"{scope.get('method')} {scope.get('path')}",
                      request_id=state.get("request_id"))

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start" and actor.decision_ids:
                ids = ",".join(str(i) for i in actor.decision_ids)
                message = {**message, "headers": [*message.get("headers", []), (b"x-decision-id", ids.encode())]}
            await send(message)

        with acting(actor):
            await self.app(scope, receive, send_wrapper)


def bind_principal(request: Any, principal: Any) -> None:
    """Record who is asking and through which route (the template, not the raw path)."""
    from engine.audit import current_actor

    actor = current_actor()
    actor.key_id = principal.key_id
    actor.role = principal.role
    route = request.scope.get("route")
    template = getattr(route, "path", None) or request.url.path
    actor.endpoint = f"{request.method} {template}"
