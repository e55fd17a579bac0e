"""`skillgraph demo`: load the demo organisation, build indexes, show one employee and one role."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TextIO

from engine.render import render_candidates, render_recommendations

if TYPE_CHECKING:
    from engine.api import Skillgraph

__all__ = ["load_demo_org", "run_demo"]


def _programme(sg: Skillgraph, role_id: str, out: TextIO) -> None:
    """The programme in a few lines: one succession slate (top 3 per bucket), the internal fill rate."""
    slate = sg.programme.succession(role_id, limit=3)
    titles = {r.id: r.title for r in sg.store.all("role")}
    print(f"=== Succession: {slate.title} (critical role, {len(slate.incumbents)} incumbents) ===", file=out)
    for label, items in (
        ("ready now", slate.ready_now),
        ("within 1 year", slate.ready_1y),
        ("within 2 years", slate.ready_2y),
    ):
        names = ", ".join(f"{c.display_name} ({titles.get(c.current_role_id or '', '-')})" for c in items) or "nobody"
        print(f"  {label:<15} {names}", file=out)
    print(f"  bench strength {slate.bench_strength}{'; AT RISK' if slate.at_risk else ''}", file=out)
    report = sg.programme.mobility()
    t = report.totals
    rate = f"{t.internal_fill_rate:.0%}" if t.internal_fill_rate is not None else "n/a"
    print(
        f"Last 12 months to {report.until}: internal fill rate {rate} ({t.openings_internal} of "
        f"{t.openings_closed} openings filled from inside), {t.promotions} promotions "
        f"({(t.promotion_rate or 0):.1%} of headcount). More: skillgraph report mobility",
        file=out,
    )


def load_demo_org(sg: Skillgraph, *, reset: bool = False) -> bool:
    """Load the built-in organisation into the store; returns True when it wrote anything."""
    from engine.demo import load_demo

    if reset:
        sg.store.drop_all()
    sg.init()
    if not reset and sg.store.count("employee") > 0:
        return False
    from engine.demo import REFERENCE_DATE
    from engine.programme.clock import set_as_of

    org = load_demo()
    sg.store.upsert(org.records())
    set_as_of(sg.store, REFERENCE_DATE)  # the demo company is a snapshot of that day
    return True


def run_demo(sg: Skillgraph, *, reset: bool, out: TextIO) -> None:
    from engine.demo import DEMO_EMPLOYEE_ID, DEMO_OPEN_ROLE_ID, DEMO_SUCCESSION_ROLE_ID

    t0 = time.perf_counter()
    loaded = load_demo_org(sg, reset=reset)
    st = sg.store
    print(
        f"{'Loaded' if loaded else 'Using'} the demo organisation: {st.count('role')} roles, "
        f"{st.count('skill')} skills, "
        f"{st.count('learning_item')} learning items, {st.count('employee')} employees, "
        f"{st.count('transition')} past moves, {st.count('opening')} openings, "
        f"{st.count('opportunity')} gigs and projects, {st.count('mentorship')} mentorships ({sg.store.safe_url})",
        file=out,
    )
    report = sg.build_index(progress=False)
    print(report.summary(), file=out)
    emp = st.get_employee(DEMO_EMPLOYEE_ID)
    print("", file=out)
    print("=== What's my next role? ===", file=out)
    print(render_recommendations(sg.recommend(emp.id, limit=5, direction="any"), emp), file=out)
    role = st.get_role(DEMO_OPEN_ROLE_ID)
    print("", file=out)
    print(f"=== Who inside could fill {role.title}? ({role.open_positions} open) ===", file=out)
    print(render_candidates(sg.candidates(role.id, limit=8), role), file=out)
    print("", file=out)
    _programme(sg, DEMO_SUCCESSION_ROLE_ID, out)
    print("", file=out)
    print(f"Done in {time.perf_counter() - t0:.1f}s. Try: skillgraph recommend {emp.id} --direction up", file=out)
