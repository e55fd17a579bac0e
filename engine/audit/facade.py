"""The audit facade (``Skillgraph.audit``): logs answers, reads the logs, computes the audits.

Logging is one write transaction per answer (the decision row, its returned items, and the
shortlist's pool when that exact pool is not stored yet). It runs after the answer is computed
and before it is returned; when the log cannot be written the answer is not given (the error
propagates), so an answer never exists without its record.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from engine.audit import clock
from engine.audit.config_hash import config_hash
from engine.audit.context import current_actor
from engine.audit.pool import pool_rule, pool_size
from engine.errors import ConfigError, InvalidInput
from engine.store import decisions as dlog
from engine.store import overrides as olog
from engine.store import protected_reads as plog
from engine.store import roster

if TYPE_CHECKING:
    from engine.api import Skillgraph
    from engine.indexer import State
    from engine.profile import Profile
    from engine.results import Candidates, Recommendations

__all__ = ["RETENTION_ENV", "Audit", "retention_days"]

RETENTION_ENV = "SKILLGRAPH_DECISION_RETENTION_DAYS"
PURGE_EVERY_S = 600.0  # retention is applied on write at most this often per process
KINDS = ("recommendation", "shortlist", "succession")


def retention_days() -> int | None:
    """Days the audit logs are kept (env SKILLGRAPH_DECISION_RETENTION_DAYS); None = forever."""
    raw = os.environ.get(RETENTION_ENV, "").strip()
    if not raw:
        return None
    try:
        days = int(raw)
    except ValueError:
        raise ConfigError(f"{RETENTION_ENV} must be a whole number of days, got {raw!r}") from None
    if days < 1:
        raise ConfigError(f"{RETENTION_ENV} must be at least 1 day, got {days}")
    return days


class Audit:
    """Decision log, overrides, protected-attribute reads, impact audit and disparities."""

    def __init__(self, sg: Skillgraph) -> None:
        self.sg = sg
        self._last_purge = 0.0

    # -- logging answers ------------------------------------------------------------------------
    def log_recommendations(
        self, st: State, result: Recommendations, *, params: dict[str, Any], profile: Profile | None = None
    ) -> int:
        cat = st.catalog
        subject = result.employee_id
        level: int | None = None
        if subject is not None:
            row = st.people.index.get(subject)
            r = int(st.people.role_idx[row]) if row is not None else -1
            level = int(cat.level[r]) if r >= 0 else None
        elif profile is not None and profile.role_id is not None:
            level = int(cat.level[cat.role_index[profile.role_id]])
        items = [
            {"rank": n, "role_id": it.role_id, "employee_id": None, "score": float(it.score),
             "readiness": it.readiness, "move": it.move, "level": int(it.level)}
            for n, it in enumerate(result.items, start=1)
        ]
        return self.log(
            st, "recommendation", "employee" if subject is not None else "profile", subject, items,
            params=params, subject_level=level,
        )

    def log_shortlist(
        self, st: State, role_id: str, result: Candidates, *, params: dict[str, Any], include_step_down: bool = False
    ) -> int:
        from engine.shortlist import decode_cursor

        first = decode_cursor(params.get("cursor")) + 1  # ranks continue across cursor pages
        items = _ranked_people(result.items, first)
        return self.log(st, "shortlist", "role", role_id, items, params=params,
                        pool_rule=pool_rule(include_step_down=include_step_down),
                        pool_size=pool_size(st, role_id, include_step_down=include_step_down),
                        subject_level=int(st.catalog.level[st.catalog.role_index[role_id]]))

    def log_succession(self, st: State, role_id: str, people: list[Any], *, params: dict[str, Any]) -> int:
        """A succession slate is a ranking of people too (ready now, within 1 year, within 2)."""
        return self.log(st, "succession", "role", role_id, _ranked_people(people, 1), params=params,
                        subject_level=int(st.catalog.level[st.catalog.role_index[role_id]]))

    def log(
        self, st: State, kind: str, subject_type: str, subject_id: str | None, items: list[dict[str, Any]], *,
        params: dict[str, Any], pool_rule: str | None = None, pool_size: int = 0, subject_level: int | None = None,
    ) -> int:
        """Append one answer to the decision log (the generic entry point, e.g. for succession)."""
        if kind not in KINDS:
            raise ValueError(f"unknown decision kind {kind!r}")
        actor = current_actor()
        encoder = getattr(st, "encoder", None)
        row = {
            "at": clock.now_stamp(), "kind": kind, **actor.as_row(), "params": params,
            "subject_type": subject_type, "subject_id": subject_id, "subject_level": subject_level,
            "model_id": getattr(encoder, "model_id", None), "config_hash": config_hash(st.hours_per_week),
            "store_version": st.version, "version_no": st.version_no, "pool_rule": pool_rule,
            "pool_size": pool_size, "returned": len(items),
        }

        def write(conn: Any) -> int:
            if pool_rule is not None:
                roster.sync(conn, seen=st.version_no)  # the pool is rebuilt from the roster at this version
            return dlog.insert_decision(conn, row, items)

        decision_id = self._write(write)
        actor.decision_ids.append(decision_id)
        return decision_id

    def _write(self, fn: Any) -> Any:
        store = self.sg.store
        for attempt in (1, 2):
            try:
                with store.write() as conn:
                    out = fn(conn)
                    self._maybe_purge(conn)
                return out
            except SQLAlchemyError:
                if attempt == 2:
                    raise
                store.init()  # a store made before the audit tables existed: create them, retry once
        raise AssertionError("unreachable")

    # -- retention ------------------------------------------------------------------------------
    def _maybe_purge(self, conn: Any) -> None:
        days = retention_days()
        if days is None or time.monotonic() - self._last_purge < PURGE_EVERY_S:
            return
        self._purge(conn, days)

    def _purge(self, conn: Any, days: int) -> dict[str, int]:
        before = clock.stamp(datetime.now(UTC) - timedelta(days=days))
        self._last_purge = time.monotonic()
        out = {"decisions": dlog.purge(conn, before), "overrides": olog.purge(conn, before),
               "protected_reads": plog.purge(conn, before)}
        out["roster_rows"] = roster.purge(conn, dlog.oldest_version(conn))
        return {**out, "before": before}  # type: ignore[dict-item]

    def purge(self, days: int | None = None) -> dict[str, Any]:
        """Delete audit rows older than ``days`` (default: the retention setting)."""
        days = days if days is not None else retention_days()
        if days is None:
            raise InvalidInput(f"no retention set: pass a number of days or set {RETENTION_ENV}")
        if days < 1:
            raise InvalidInput(f"days must be at least 1, got {days}")
        with self.sg.store.write() as conn:
            return self._purge(conn, days)

    # -- reading the log ------------------------------------------------------------------------
    def decisions(
        self, *, since: str | None = None, until: str | None = None, kind: str | None = None,
        after: int | None = None, limit: int = 50,
    ) -> tuple[list[dict[str, Any]], int | None]:
        """A page of logged answers, oldest first, and the id to continue after (or None)."""
        if kind is not None and kind not in KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        s, u = clock.bound(since, field="since"), clock.bound(until, field="until", end=True)
        with self.sg.store.engine.connect() as conn:
            rows = dlog.page(conn, kind=kind, since=s, until=u, after=after, limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return [decision_record(r) for r in rows], (rows[-1].id if more and rows else None)

    # -- audits (each reads protected attributes, and logs that it did) ------------------------
    def impact(self, *, kind: str, category: str, since: str | None = None, until: str | None = None,
               role_id: str | None = None) -> dict[str, Any]:
        """LL144 impact table; ``role_id`` narrows shortlists to one role's."""
        from engine.audit.impact_audit import impact_report

        return impact_report(self, kind=kind, category=category, since=since, until=until, role_id=role_id)

    def disparities(self, *, category: str, since: str | None = None, until: str | None = None,
                    min_group: int | None = None) -> dict[str, Any]:
        from engine.audit.disparities import disparity_report

        return disparity_report(self, category=category, since=since, until=until, min_group=min_group)

    def protected(self, employee_id: str) -> dict[str, Any]:
        """One employee's protected attributes (the read is logged)."""
        from engine.errors import EmployeeNotFound

        store = self.sg.store
        if not store.exists("employee", employee_id):
            raise EmployeeNotFound(employee_id)
        attrs = store.get_protected(employee_id)
        self.log_protected_read("employee record", 1, employee_id=employee_id)
        data = attrs.model_dump() if attrs is not None else {"sex": None, "race_ethnicity": None, "age_band": None}
        return {"employee_id": employee_id, **data}

    def log_protected_read(self, purpose: str, employees: int, *, employee_id: str | None = None) -> None:
        row = {"at": clock.now_stamp(), **{k: v for k, v in current_actor().as_row().items() if k != "request_id"},
               "purpose": purpose, "employee_id": employee_id, "employees": employees}
        self._write(lambda conn: plog.insert_read(conn, row))

    def protected_reads(self, *, since: str | None = None, until: str | None = None, after: int | None = None,
                        limit: int = 50) -> tuple[list[dict[str, Any]], int | None]:
        s, u = clock.bound(since, field="since"), clock.bound(until, field="until", end=True)
        with self.sg.store.engine.connect() as conn:
            rows = plog.list_reads(conn, since=s, until=u, after=after, limit=limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return rows, (rows[-1]["id"] if more and rows else None)

    # -- human overrides ------------------------------------------------------------------------
    def record_override(self, role_id: str, *, action: str, employee_id: str, reason: str,
                        position: int | None = None, decision_id: int | None = None) -> dict[str, Any]:
        from engine.audit.overrides import record_override

        return record_override(self, role_id, action=action, employee_id=employee_id, reason=reason,
                               position=position, decision_id=decision_id)

    def overrides(self, role_id: str | None = None, *, decision_id: int | None = None) -> dict[str, Any]:
        from engine.audit.overrides import overrides_view

        return overrides_view(self, role_id, decision_id=decision_id)


def decision_record(r: dlog.DecisionRow) -> dict[str, Any]:
    """A logged answer as the API shows it."""
    id_key = "employee_id" if r.kind in ("shortlist", "succession") else "role_id"
    return {
        "id": r.id, "at": r.at, "kind": r.kind, "key_id": r.key_id, "actor_role": r.actor_role,
        "endpoint": r.endpoint, "request_id": r.request_id, "params": r.params,
        "subject": {"type": r.subject_type, "id": r.subject_id},
        "subject_ids": [r.subject_id] if r.subject_id is not None else [],
        "returned": [{"rank": i["rank"], "id": i[id_key], "score": i["score"], "readiness": i["readiness"],
                      "move": i["move"]} for i in r.items],
        "returned_count": r.returned, "pool_size": r.pool_size, "pool_rule": r.pool_rule,
        "model_id": r.model_id, "config_hash": r.config_hash, "store_version": r.store_version,
    }


def _ranked_people(people: list[Any], first: int) -> list[dict[str, Any]]:
    """Decision-log items for a ranked list of candidates (shortlists and succession slates)."""
    return [
        {"rank": n, "employee_id": c.employee_id, "role_id": None, "score": float(c.score),
         "readiness": c.readiness, "move": c.move, "level": None}
        for n, c in enumerate(people, start=first)
    ]
