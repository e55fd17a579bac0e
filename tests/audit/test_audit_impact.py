"""Impact ratios (LL144 method) computed by hand on the planted skewed org match the audit's."""

from __future__ import annotations

import math

import pytest
from audit_checks import assert_matches, by_hand
from audit_org import INCUMBENTS, PEOPLE, level_of, sex_of

from engine.api import Skillgraph
from engine.audit.impact import scoring_table, selection_table
from engine.profile import Profile


def test_selection_table_follows_the_published_rules() -> None:
    units = [("A", i < 30) for i in range(60)] + [("B", i < 12) for i in range(40)] + [("C", True)] + [(None, True)] * 5
    t = selection_table(units)
    rows = {r["group"]: r for r in t.rows}
    assert t.unknown == 5 and t.small_groups == ["C"] and t.reference_group == "A"
    assert (rows["A"]["selection_rate"], rows["A"]["impact_ratio"], rows["A"]["flag"]) == (0.5, 1.0, False)
    assert (rows["B"]["selection_rate"], rows["B"]["impact_ratio"], rows["B"]["flag"]) == (0.3, 0.6, True)
    # The one-person group is reported (ratio 2.0) but does not set the bar for everyone else.
    assert rows["C"]["impact_ratio"] == 2.0 and rows["C"]["small"]
    assert [r["group"] for r in t.rows] == ["A", "B", "C"]
    assert rows["A"]["p_value"] is None and rows["B"]["p_value"] < rows["C"]["p_value"]
    # One unit per person, 10 of 40 against 30 of 60: the pooled two-proportion z-test (rate 0.4).
    z = (0.25 - 0.5) / math.sqrt(0.4 * 0.6 * (1 / 40 + 1 / 60))
    two = selection_table([("X", i < 10) for i in range(40)] + [("Y", i < 30) for i in range(60)])
    assert {r["group"]: r["p_value"] for r in two.rows} == {"Y": None, "X": round(math.erfc(abs(z) / math.sqrt(2)), 4)}
    # The same rates from 4 people each assessed 10 times (all-or-nothing): far weaker evidence.
    clustered = selection_table([("X", p == 0, f"x{p}") for p in range(4) for _ in range(10)]
                                + [("Y", p < 3, f"y{p}") for p in range(6) for _ in range(10)])
    x = next(r for r in clustered.rows if r["group"] == "X")  # design effect 10: z = -2.5 / sqrt(10)
    assert x["impact_ratio"] == 0.5 and x["p_value"] == round(math.erfc(2.5 / math.sqrt(10) / math.sqrt(2)), 4)
    assert two.rows[1]["p_value"] < 0.05 < x["p_value"]
    nobody = selection_table([("A", False), ("B", False)])
    assert all(r["impact_ratio"] is None and not r["flag"] for r in nobody.rows)


def test_scoring_rate_is_the_share_above_the_sample_median() -> None:
    units = [("A", s) for s in (0.9, 0.8, 0.7, 0.2)] + [("B", s) for s in (0.6, 0.1, 0.1, 0.3)] + [(None, 0.5)]
    t = scoring_table(units)  # median of all nine scores = 0.5
    rows = {r["group"]: r for r in t.rows}
    assert t.extra["median"] == 0.5 and t.unknown == 1
    assert rows["A"]["above_median"] == 3 and rows["B"]["above_median"] == 1
    assert rows["B"]["impact_ratio"] == pytest.approx((1 / 4) / (3 / 4), abs=1e-4) and rows["B"]["flag"]


def test_shortlist_impact_by_hand_on_the_planted_skew(sg: Skillgraph) -> None:
    first = sg.candidates("lead", limit=20)
    second = sg.candidates("lead", limit=8)  # a subset of the first: counts nobody twice
    senior = sg.candidates("senior-analyst", limit=10)
    listed = {("lead", c.employee_id) for c in first.items + second.items}
    listed |= {("senior-analyst", c.employee_id) for c in senior.items}
    pool = {("lead", e) for e in PEOPLE}  # everyone but the incumbents is eligible for the lead role
    # ... and for the senior analyst role everyone below it (the leads would step down: not assessed)
    pool |= {("senior-analyst", e) for e in [*PEOPLE, *INCUMBENTS] if level_of(e) < 2}
    expected = by_hand([(sex_of(e), (role, e) in listed) for role, e in pool])

    rep = sg.audit.impact(kind="shortlist", category="sex")
    assert rep["decisions"] == 3
    assert_matches(rep, expected)
    rows = {r["group"]: r for r in rep["rows"]}
    # By construction the planted skew shows, and the lone nonbinary person is a small group.
    assert rows["female"]["flag"] and not rows["male"]["flag"] and rep["small_groups"] == ["nonbinary"]
    assert rep["reference_group"] == "male"
    lead = sg.audit.impact(kind="shortlist", category="sex", role_id="lead")  # one role's shortlists
    assert lead["decisions"] == 2 and lead["role_id"] == "lead"
    assert_matches(lead, by_hand([(sex_of(e), (role, e) in listed) for role, e in pool if role == "lead"]))
    with pytest.raises(Exception, match="narrows shortlists only"):
        sg.audit.impact(kind="recommendation", category="sex", role_id="lead")


