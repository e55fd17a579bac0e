"""A person's development on their career page: mentors and open opportunities for a target role.

Both come from the mobility programme (``Skillgraph.programme``), exactly as the API answers
``GET /v1/employees/{id}/mentors`` and ``/opportunities``, for the role the page has chosen (the
person's top next role unless they picked another). A key without the DEVELOPMENT permission,
or a person with no next role, gets the sections' plain empty states instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.errors import InvalidInput, NotFound
from service.auth import Permission
from service.web.render import Ctx

__all__ = ["LIMIT", "Development", "development"]

LIMIT = 5


@dataclass
class Development:
    """What the page shows; ``allowed`` False = the key may not see a person's development."""

    allowed: bool
    role_id: str | None = None
    mentors: list[Any] = field(default_factory=list)
    gap_skills: int = 0
    opportunities: list[Any] = field(default_factory=list)
    openings: list[Any] = field(default_factory=list)  # next roles with a position open now
    note: str | None = None


def development(ctx: Ctx, employee_id: str, role_id: str | None, recs: list[Any]) -> Development:
    if not ctx.can(Permission.DEVELOPMENT):
        return Development(allowed=False)
    programme = ctx.engine.programme
    cat = ctx.engine.state().catalog
    openings = [r for r in recs if cat.role_index.get(r.role_id) is not None
                and cat.roles[cat.role_index[r.role_id]].open_positions > 0]
    try:
        mentors = programme.mentors(employee_id, role_id, limit=LIMIT)
        opps = programme.opportunities(employee_id, role_id, limit=LIMIT)
    except InvalidInput:  # no role given and no next role found
        return Development(allowed=True, role_id=role_id, openings=openings,
                           note="there is no next role to develop toward yet")
    except NotFound:
        return Development(allowed=True, role_id=None, openings=openings, note="that role is not in the catalogue")
    return Development(allowed=True, role_id=mentors.role_id, mentors=list(mentors.items),
                       gap_skills=len(mentors.gap_skills), opportunities=list(opps.items), openings=openings)
