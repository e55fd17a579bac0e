"""Routes and timelines over the demo organisation: what a person planning a career would notice.

Built once per module with the fast fake encoder: routes depend on requirements, ladders, observed
moves and time in role, and only the inferred edges on the encoder.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from engine.results import RouteResult

CNA, LPN, RN, NM = "certified-nursing-assistant", "licensed-practical-nurse", "registered-nurse", "nurse-manager"
JSE, SE, SSE, STAFF = "junior-software-engineer", "software-engineer", "senior-software-engineer", "staff-engineer"
EM, DIR = "engineering-manager", "director-of-engineering"
ASSOC, DEPT, ASM, STORE = "store-associate", "department-lead", "assistant-store-manager", "store-manager"

LADDERS = {
    "nursing": [CNA, LPN, RN, NM],
    "engineering": [JSE, SE, SSE, STAFF],
    "retail": [ASSOC, DEPT, ASM, STORE],
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from embeddings import FakeEncoder
    from engine.api import Skillgraph
    from engine.config import Config
    from engine.demo_run import load_demo_org

    d: Path = tmp_path_factory.mktemp("demo")
    sg = Skillgraph(Config(db_url=f"sqlite:///{d / 'demo.db'}", home=d / "home"), encoder=FakeEncoder())
    load_demo_org(sg)
    sg.build_index(progress=False)
    yield sg
    sg.store.close()


def _holders(sg: object, role_id: str) -> list[tuple[str, float]]:
    """(employee id, months in role) of everyone in ``role_id``, by id."""
    st = sg.state()  # type: ignore[attr-defined]
    p = st.people
    ri = st.catalog.role_index[role_id]
    ids = {row: e for e, row in p.index.items()}
    rows = np.flatnonzero(p.role_idx == ri).tolist()
    return sorted((ids[r], float(p.months[r])) for r in rows)


def _best(sg: object, employee_id: str, role_id: str) -> RouteResult:
    return sg.routes(employee_id, role_id, alternatives=0).best  # type: ignore[attr-defined]


def _level(sg: object, role_id: str) -> int:
    cat = sg.state().catalog  # type: ignore[attr-defined]
    return int(cat.level[cat.role_index[role_id]])


def _on_ladder(sg: object, r: RouteResult) -> bool:
    G = sg.state().graph.G  # type: ignore[attr-defined]
    return all("ladder" in G.edges[s.from_role_id, s.to_role_id]["sources"] for s in r.steps)


def test_cna_to_nurse_manager_follows_the_nursing_ladder(demo: object) -> None:
    cnas = _holders(demo, CNA)
    assert len(cnas) > 20
    for employee_id, _ in cnas:
        best = _best(demo, employee_id, NM)
        # Every rung in turn (via charge nurse or straight from RN, both on the ladder), no sideways
        # hop to Health Unit Coordinator on the way.
        assert best.role_ids[:3] == [CNA, LPN, RN] and best.role_ids[-1] == NM, (employee_id, best.role_ids)
        assert "health-unit-coordinator" not in best.role_ids
        assert _on_ladder(demo, best), best.role_ids
        assert {s.move for s in best.steps} == {"promotion"}
        assert not any(s.family_change for s in best.steps)
        assert best.steps[-1].track_change  # onto the management track


def test_route_months_include_the_time_in_role_of_every_rung(demo: object) -> None:
    tenure = demo.state().catalog.tenure  # type: ignore[attr-defined]
    for employee_id, served in _holders(demo, CNA):
        best = _best(demo, employee_id, NM)
        # CNA (1) -> LPN (2) -> RN (3) -> nurse manager (5): the time at levels 1, 2, 3 and 4.
        need = tenure.wait(1, 5, served)
        assert need >= sum(tenure.before_promotion(lv) for lv in (2, 3, 4))
        assert best.experience_months == pytest.approx(need, abs=0.11)
        assert best.est_months >= need
        assert best.est_months >= best.learning_months
        # Own months in role count towards the first rung only.
        first = best.steps[0]
        assert first.experience_months == pytest.approx(max(0.0, tenure.before_promotion(1) - served), abs=0.05)
        assert best.steps[1].experience_months == tenure.before_promotion(2)
        assert sum(s.experience_months for s in best.steps[2:]) == pytest.approx(tenure.wait(3, 5))


@pytest.mark.parametrize("ladder", sorted(LADDERS))
def test_hours_and_months_grow_with_every_rung(demo: object, ladder: str) -> None:
    tenure = demo.state().catalog.tenure  # type: ignore[attr-defined]
    start, *rungs = LADDERS[ladder]
    holders = _holders(demo, start)
    assert holders
    for employee_id, served in holders:
        routes = [_best(demo, employee_id, r) for r in rungs]
        hours = [r.total_hours for r in routes]
        est = [r.est_months for r in routes]
        assert hours[0] < hours[1] < hours[2], (employee_id, hours)
        assert est[0] < est[1] < est[2], (employee_id, est)
        for r, rung in zip(routes, rungs, strict=True):
            assert _on_ladder(demo, r), r.role_ids
            assert r.est_months >= tenure.wait(_level(demo, start), _level(demo, rung), served)
        for lower, higher in pairwise(routes):
            if higher.role_ids[: len(lower.role_ids)] == lower.role_ids:
                # Reached through the nearer rung: it waits there on top.
                gap = tenure.wait(_level(demo, lower.role_ids[-1]), _level(demo, higher.role_ids[-1]))
                assert higher.est_months - lower.est_months >= gap - 0.11, (employee_id, higher.role_ids)


def test_senior_engineer_to_director_serves_both_rungs(demo: object) -> None:
    tenure = demo.state().catalog.tenure  # type: ignore[attr-defined]
    for employee_id, served in _holders(demo, SSE):
        best = _best(demo, employee_id, DIR)
        assert best.role_ids == [SSE, EM, DIR], employee_id
        need = tenure.wait(4, 6, served)
        assert need >= tenure.before_promotion(5) >= 30
        assert best.est_months >= need
        assert best.steps[0].track_change and not best.steps[0].family_change


def test_associate_to_store_manager_serves_every_rung(demo: object) -> None:
    tenure = demo.state().catalog.tenure  # type: ignore[attr-defined]
    for employee_id, served in _holders(demo, ASSOC):
        best = _best(demo, employee_id, STORE)
        # Department lead or visual merchandiser: both rungs of the retail ladder lead to ASM.
        assert best.role_ids[0] == ASSOC and best.role_ids[-2:] == [ASM, STORE], (employee_id, best.role_ids)
        assert len(best.role_ids) == 4 and _on_ladder(demo, best)
        assert best.est_months >= tenure.wait(1, 4, served)
        assert best.est_months >= tenure.before_promotion(2) + tenure.before_promotion(3)


def test_route_fields_add_up(demo: object) -> None:
    from engine.learning import months
    from engine.timeline import step_months

    st = demo.state()  # type: ignore[attr-defined]
    G = st.graph.G
    routes = demo.routes(_holders(demo, JSE)[0][0], DIR, alternatives=3)  # type: ignore[attr-defined]
    for r in [routes.best, *routes.alternatives]:
        assert r.total_hours == pytest.approx(sum(s.cost_hours for s in r.steps))
        assert r.est_months == pytest.approx(
            sum(step_months(s.learning_months, s.experience_months) for s in r.steps), abs=0.05
        )
        assert r.experience_months == pytest.approx(sum(s.experience_months for s in r.steps), abs=0.05)
        assert r.learning_months == pytest.approx(sum(s.learning_months for s in r.steps), abs=0.05)
        for s in r.steps:
            d = G.edges[s.from_role_id, s.to_role_id]
            assert (s.move, s.track_change, s.family_change) == (d["move"], d["track_change"], d["family_change"])
            assert s.learning_months == months(s.cost_hours, st.hours_per_week)
            if s.move != "promotion":
                assert s.experience_months == 0.0


def test_a_detour_must_be_clearly_quicker_than_the_ladder(demo: object, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.roles_graph as rg

    # A junior engineer with their time served: a QA / security detour to staff engineer is a little
    # quicker than the ladder, not 25% quicker, so the ladder is shown...
    employee_id = "E0029"
    assert (employee_id, 32.0) in _holders(demo, JSE)
    ladder = _best(demo, employee_id, STAFF)
    assert ladder.role_ids == LADDERS["engineering"]
    # ...and without the margin the detour would have won.
    monkeypatch.setattr(rg, "LADDER_MARGIN", 0.0)
    detour = _best(demo, employee_id, STAFF)
    assert detour.role_ids != ladder.role_ids
    assert detour.est_months > (1 - 0.25) * ladder.est_months


def test_move_months_counts_served_time_once() -> None:
    from engine.tenure import Tenure
    from engine.timeline import LEARN_WHILE_SERVING, move_months, step_months

    class Cat:
        tenure = Tenure(months={1: 12.0, 2: 20.0})
        level = np.asarray([1, 2, 3, 1])

    class People:
        months = np.asarray([5, 30])

    class St:
        catalog, people, hours_per_week = Cat(), People(), 4.0

    st = St()
    # 173.2 h at 4 h a week is 10 months of learning.
    assert move_months(st, 0, 0, 1, 173.2) == (step_months(10.0, 7.0), 7.0)  # type: ignore[arg-type]
    assert move_months(st, 1, 0, 2, 0.0) == (20.0, 20.0)  # type: ignore[arg-type]  # served covers level 1
    assert move_months(st, None, 0, 2, 0.0, served=0.0) == (32.0, 32.0)  # type: ignore[arg-type]
    assert move_months(st, 0, 1, 3, 173.2) == (10.0, 0.0)  # type: ignore[arg-type]  # a step down needs no wait
    assert move_months(st, 0, None, 2, 173.2) == (10.0, 0.0)  # type: ignore[arg-type]  # no current role
    assert step_months(10.0, 7.0) == (10.0 if LEARN_WHILE_SERVING else 17.0)


def test_path_months_never_undercut_a_rung_on_the_way(demo: object) -> None:
    from engine.recommender import assess
    from engine.timeline import path_months

    st = demo.state()  # type: ignore[attr-defined]
    ri = st.catalog.role_index
    row = st.people.index["E0048"]
    have = st.people.have_rows([row])[0]
    served = float(st.people.months[row])
    # Costed straight against each role, the RN looks cheaper than the LPN it builds on (the LPN
    # needs skills the RN no longer lists): the "two rungs up costs fewer hours" that users saw.
    assert assess(st, have, ri[RN]).plan_hours < assess(st, have, ri[LPN]).plan_hours
    lpn = path_months(st, have, [CNA, LPN], served)
    rn = path_months(st, have, [CNA, LPN, RN], served)
    nm = path_months(st, have, [ri[CNA], ri[LPN], ri[RN], ri[NM]], served)
    assert lpn[0] < rn[0] < nm[0] and lpn[1] < rn[1] < nm[1] and lpn[2] < rn[2] < nm[2]
    best = demo.routes("E0048", RN, alternatives=0).best  # type: ignore[attr-defined]
    assert best.role_ids == [CNA, LPN, RN]
    assert (best.total_hours, best.est_months, best.experience_months) == rn
