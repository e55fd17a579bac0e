"""Readable text tables for the CLI (the --json flag prints the result models instead)."""

from __future__ import annotations

from engine.models import Employee, Role
from engine.results import Candidates, Recommendations, Routes

__all__ = ["render_candidates", "render_recommendations", "render_routes"]

_READY = {"ready_now": "ready now", "ready_soon": "ready soon", "stretch": "stretch", "long_term": "long term"}


def _move(move: str | None, track_change: bool, family_change: bool) -> str:
    """A promotion that also changes track or family says so (e.g. "promotion+track")."""
    if move == "promotion" and (track_change or family_change):
        return "promotion+" + ("family" if family_change else "track")
    return move or "-"


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def render_recommendations(recs: Recommendations, emp: Employee | None = None) -> str:
    head = f"Next roles for {emp.display_name} ({emp.id})" if emp else "Next roles"
    lines = [head, ""]
    if not recs.items:
        return "\n".join([*lines, "  no matching roles"])
    lines.append(
        f"  {'#':>2}  {'role':<34} {'move':<16} {'score':>5}  {'readiness':<10} {'cover':>5} {'hours':>6} {'months':>6}"
    )
    for n, it in enumerate(recs.items, 1):
        lines.append(
            f"  {n:>2}  {_cut(it.title, 34):<34} {_move(it.move, it.track_change, it.family_change):<16} "
            f"{it.score:5.2f}  {_READY[it.readiness]:<10} "
            f"{it.coverage:5.0%} {it.gap_hours:6.0f} {it.est_months:6.1f}"
        )
    top = recs.items[0]
    lines += ["", f"Top pick: {top.title}", f"  Why: {top.why}"]
    if top.route and len(top.route) > 2:
        lines.append(f"  Route: {' -> '.join(top.route)}")
    for g in top.gaps[:6]:
        learn = (
            "; ".join(f"{x.title} ({x.hours:g} h)" for x in g.learning) or f"no catalog item; ~{g.hours:g} h practice"
        )
        lines.append(f"  Gap {g.name}: level {g.have} -> {g.need}  | {learn}")
    return "\n".join(lines)


def render_candidates(result: Candidates, role: Role | None = None) -> str:
    head = f"Internal candidates for {role.title} ({role.id})" if role else f"Internal candidates for {result.role_id}"
    lines = [head, ""]
    if not result.items:
        return "\n".join([*lines, "  no eligible internal candidates"])
    lines.append(
        f"  {'#':>2}  {'employee':<26} {'current role':<28} {'move':<16} {'score':>5}  {'readiness':<10} "
        f"{'cover':>5} {'hours':>6} {'months':>6}"
    )
    for n, c in enumerate(result.items, 1):
        lines.append(
            f"  {n:>2}  {_cut(f'{c.display_name} ({c.employee_id})', 26):<26} "
            f"{_cut(c.current_role_id or '-', 28):<28} {_move(c.move, c.track_change, c.family_change):<16} "
            f"{c.score:5.2f}  {_READY[c.readiness]:<10} {c.coverage:5.0%} {c.gap_hours:6.0f} {c.est_months:6.1f}"
        )
    lines += ["", f"  Why #1: {result.items[0].why}"]
    return "\n".join(lines)


def render_routes(routes: Routes) -> str:
    lines = [f"Route for {routes.employee_id} to {routes.target_role_id}"]
    for label, r in [("best", routes.best), *((f"alt {i}", a) for i, a in enumerate(routes.alternatives, 1))]:
        lines.append(f"  {label:<6} {' -> '.join(r.role_ids)}   {r.total_hours:g} h (~{r.est_months:g} months)")
        if label == "best":
            for s in r.steps:
                lines.append(
                    f"         step {s.from_role_id} -> {s.to_role_id} ({s.move}): "
                    f"{s.cost_hours:g} h, {len(s.gaps)} gaps"
                )
    return "\n".join(lines)
