"""Advancement disparities: who moves up, who moves across, and how long they wait, by group.

From the observed transitions and the employees as they are now:

- headcount    current employees of the group (in the family of their current role);
- promotions   moves in the window to a role at a higher level; ``promotion_rate`` = promotions ÷
               headcount; ``promotion_ratio`` = a group's rate ÷ the highest group's rate (flag < 0.8);
- lateral      moves in the window to another role at the same level (any family);
- months_to_promotion  median months between a promotion and the person's previous move (or
               their ``hired_at``, where the record has one); moves with neither are left out;
- months_in_role       median months the group's people have been in their current role;
- p_value      two-sided test of the group's promotion rate against the highest group's (as in
               :mod:`engine.audit.impact`): whether a gap is more than chance.

Groups smaller than ``min_group`` people (default 10) are suppressed: every figure is withheld,
so no one's moves can be read off a tiny group; they still count in the totals. The window
defaults to the 12 months up to the latest recorded move.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from statistics import median
from typing import TYPE_CHECKING, Any

from engine.audit.groups import check_category, group_of, load_protected
from engine.audit.impact import FOUR_FIFTHS, p_value
from engine.errors import InvalidInput

if TYPE_CHECKING:
    from engine.audit.facade import Audit

__all__ = ["MIN_GROUP", "disparity_report"]

MIN_GROUP = 10
DAYS_PER_MONTH = 30.44


def _day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput(f"{field} must be a date (YYYY-MM-DD), got {text!r}") from None


def _median(xs: list[float]) -> float | None:
    return round(median(xs), 1) if xs else None


def disparity_report(
    audit: Audit, *, category: str, since: str | None, until: str | None, min_group: int | None
) -> dict[str, Any]:
    check_category(category)
    floor = MIN_GROUP if min_group is None else min_group
    if floor < 1:
        raise InvalidInput(f"min_group must be at least 1, got {floor}")
    store = audit.sg.store
    roles = {r.id: r for r in store.all("role")}  # type: ignore[attr-defined]
    moves = sorted(store.all("transition"), key=lambda t: (t.date or date.min))  # type: ignore[attr-defined]
    people = store.employee_rows()
    hired = _hired_at(audit)
    with store.engine.connect() as conn:
        attrs = load_protected(conn)
    audit.log_protected_read(f"disparities {category}", len(people))

    end = _day(until, "until") or max((t.date for t in moves if t.date), default=date.today())
    start = _day(since, "since") or end - timedelta(days=365)
    if start > end:
        raise InvalidInput(f"since ({start}) is after until ({end})")

    family_of: dict[str, str] = {}
    group: dict[str, str | None] = {}
    months_in_role: dict[str, int] = {}
    for emp_id, _name, role_id, months, *_ in people:
        role = roles.get(role_id) if role_id else None
        family_of[emp_id] = role.family if role else "(no role)"
        group[emp_id] = group_of(attrs.get(emp_id), category)
        months_in_role[emp_id] = months

    last_move: dict[str, date] = {}
    cells: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: {"promotions": 0, "lateral": 0, "wait": []})
    promoted: dict[str, int] = defaultdict(int)  # promotions in the window per person (for p-values)
    unknown_moves = 0
    for t in moves:
        emp = t.employee_id
        if emp is None or emp not in group or t.date is None:
            continue
        prev = last_move.get(emp) or hired.get(emp)
        last_move[emp] = t.date
        if not start <= t.date <= end:
            continue
        src, dst = roles.get(t.from_role_id), roles.get(t.to_role_id)
        if src is None or dst is None:
            continue
        g = group[emp]
        if g is None:
            unknown_moves += 1
            continue
        for key in ((family_of[emp], g), ("*", g)):
            if dst.level > src.level:
                cells[key]["promotions"] += 1
                promoted[emp] += key[0] == "*"
                if prev is not None:
                    cells[key]["wait"].append((t.date - prev).days / DAYS_PER_MONTH)
            elif dst.level == src.level:
                cells[key]["lateral"] += 1

    heads: dict[tuple[str, str], list[str]] = defaultdict(list)
    unknown_people = 0
    for emp, g in group.items():
        if g is None:
            unknown_people += 1
            continue
        heads[(family_of[emp], g)].append(emp)
        heads[("*", g)].append(emp)

    def rows_for(family: str) -> list[dict[str, Any]]:
        out = []
        for (fam, g), members in heads.items():
            if fam != family:
                continue
            c = cells.get((fam, g), {"promotions": 0, "lateral": 0, "wait": []})
            n = len(members)
            if n < floor:
                out.append({"group": g, "suppressed": True, "headcount": None, "promotions": None,
                            "promotion_rate": None, "promotion_ratio": None, "flag": False, "lateral_moves": None,
                            "lateral_rate": None, "median_months_to_promotion": None,
                            "median_months_in_role": None, "p_value": None})
                continue
            out.append({
                "group": g, "suppressed": False, "headcount": n, "promotions": c["promotions"],
                "promotion_rate": round(c["promotions"] / n, 4), "promotion_ratio": None, "flag": False,
                "lateral_moves": c["lateral"], "lateral_rate": round(c["lateral"] / n, 4),
                "median_months_to_promotion": _median(c["wait"]),
                "median_months_in_role": _median([float(months_in_role[e]) for e in members]),
            })
        shown = [r for r in out if not r["suppressed"]]
        ref = max(shown, key=lambda r: (r["promotion_rate"], r["headcount"]), default=None)
        people_of = {r["group"]: {e: [1, promoted.get(e, 0)] for e in heads[(family, r["group"])]} for r in shown}
        for r in shown:
            if ref is not None and ref["promotion_rate"] > 0:
                r["promotion_ratio"] = round(r["promotion_rate"] / ref["promotion_rate"], 4)
                r["flag"] = r["promotion_ratio"] < FOUR_FIFTHS
            r["p_value"] = None if r is ref or ref is None else p_value(people_of[r["group"]],
                                                                          people_of[ref["group"]])
        out.sort(key=lambda r: (r["suppressed"], -(r["headcount"] or 0), r["group"]))
        return out

    families = sorted({fam for fam, _ in heads if fam != "*"})
    total_promotions = sum(c["promotions"] for (fam, _), c in cells.items() if fam == "*")
    total_lateral = sum(c["lateral"] for (fam, _), c in cells.items() if fam == "*")
    return {
        "category": category, "since": start.isoformat(), "until": end.isoformat(), "min_group": floor,
        "totals": {"headcount": len(people), "promotions": total_promotions, "lateral_moves": total_lateral,
                   "unknown_people": unknown_people, "unknown_moves": unknown_moves},
        "groups": rows_for("*"),
        "by_family": [{"family": fam, "groups": rows_for(fam)} for fam in families],
    }


def _hired_at(audit: Audit) -> dict[str, date]:
    """Hire dates where employee records carry them (added to the model by the programme work)."""
    from engine.models import Employee

    if "hired_at" not in Employee.model_fields:
        return {}
    out: dict[str, date] = {}
    for e in audit.sg.store.all("employee"):
        when = getattr(e, "hired_at", None)
        if when is not None:
            out[e.id] = when  # type: ignore[attr-defined]
    return out
