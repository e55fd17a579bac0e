"""Who is asking: the actor of the current request or command, for the decision log.

The service binds an :class:`Actor` per HTTP request (key id, never the secret; the route) and
the CLI binds one per command; the engine facade reads it when it logs an answer. Outside both
(a Python caller) the actor is ``python``. A context variable keeps concurrent requests apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Actor", "acting", "current_actor"]


@dataclass
class Actor:
    """The caller of an answer. Mutable on purpose: the service creates it before authentication
    and fills in the key once it is known; the facade appends the ids of the decisions it logs."""

    key_id: str | None = None
    role: str | None = None  # the key's role (admin, hr, ...), "cli" or "python"
    endpoint: str = "python"  # "GET /v1/roles/{role_id}/candidates", "cli candidates", ...
    request_id: str | None = None
    decision_ids: list[int] = field(default_factory=list)

    def as_row(self) -> dict[str, Any]:
        return {"key_id": self.key_id, "actor_role": self.role, "endpoint": self.endpoint,
                "request_id": self.request_id}


_current: ContextVar[Actor | None] = ContextVar("skillgraph_actor", default=None)


def current_actor() -> Actor:
    """The bound actor, or a fresh ``python`` actor when nothing is bound."""
    actor = _current.get()
    return actor if actor is not None else Actor(role="python")


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    """Bind ``actor`` for the duration of a request or command."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
