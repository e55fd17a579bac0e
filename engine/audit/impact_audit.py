"""The impact audit over the decision log (LL144 method; definitions in the README).

Shortlists — unit: one person assessed for one role in the window. The pool of a role is everyone
the engine ranked for it (the eligible candidates of each logged shortlist, see
:mod:`engine.audit.pool`); a person is *selected* for that role when any logged answer for it
listed them. Asking twice, or paging, does not count a person twice.

Recommendations — unit: one employee who asked for next roles with a direction that can show a
promotion (``up`` or ``any``; answers for ad-hoc profiles have no person and are not in the pool).
*Selected* = shown at least one role above their current level with readiness ``ready_now`` or
``ready_soon``: the tool classified them as ready to advance (LL144's "assigned a classification").
The scoring-rate method runs beside it on the best such score (0 when none was shown).

Protected attributes are joined at audit time; scoring never sees them. Each audit logs its read.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from engine.audit import clock
from engine.audit.groups import check_category, group_of, load_protected
from engine.audit.impact import ImpactTable, scoring_table, selection_table
from engine.audit.overrides import effective_list
from engine.audit.pool import parse_rule
from engine.errors import InvalidInput
from engine.store import decisions as dlog
from engine.store import overrides as olog
from engine.store import roster

if TYPE_CHECKING:
    from engine.audit.facade import Audit

__all__ = ["AUDIT_KINDS", "READY", "impact_report"]

AUDIT_KINDS = ("shortlist", "recommendation")
READY = frozenset({"ready_now", "ready_soon"})

DEFINITIONS = {
    "shortlist": {
        "unit": "one person assessed for one role",
        "pool": "everyone the engine was eligible to rank for the role in a logged shortlist",
        "selected": "listed in at least one logged shortlist answer for that role",
    },
    "recommendation": {
        "unit": "one employee who asked for next roles (direction up or any)",
        "pool": "employees with at least one such logged answer",
        "selected": "shown a role above their current level with readiness ready_now or ready_soon",
        "score": "best score among the roles above their level that were shown (0 when none)",
    },
}


def _table_json(t: ImpactTable) -> dict[str, Any]:
    return {"rows": t.rows, "unknown": t.unknown, "small_groups": t.small_groups, "reference_group": t.reference_group}


def impact_report(
    audit: Audit, *, kind: str, category: str, since: str | None, until: str | None, role_id: str | None = None
) -> dict[str, Any]:
    if kind not in AUDIT_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(AUDIT_KINDS)}, got {kind!r}")
    if role_id is not None and kind != "shortlist":
        raise InvalidInput("role_id narrows shortlists only (kind=shortlist)")
    check_category(category)
    s, u = clock.bound(since, field="since"), clock.bound(until, field="until", end=True)
    pools: dict[int, list[str]] = {}
    changes: list[olog.OverrideRow] = []
    with audit.sg.store.engine.connect() as conn:
        rows = dlog.window_rows(conn, kind=kind, since=s, until=u, subject_id=role_id)
        if kind == "shortlist":
            pools = _pools(conn, rows)
            changes = _overrides_for(conn, [r.id for r in rows])
        people = _people(rows, pools, changes)
        attrs = load_protected(conn, people)
    audit.log_protected_read(f"impact {kind} {category}" + (f" role {role_id}" if role_id else ""), len(people))

    def group(emp: str) -> str | None:
        return group_of(attrs.get(emp), category)

    out: dict[str, Any] = {"kind": kind, "category": category, "since": since, "until": until,
                           "decisions": len(rows)}
    if role_id is not None:
        out["role_id"] = role_id
    if kind == "shortlist":
        base, after, counts = _shortlist(rows, pools, changes, group)
        out.update(_table_json(base))
        out["after_overrides"] = _table_json(after)
        out["overrides"] = counts
    else:
        table, scoring, profiles = _recommendation(rows, group)
        out.update(_table_json(table))
        out["scoring"] = {**_table_json(scoring), "median": scoring.extra.get("median")}
        out["profile_answers"] = profiles
    out["pool_total"] = sum(r["pool"] for r in out["rows"]) + out["unknown"]
    out["definitions"] = DEFINITIONS[kind]
    # Contract order first: kind, category, since, until, decisions, rows, unknown, small_groups.
    return out


def _pools(conn: Any, rows: list[dlog.DecisionRow]) -> dict[int, list[str]]:
    """Each shortlist's pool, rebuilt from the roster ledger at the answer's store version."""
    keyed = [r for r in rows if r.version_no is not None and r.subject_id and r.subject_level is not None]
    if not keyed:
        return {}
    ledger = roster.load_roster(conn, min(r.version_no for r in keyed), max(r.version_no for r in keyed))  # type: ignore[type-var]
    out: dict[int, list[str]] = {}
    cache: dict[tuple[Any, ...], list[str]] = {}
    for r in keyed:
        key = (r.subject_id, r.version_no, r.subject_level, r.pool_rule)
        if key not in cache:
            cache[key] = ledger.eligible(r.subject_id, r.version_no, target_level=r.subject_level,  # type: ignore[arg-type]
                                         max_jump=(rule := parse_rule(r.pool_rule))[0],
                                         step_down=rule[1])
        out[r.id] = cache[key]
    return out


def _overrides_for(conn: Any, decision_ids: list[int]) -> list[olog.OverrideRow]:
    if not decision_ids:
        return []
    found: list[olog.OverrideRow] = []
    for i in range(0, len(decision_ids), 900):
        found.extend(olog.list_overrides(conn, decision_ids=decision_ids[i : i + 900]))
    return sorted(found, key=lambda o: o.id)


def _people(rows: list[dlog.DecisionRow], pools: dict[int, list[str]], changes: list[olog.OverrideRow]) -> set[str]:
    out: set[str] = set()
    for r in rows:
        if r.subject_type == "employee" and r.subject_id:
            out.add(r.subject_id)
        out.update(i["employee_id"] for i in r.items if i["employee_id"])
    for members in pools.values():
        out.update(members)
    out.update(o.employee_id for o in changes)
    return out


def _shortlist(
    rows: list[dlog.DecisionRow], pools: dict[int, list[str]], changes: list[olog.OverrideRow], group: Any
) -> tuple[ImpactTable, ImpactTable, dict[str, Any]]:
    pool: set[tuple[str, str]] = set()
    chosen: set[tuple[str, str]] = set()
    chosen_after: set[tuple[str, str]] = set()
    by_decision: dict[int, list[olog.OverrideRow]] = {}
    for o in changes:
        by_decision.setdefault(o.decision_id, []).append(o)
    for r in rows:
        role = r.subject_id or ""
        pool.update((role, e) for e in pools.get(r.id, ()))
        listed = [i["employee_id"] for i in r.items if i["employee_id"]]
        chosen.update((role, e) for e in listed)
        chosen_after.update((role, e) for e in effective_list(listed, by_decision.get(r.id, [])))
    base_units = pool | chosen
    after_units = base_units | chosen_after  # a person added by hand joins the pool
    base = selection_table((group(e), (role, e) in chosen, e) for role, e in base_units)
    after = selection_table((group(e), (role, e) in chosen_after, e) for role, e in after_units)
    tally: dict[str, Counter[str]] = {}
    for o in changes:
        tally.setdefault(group(o.employee_id) or "unknown", Counter())[o.action] += 1
    counts = {
        "total": len(changes),
        "rows": [{"group": g, "add": c["add"], "remove": c["remove"], "reorder": c["reorder"]}
                 for g, c in sorted(tally.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))],
    }
    return base, after, counts


def _recommendation(rows: list[dlog.DecisionRow], group: Any) -> tuple[ImpactTable, ImpactTable, int]:
    selected: dict[str, bool] = {}
    best: dict[str, float] = {}
    profiles = 0
    for r in rows:
        if r.subject_type != "employee" or not r.subject_id:
            profiles += 1
            continue
        if r.params.get("direction", "any") == "lateral":
            continue  # cannot show a promotion: not assessed for advancement
        up = [i for i in r.items if _is_up(i, r.subject_level)]
        emp = r.subject_id
        selected[emp] = selected.get(emp, False) or any(i["readiness"] in READY for i in up)
        best[emp] = max(best.get(emp, 0.0), max((i["score"] for i in up), default=0.0))
    table = selection_table((group(e), s, e) for e, s in selected.items())
    scoring = scoring_table((group(e), b, e) for e, b in best.items())
    return table, scoring, profiles


def _is_up(item: dict[str, Any], subject_level: int | None) -> bool:
    if subject_level is None or item["level"] is None:
        return bool(item["move"] == "promotion")
    return bool(item["level"] > subject_level)
