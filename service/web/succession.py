"""The succession slate under a role's shortlist (``/app/roles/{id}``).

For a role marked critical, the programme's slate (:mod:`engine.programme.succession`): who is
ready now, within a year, within two years, with bench strength and risk, as
``GET /v1/roles/{id}/succession`` answers it. The slate needs the PROGRAMME permission, as in
the API (hr, admin); a recruiter key sees the shortlist alone and a line saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.auth import Permission
from service.web.render import Ctx

__all__ = ["LIMIT", "Succession", "succession"]

LIMIT = 5


@dataclass
class Succession:
    critical: bool
    allowed: bool
    slate: Any = None
    buckets: tuple[tuple[str, list[Any]], ...] = ()


def succession(ctx: Ctx, role: Any) -> Succession:
    critical = bool(getattr(role, "critical", False))
    allowed = ctx.can(Permission.PROGRAMME)
    if not critical or not allowed:
        return Succession(critical=critical, allowed=allowed)
    slate = ctx.engine.programme.succession(role.id, limit=LIMIT)
    buckets = tuple((key, list(getattr(slate, key, []) or [])) for key in ("ready_now", "ready_1y", "ready_2y"))
    return Succession(critical=True, allowed=True, slate=slate, buckets=buckets)
