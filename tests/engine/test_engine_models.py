"""Validation errors a data owner would see."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from engine.importers.records import format_validation_error, to_record
from engine.models import Employee, LearningItem, Role, Transition


def _msg(exc: ValidationError) -> str:
    return format_validation_error(exc)


def test_level_out_of_range_names_the_field() -> None:
    with pytest.raises(ValidationError) as e:
        Employee(id="E1", display_name="A", skills=[{"skill_id": "py", "level": 7}])
    assert "skills.0.level" in _msg(e.value)
    assert "less than or equal to 5" in _msg(e.value)


def test_weight_out_of_range() -> None:
    with pytest.raises(ValidationError) as e:
        Role(id="r", title="R", requirements=[{"skill_id": "py", "level": 3, "weight": 1.5}])
    assert "requirements.0.weight" in _msg(e.value)


def test_duplicate_requirement_and_self_ladder_rejected() -> None:
    with pytest.raises(ValidationError, match="duplicate requirement skill 'py'"):
        Role(id="r", title="R", requirements=[{"skill_id": "py", "level": 3}, {"skill_id": "py", "level": 2}])
    with pytest.raises(ValidationError, match="lists itself"):
        Role(id="r", title="R", next_role_ids=["r"])


def test_unknown_field_rejected() -> None:
    with pytest.raises(ValueError, match="field 'salary': unknown field"):
        to_record("role", {"id": "r", "title": "R", "salary": 3})


def test_bad_ids_and_empty_learning() -> None:
    with pytest.raises(ValidationError):
        Role(id="has space", title="R")
    with pytest.raises(ValidationError, match="skills"):
        LearningItem(id="l1", title="T", hours=3, skills=[])
    with pytest.raises(ValidationError, match="must change role"):
        Transition(from_role_id="a", to_role_id="a")


def test_transition_id_is_deterministic() -> None:
    a = Transition(from_role_id="a", to_role_id="b", date="2024-01-02", employee_id="E1")
    b = Transition(from_role_id="a", to_role_id="b", date="2024-01-02", employee_id="E1")
    assert a.id == b.id


def test_scoring_view_drops_protected_attributes() -> None:
    e = Employee(id="E1", display_name="A", protected={"sex": "f", "age_band": "30-39"})
    assert e.scoring_view().protected is None
    assert e.protected is not None and e.protected.sex == "f"
