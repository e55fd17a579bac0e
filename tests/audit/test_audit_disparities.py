"""Advancement disparities from a planted history: men promoted faster and more often than women."""

from __future__ import annotations

from datetime import date

import pytest
from audit_org import PEOPLE

from engine.api import Skillgraph
from engine.models import Role, Transition

SENIOR_F = [e for e, (s, _, _, r) in PEOPLE.items() if s == "female" and r == "senior-analyst"]
SENIOR_M = [e for e, (s, _, _, r) in PEOPLE.items() if s == "male" and r == "senior-analyst"]
ANALYST_F = [e for e, (s, _, _, r) in PEOPLE.items() if s == "female" and r == "analyst"]


@pytest.fixture
def history(sg: Skillgraph) -> Skillgraph:
    """Everyone joined as an intern; senior analysts were promoted from analyst.

    Men: all 15 promoted inside the window (2025), 12 months after joining. Women: 5 of 15
    promoted inside the window, 24 months after joining; the other 10 in 2021. Three female
    analysts moved across from reporting analyst (same level) in the window.
    """
    intern = Role(id="intern", title="Intern", family="insight", level=0, next_role_ids=["analyst"])
    reporting = Role(id="reporting-analyst", title="Reporting Analyst", family="insight", level=1)
    moves: list = []
    for e in SENIOR_M:
        moves += [Transition(from_role_id="intern", to_role_id="analyst", date=date(2024, 3, 1), employee_id=e),
                  Transition(from_role_id="analyst", to_role_id="senior-analyst", date=date(2025, 3, 1), employee_id=e)]
    for n, e in enumerate(SENIOR_F):
        year = 2025 if n < 5 else 2021
        moves += [Transition(from_role_id="intern", to_role_id="analyst", date=date(year - 2, 3, 1), employee_id=e),
                  Transition(from_role_id="analyst", to_role_id="senior-analyst", date=date(year, 3, 1), employee_id=e)]
    for e in ANALYST_F[:3]:
        moves.append(Transition(from_role_id="reporting-analyst", to_role_id="analyst", date=date(2025, 1, 15),
                                employee_id=e))
    moves.append(Transition(from_role_id="analyst", to_role_id="senior-analyst", date=date(2025, 2, 1),
                            employee_id="P061"))  # the one nonbinary person: a group of one
    sg.upsert([intern, reporting, *moves])
    return sg


def test_promotion_rates_time_to_promotion_and_lateral_moves(history: Skillgraph) -> None:
    rep = history.audit.disparities(category="sex", since="2024-07-01", until="2025-06-30")
    rows = {r["group"]: r for r in rep["groups"]}
    f, m = rows["female"], rows["male"]
    assert (f["headcount"], m["headcount"]) == (30 + 2, 30)  # the two female lead incumbents count
    assert (f["promotions"], m["promotions"]) == (5, 15)
    assert f["promotion_rate"] == pytest.approx(5 / 32, abs=1e-4)
    assert m["promotion_rate"] == pytest.approx(15 / 30, abs=1e-4)
    assert f["promotion_ratio"] == pytest.approx((5 / 32) / (15 / 30), abs=1e-4) and f["flag"]
    assert m["promotion_ratio"] == 1.0 and not m["flag"] and m["p_value"] is None
    assert f["p_value"] < 0.01  # 5 of 32 against 15 of 30: more than chance
    assert (f["lateral_moves"], m["lateral_moves"]) == (3, 0)
    assert f["median_months_to_promotion"] == pytest.approx(24, abs=0.2)
    assert m["median_months_to_promotion"] == pytest.approx(12, abs=0.2)
    assert f["median_months_in_role"] == 20.0
    # One nonbinary person: suppressed, nothing about their move can be read off the report.
    nb = rows["nonbinary"]
    assert nb["suppressed"] and nb["promotions"] is None and nb["headcount"] is None
    assert rep["totals"]["promotions"] == 5 + 15 + 1
    assert rep["totals"]["unknown_people"] == 3
    family = {f["family"]: {r["group"]: r for r in f["groups"]} for f in rep["by_family"]}
    assert family["insight"]["male"]["promotions"] == 15


def test_window_default_and_suppression_threshold(history: Skillgraph) -> None:
    rep = history.audit.disparities(category="sex")  # 12 months up to the latest recorded move
    assert (rep["since"], rep["until"]) == ("2024-03-01", "2025-03-01")
    low = history.audit.disparities(category="sex", min_group=1)
    assert not {r["group"]: r for r in low["groups"]}["nonbinary"]["suppressed"]
    high = history.audit.disparities(category="sex", min_group=31)
    assert [r["group"] for r in high["groups"] if not r["suppressed"]] == ["female"]
    with pytest.raises(Exception, match=r"since .* is after until"):
        history.audit.disparities(category="sex", since="2025-01-01", until="2024-01-01")
