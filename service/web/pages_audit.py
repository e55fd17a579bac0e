"""The audit page (``/app/audit``, admin + auditor: the AUDIT permission, as in the API).

- the impact audit of the decision log (NYC LL144 method, :mod:`engine.audit.impact_audit`):
  selection rates and impact ratios per group of one protected category, for shortlists and for
  next-role recommendations, with the four-fifths flag and the small-sample marks;
- the latest entries of the decision log (who asked for what, what came back: ids and counts);
- recruiters' recorded overrides of shortlists, with their reasons;
- how complete the protected-attribute data is.

Protected attributes appear here only as group counts and rates, never next to a person: a group
of fewer than ``MIN_SHOWN`` people in the pool is not shown by name (its rate would tell who is in
it); those groups are summed into one line, and the API's JSON / CSV keep every row for a full
audit. Each impact audit logs its read of protected attributes (``engine.audit``), as the API does.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import func, select

from engine.audit.facade import decision_record
from engine.charts.audit import impact_chart
from engine.charts.svg import bar_chart
from engine.store import decisions as dlog
from engine.store import tables as t
from service.auth import Permission
from service.web.labels import CATEGORIES
from service.web.render import Built, Ctx, page
from service.web.svgs import inline

__all__ = ["MIN_SHOWN", "RECENT", "router"]

RECENT = 20  # decision-log entries and overrides shown, newest first
MIN_SHOWN = 5  # people in a group's pool before the page names the group
KINDS = {"shortlist": "Shortlists", "recommendation": "Next-role recommendations"}


def _split(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, int] | None]:
    """(rows of groups large enough to name, the rest summed: groups, pool, selected) ."""
    shown = [r for r in rows if int(r.get("pool", 0)) >= MIN_SHOWN]
    hidden = [r for r in rows if int(r.get("pool", 0)) < MIN_SHOWN]
    if not hidden:
        return shown, None
    return shown, {"groups": len(hidden), "pool": sum(int(r.get("pool", 0)) for r in hidden),
                   "selected": sum(int(r.get("selected", 0)) for r in hidden)}


def _impact(ctx: Ctx, category: str) -> list[dict[str, Any]]:
    out = []
    for kind, title in KINDS.items():
        rep = ctx.engine.audit.impact(kind=kind, category=category)
        rows, few = _split(list(rep.get("rows", [])))
        chart = None
        if any(r.get("impact_ratio") is not None for r in rows):
            chart = inline(impact_chart(rows, title=f"{title}: impact ratio by {CATEGORIES[category].lower()}"),
                           f"impact-{kind}")
        overrides = rep.get("overrides") or {}
        after = rep.get("after_overrides") if overrides.get("total") else None
        out.append({"kind": kind, "title": title, "rep": rep, "rows": rows, "few": few, "chart": chart,
                    "after": _split(list(after.get("rows", []))) if after else None,
                    "reference_shown": any(r.get("group") == rep.get("reference_group") for r in rows)})
    return out


def _recent_decisions(ctx: Ctx) -> tuple[list[dict[str, Any]], int]:
    d = dlog.decisions.c
    with ctx.engine.store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(dlog.decisions)).scalar_one())
        ids = [row[0] for row in conn.execute(select(d.id).order_by(d.id.desc()).limit(RECENT))]
        rows = dlog.by_ids(conn, ids)
    return [decision_record(r) for r in sorted(rows, key=lambda r: -r.id)], total


def _coverage(ctx: Ctx) -> tuple[int, list[dict[str, Any]], Any]:
    p = t.employee_protected.c
    with ctx.engine.store.engine.connect() as conn:
        people = conn.execute(select(func.count()).select_from(t.employees)).scalar_one()
        recorded = conn.execute(
            select(func.count(p.sex), func.count(p.race_ethnicity), func.count(p.age_band))
        ).one()
    coverage = [
        {"name": name, "recorded": int(n), "share": (n / people) if people else 0.0}
        for name, n in zip(("Sex", "Race / ethnicity", "Age band"), recorded, strict=True)
    ]
    chart = bar_chart([(c["name"], c["share"]) for c in coverage], title="People with each attribute recorded",
                      value_format="{:.0%}", max_value=1.0,
                      desc="Share of employees whose protected attribute is on record (needed for an impact audit).")
    return people, coverage, inline(chart, "coverage")


def audit_page(ctx: Ctx, category: str) -> Built:
    category = category if category in CATEGORIES else "sex"
    decisions, total = _recent_decisions(ctx)
    overrides = list(ctx.engine.audit.overrides(None).get("items", []))
    people, coverage, chart = _coverage(ctx)
    titles = {r.id: r.title for r in ctx.engine.state().catalog.roles} if ctx.engine.ready else {}
    return "audit.html", {
        "category": category, "impact": _impact(ctx, category),
        "decisions": decisions, "decisions_total": total,
        "overrides": overrides[::-1][:RECENT], "overrides_total": len(overrides),
        "people": people, "coverage": coverage, "chart": chart, "titles": titles, "min_shown": MIN_SHOWN,
    }


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/app/audit")
    def audit(request: Request, category: str = "sex") -> Response:
        return page(request, Permission.AUDIT, lambda ctx: audit_page(ctx, category))

    return r
