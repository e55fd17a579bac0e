"""`skillgraph demo`: load the demo organisation, build indexes, show one employee and one role."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TextIO

from engine.render import render_candidates, render_recommendations

if TYPE_CHECKING:
    from engine.api import Skillgraph

__all__ = ["load_demo_org", "run_demo"]


def load_demo_org(sg: Skillgraph, *, reset: bool = False) -> bool:
    """Load the built-in organisation into the store; returns True when it wrote anything."""
    from engine.demo import load_demo

    if reset:
        sg.store.drop_all()
    sg.init()
    if not reset and sg.store.count("employee") > 0:
        return False
    org = load_demo()
    sg.store.upsert([*org.skills, *org.roles, *org.learning_items, *org.employees, *org.transitions])
    return True


def run_demo(sg: Skillgraph, *, reset: bool, out: TextIO) -> None:
    from engine.demo import DEMO_EMPLOYEE_ID, DEMO_OPEN_ROLE_ID

    t0 = time.perf_counter()
    loaded = load_demo_org(sg, reset=reset)
    st = sg.store
    print(
        f"{'Loaded' if loaded else 'Using'} the demo organisation: {st.count('role')} roles, "
        f"{st.count('skill')} skills, "
        f"{st.count('learning_item')} learning items, {st.count('employee')} employees, "
        f"{st.count('transition')} past moves ({sg.store.safe_url})",
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
    print(f"Done in {time.perf_counter() - t0:.1f}s. Try: skillgraph recommend {emp.id} --direction up", file=out)
