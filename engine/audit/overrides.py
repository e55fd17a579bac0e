"""Human oversight of shortlists: record an add, a removal or a move, with a reason.

An override names the shortlist answer it changes (a decision id; by default the latest logged
shortlist for the role) and is checked against that list as earlier overrides left it: one can
remove or move only someone on it, and add only someone not on it. The engine's answers are not
changed; the overrides are their own audit record, and the impact audit counts them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from engine.audit import clock
from engine.audit.context import current_actor
from engine.errors import Conflict, EmployeeNotFound, InvalidInput, NotFound, RoleNotFound
from engine.store import decisions as dlog
from engine.store import overrides as olog

if TYPE_CHECKING:
    from engine.audit.facade import Audit

__all__ = ["ACTIONS", "effective_list", "overrides_view", "record_override"]

ACTIONS = ("add", "remove", "reorder")
MIN_REASON = 3
MAX_REASON = 2000


def effective_list(listed: Sequence[str], changes: Sequence[olog.OverrideRow]) -> list[str]:
    """The list after applying ``changes`` in order (positions are 1-based; past the end = last)."""
    out = list(listed)
    for o in changes:
        if o.action == "remove":
            if o.employee_id in out:
                out.remove(o.employee_id)
            continue
        if o.employee_id in out:
            out.remove(o.employee_id)
        pos = len(out) if o.position is None else max(0, min(len(out), o.position - 1))
        out.insert(pos, o.employee_id)
    return out


def _latest_shortlist(conn: Any, role_id: str) -> int | None:
    d = dlog.decisions.c
    q = select(d.id).where(d.kind == "shortlist", d.subject_id == role_id).order_by(d.id.desc()).limit(1)
    return conn.execute(q).scalar()


def record_override(
    audit: Audit, role_id: str, *, action: str, employee_id: str, reason: str,
    position: int | None = None, decision_id: int | None = None,
) -> dict[str, Any]:
    store = audit.sg.store
    if action not in ACTIONS:
        raise InvalidInput(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    reason = (reason or "").strip()
    if not MIN_REASON <= len(reason) <= MAX_REASON:
        raise InvalidInput(f"reason is required ({MIN_REASON}-{MAX_REASON} characters): say why")
    if position is not None and position < 1:
        raise InvalidInput(f"position must be 1 or more, got {position}")
    if action == "reorder" and position is None:
        raise InvalidInput("a reorder needs the new position")
    if action == "remove" and position is not None:
        raise InvalidInput("a removal takes no position")
    if not store.exists("role", role_id):
        raise RoleNotFound(role_id)
    if not store.exists("employee", employee_id):
        raise EmployeeNotFound(employee_id)
    actor = current_actor()

    def write(conn: Any) -> dict[str, Any]:
        did = decision_id if decision_id is not None else _latest_shortlist(conn, role_id)
        if did is None:
            raise Conflict(f"no shortlist for role {role_id!r} has been logged yet: ask for one first")
        found = dlog.by_ids(conn, [did])
        if not found or found[0].kind != "shortlist" or found[0].subject_id != role_id:
            raise NotFound(str(did), f"decision {did} is not a logged shortlist for role {role_id!r}")
        listed = [i["employee_id"] for i in found[0].items if i["employee_id"]]
        current = effective_list(listed, olog.list_overrides(conn, decision_ids=[did]))
        if action == "add" and employee_id in current:
            raise Conflict(f"{employee_id} is already on shortlist {did}")
        if action in ("remove", "reorder") and employee_id not in current:
            raise Conflict(f"{employee_id} is not on shortlist {did}")
        row = {"at": clock.now_stamp(), **{k: v for k, v in actor.as_row().items() if k != "request_id"},
               "role_id": role_id, "decision_id": did, "action": action, "employee_id": employee_id,
               "position": position, "reason": reason}
        row["id"] = olog.insert_override(conn, row)
        after = effective_list(current, [olog.OverrideRow(**row)])
        return {**row, "list": after}

    return audit._write(write)  # type: ignore[no-any-return]


def overrides_view(audit: Audit, role_id: str | None, *, decision_id: int | None = None) -> dict[str, Any]:
    """Overrides of a role's shortlists, and the latest shortlist as overridden."""
    with audit.sg.store.engine.connect() as conn:
        rows = olog.list_overrides(conn, role_id=role_id,
                                   decision_ids=[decision_id] if decision_id is not None else None)
        latest = decision_id if decision_id is not None else (
            _latest_shortlist(conn, role_id) if role_id is not None else None)
        effective: list[str] | None = None
        if latest is not None:
            found = dlog.by_ids(conn, [latest])
            if found:
                listed = [i["employee_id"] for i in found[0].items if i["employee_id"]]
                effective = effective_list(listed, [o for o in rows if o.decision_id == latest])
    return {"role_id": role_id, "decision_id": latest, "items": [o.as_dict() for o in rows], "list": effective}
