"""Recommendations, learning plans, routes and shortlists on an org whose answers are known."""

from __future__ import annotations

import pytest

from engine.errors import EmployeeNotFound, InvalidInput, RoleNotFound
from engine.models import Employee, ProtectedAttributes
from engine.profile import Profile


def test_nurse_ladder_recommends_next_rung(tiny) -> None:  # type: ignore[no-untyped-def]
    recs = tiny.recommend("N1", direction="up", limit=3)
    top = recs.items[0]
    assert top.role_id == "rn" and top.move == "promotion"
    assert top.route == ["lpn", "rn"]
    assert "next step on your career ladder" in top.why


def test_dual_ladder_engineer_sees_both_tracks(tiny) -> None:  # type: ignore[no-untyped-def]
    items = {i.role_id: i for i in tiny.recommend("S1", direction="up", limit=5).items}
    assert items["staff"].move == "promotion" and not items["staff"].track_change
    # One level up onto the management track is a promotion too; the track change is its own flag.
    assert items["em"].move == "promotion" and items["em"].track_change and not items["em"].family_change
    assert "onto the management track" in items["em"].why


def test_lateral_direction_returns_same_level_moves_including_bridges(tiny) -> None:  # type: ignore[no-untyped-def]
    items = tiny.recommend("N4", direction="lateral", limit=5).items
    assert items and all(i.level == 3 for i in items)
    assert "clin-informatics" in [i.role_id for i in items]
    assert {i.move for i in items} <= {"lateral", "cross_family"}
    assert any(i.move == "cross_family" for i in items)


def test_gaps_and_learning_plan_are_exact(tiny) -> None:  # type: ignore[no-untyped-def]
    rn = next(i for i in tiny.recommend("N1", direction="up").items if i.role_id == "rn")
    gaps = {g.skill_id: (g.have, g.need) for g in rn.gaps}
    assert gaps == {"meds": (2, 3), "assessment": (0, 3), "care-planning": (0, 2)}
    # One 60 h bridge programme closes all three gaps: cheaper than 40 + 30 + 12 h separately.
    plan = tiny.learning("N1", "rn")
    assert [i.id for i in plan.items] == ["rn-bridge"]
    assert plan.total_hours == 60 == rn.gap_hours
    # Meds 2 of 3 is a gap, not a match: each skill is listed once, matched only at or above the need.
    assert {m.skill_id for m in rn.matched_skills} == {"patient-care"}
    assert all(m.have >= m.need for m in rn.matched_skills)
    assert rn.coverage == pytest.approx((1 * 1 + 1 * 2 / 3) / (1 + 1 + 1 + 0.7), abs=1e-3)


def test_uncovered_gap_uses_default_hours(tiny) -> None:  # type: ignore[no-untyped-def]
    plan = tiny.learning("N1", "nurse-manager")
    assert "budget" in plan.uncovered
    assert plan.default_hours == 40  # 20 h per missing level, budget 0 -> 2


def test_route_total_equals_sum_of_steps(tiny) -> None:  # type: ignore[no-untyped-def]
    routes = tiny.routes("N3", "nurse-manager", alternatives=2)
    best = routes.best
    assert best.role_ids[0] == "cna" and best.role_ids[-1] == "nurse-manager"
    assert best.total_hours == pytest.approx(sum(s.cost_hours for s in best.steps))
    for alt in routes.alternatives:
        assert alt.total_hours >= best.total_hours
        assert alt.role_ids != best.role_ids


def test_shortlist_ranks_ready_now_above_stretch_and_excludes_incumbents(tiny) -> None:  # type: ignore[no-untyped-def]
    items = tiny.candidates("rn", limit=10).items
    ids = [c.employee_id for c in items]
    assert "N4" not in ids  # holds the role already
    assert ids.index("N2") < ids.index("N1")
    assert items[ids.index("N2")].readiness == "ready_now"
    assert items[ids.index("N1")].readiness in {"ready_soon", "stretch"}
    if "N3" in ids:
        assert ids.index("N1") < ids.index("N3")


def test_protected_attributes_change_no_score(tiny) -> None:  # type: ignore[no-untyped-def]
    before = tiny.recommend("N1").model_dump()
    shortlist_before = tiny.candidates("rn").model_dump()
    emp = tiny.store.get_employee("N1")
    new = ProtectedAttributes(sex="m", race_ethnicity="other", age_band="55-64")
    tiny.upsert([emp.model_copy(update={"protected": new})])
    assert tiny.store.get_protected("N1") == new
    assert tiny.recommend("N1").model_dump() == before
    assert tiny.candidates("rn").model_dump() == shortlist_before
    text = str(before) + str(shortlist_before)
    assert "25-34" not in text and "protected" not in text