def test_shortlist_overrides_are_their_own_rows(sg: Skillgraph) -> None:
    short = sg.candidates("lead", limit=20)
    listed = [c.employee_id for c in short.items]
    weak_women = [e for e, (s, _, strong, _) in PEOPLE.items() if s == "female" and not strong and e not in listed]
    for e in weak_women[:4]:
        sg.audit.record_override("lead", action="add", employee_id=e, reason="promising; skills data is stale")
    male = next(e for e in listed if sex_of(e) == "male")
    sg.audit.record_override("lead", action="remove", employee_id=male, reason="has declined the move")
    sg.audit.record_override("lead", action="reorder", employee_id=listed[-1], position=1, reason="internal referral")

    rep = sg.audit.impact(kind="shortlist", category="sex")
    assert_matches(rep, by_hand([(sex_of(e), e in listed) for e in PEOPLE]))  # the engine's own selection
    after = [*listed, *weak_women[:4]]
    after.remove(male)
    assert_matches(rep["after_overrides"], by_hand([(sex_of(e), e in after) for e in PEOPLE]))
    counts = {r["group"]: r for r in rep["overrides"]["rows"]}
    assert rep["overrides"]["total"] == 6
    assert (counts["female"]["add"], counts["male"]["remove"]) == (4, 1)
    assert sum(r["reorder"] for r in rep["overrides"]["rows"]) == 1
    view = sg.audit.overrides("lead")
    assert view["list"][0] == listed[-1] and male not in view["list"] and set(weak_women[:4]) <= set(view["list"])


def test_override_checks_the_list_it_changes(sg: Skillgraph) -> None:
    with pytest.raises(Exception, match="no shortlist for role"):
        sg.audit.record_override("lead", action="add", employee_id="P001", reason="before any shortlist")
    short = sg.candidates("lead", limit=5)
    on = short.items[0].employee_id
    with pytest.raises(Exception, match="already on shortlist"):
        sg.audit.record_override("lead", action="add", employee_id=on, reason="double add")
    with pytest.raises(Exception, match="not on shortlist"):
        sg.audit.record_override("lead", action="remove", employee_id="P030", reason="never listed")
    with pytest.raises(Exception, match="reason is required"):
        sg.audit.record_override("lead", action="remove", employee_id=on, reason="  ")
    with pytest.raises(Exception, match="needs the new position"):
        sg.audit.record_override("lead", action="reorder", employee_id=on, reason="move up")
    with pytest.raises(Exception, match="not found"):
        sg.audit.record_override("lead", action="add", employee_id="NOPE", reason="who is this")
    assert sg.audit.overrides("lead")["items"] == []


def test_recommendation_impact_by_hand(sg: Skillgraph) -> None:
    answers = {}
    for e in PEOPLE:
        answers[e] = sg.recommend(e, limit=3, direction="up" if int(e[1:]) % 3 else "any")
    sg.recommend("P001", limit=3, direction="lateral")  # cannot show a promotion: not in the pool
    sg.recommend_profile(Profile(role_id="analyst", skills=[{"skill": "sql", "level": 4}]))

    def advanced(e: str) -> bool:
        return any(i.level > level_of(e) and i.readiness in ("ready_now", "ready_soon") for i in answers[e].items)

    rep = sg.audit.impact(kind="recommendation", category="sex")
    assert rep["decisions"] == len(PEOPLE) + 2 and rep["profile_answers"] == 1
    assert_matches(rep, by_hand([(sex_of(e), advanced(e)) for e in PEOPLE]))
    best = [max([i.score for i in answers[e].items if i.level > level_of(e)], default=0.0) for e in PEOPLE]
    scoring = scoring_table(list(zip([sex_of(e) for e in PEOPLE], best, strict=True)))
    assert rep["scoring"]["rows"] == scoring.rows and rep["scoring"]["median"] == scoring.extra["median"]


def test_intersectional_and_unknown_categories(sg: Skillgraph) -> None:
    short = sg.candidates("lead", limit=20)
    listed = {c.employee_id for c in short.items}
    rep = sg.audit.impact(kind="shortlist", category="intersectional")

    def inter(e: str) -> str | None:
        s, race = sex_of(e), PEOPLE[e][1]
        return f"{s} / {race}" if s and race else None

    assert_matches(rep, by_hand([(inter(e), e in listed) for e in PEOPLE]))
    assert rep["unknown"] == 3 and "female / Group A" in {r["group"] for r in rep["rows"]}
    with pytest.raises(Exception, match="category must be one of"):
        sg.audit.impact(kind="shortlist", category="age")
    with pytest.raises(Exception, match="kind must be one of"):
        sg.audit.impact(kind="succession", category="sex")
    assert sg.audit.impact(kind="shortlist", category="sex", until="2001-01-01")["rows"] == []


def test_every_audit_read_of_protected_attributes_is_logged(sg: Skillgraph) -> None:
    sg.candidates("lead", limit=5)
    sg.audit.impact(kind="shortlist", category="race_ethnicity")
    sg.audit.disparities(category="sex")
    sg.audit.protected("P010")
    reads, _ = sg.audit.protected_reads()
    assert [(r["purpose"], r["employees"], r["employee_id"]) for r in reads] == [
        ("impact shortlist race_ethnicity", len(PEOPLE), None),
        ("disparities sex", len(PEOPLE) + len(INCUMBENTS), None),
        ("employee record", 1, "P010"),
    ]