def test_write_is_visible_to_next_recommendation_without_rebuild(tiny) -> None:  # type: ignore[no-untyped-def]
    emp = tiny.store.get_employee("N1")
    before = next(i for i in tiny.recommend("N1", direction="up").items if i.role_id == "rn")
    skills = [*emp.skills, {"skill_id": "assessment", "level": 3}]
    tiny.upsert([Employee(**{**emp.model_dump(exclude={"skills"}), "skills": skills})])
    after = next(i for i in tiny.recommend("N1", direction="up").items if i.role_id == "rn")
    assert after.coverage > before.coverage
    assert "assessment" not in {g.skill_id for g in after.gaps}


def test_ad_hoc_profile_by_alias(tiny) -> None:  # type: ignore[no-untyped-def]
    recs = tiny.recommend_profile(
        Profile(role_id="se", skills=[{"skill": "py3", "level": 4}, {"skill": "design", "level": 3}])
    )
    assert recs.employee_id is None
    assert recs.items[0].role_id == "sse"
    with pytest.raises(InvalidInput, match="unknown skill"):
        tiny.recommend_profile(Profile(skills=[{"skill": "zzqx kwv", "level": 2}]))


def test_unknown_ids_and_bad_direction(tiny) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EmployeeNotFound):
        tiny.recommend("nobody")
    with pytest.raises(RoleNotFound):
        tiny.candidates("nope")
    with pytest.raises(InvalidInput, match="direction"):
        tiny.recommend("N1", direction="sideways")


def test_erasure_removes_person_from_vectors_and_shortlists(tiny) -> None:  # type: ignore[no-untyped-def]
    from embeddings import text_key

    emp = tiny.store.get_employee("N2")
    tiny.upsert([emp.model_copy(update={"interests": "Rita's private wish: paediatric oncology"})])
    key = text_key(tiny.encoder.model_id, "Rita's private wish: paediatric oncology")
    assert tiny.store.get_many(tiny.encoder.model_id, [key])  # cached while she is here
    tiny.delete("employee", "N2")
    assert not tiny.store.get_many(tiny.encoder.model_id, [key])
    assert not tiny.state().employees_ix.contains("N2")
    assert "N2" not in [c.employee_id for c in tiny.candidates("rn").items]
    with pytest.raises(EmployeeNotFound):
        tiny.recommend("N2")


def test_resolve_skill_by_alias(tiny) -> None:  # type: ignore[no-untyped-def]
    [matches] = tiny.resolve_skills(["python3"])
    assert matches[0].id == "python" and matches[0].score == 1.0


def test_bottlenecks_show_roles_without_ways_up(tiny) -> None:  # type: ignore[no-untyped-def]
    # The analyst has no ladder move, no observed move and no similar role at its level or above.
    assert [b.id for b in tiny.bottlenecks(max_out=0)] == ["analyst"]
    # The nursing rungs have a single way up each; tops of families are never reported.
    assert [b.id for b in tiny.bottlenecks(max_out=1)] == ["analyst", "cna", "lpn", "rn"]


def test_shortlist_puts_step_downs_after_natural_moves_of_the_same_readiness(tiny) -> None:  # type: ignore[no-untyped-def]
    # A nurse manager who nearly covers the RN role outscores the LPN Nia, but for them the role is a
    # step down: a recruiter sees Nia first within "ready soon", and the move says why.
    skills = [("patient-care", 4), ("meds", 3), ("assessment", 3), ("leadership", 3), ("budget", 2)]
    tiny.store.upsert(
        [
            Employee(
                id="M1",
                display_name="Manager Max",
                role_id="nurse-manager",
                skills=[{"skill_id": s, "level": lv} for s, lv in skills],
            )
        ]
    )
    assert "M1" not in {c.employee_id for c in tiny.candidates("rn", limit=10).items}  # not unless asked
    items = {c.employee_id: c for c in tiny.candidates("rn", limit=10, include_step_down=True).items}
    ids = list(items)
    assert items["M1"].move == "step_down" and items["N1"].move == "promotion"
    assert items["M1"].score > items["N1"].score
    assert ids[-1] == "M1"  # after everyone for whom the role is a natural move, whatever the score
    assert "step down" in items["M1"].why
    only = tiny.candidates("rn", limit=10, moves=["step_down"]).items
    assert [c.employee_id for c in only] == ["M1"]
    with pytest.raises(InvalidInput, match="moves must be among"):
        tiny.candidates("rn", moves=["sideways"])
