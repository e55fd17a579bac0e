"""The built-in demo organisation: a hand-written company plus seeded people.

Skills, roles, learning items and opportunities are hand-authored JSON shipped as package
data (``engine/demo/data/*.json``); employees and their career transitions come from a
seeded generator, and the mobility programme (teams, managers, hire dates, mentorships,
openings; see :mod:`engine.demo.programme`) from a second seeded stream, so
``load_demo(seed)`` is fully reproducible.

>>> org = load_demo(n_employees=50)
>>> len(org.employees)
50
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from engine.demo.generator import DEMO_EMPLOYEE_ID, REFERENCE_DATE, generate_people
from engine.demo.programme import add_programme
from engine.models import (
    Employee,
    LearningItem,
    Mentorship,
    Opening,
    Opportunity,
    OpportunityAssignment,
    Role,
    Skill,
    Transition,
)

__all__ = [
    "DEMO_EMPLOYEE_ID",
    "DEMO_OPEN_ROLE_ID",
    "DEMO_SUCCESSION_ROLE_ID",
    "REFERENCE_DATE",
    "DemoOrg",
    "load_demo",
]

# A role with open positions, for the shortlist demo (the demo employee's next rung).
DEMO_OPEN_ROLE_ID = "registered-nurse"
# A critical role, for the succession demo.
DEMO_SUCCESSION_ROLE_ID = "nurse-manager"


@dataclass(frozen=True)
class DemoOrg:
    """One demo company: every list holds validated :mod:`engine.models` instances."""

    skills: list[Skill]
    roles: list[Role]
    learning_items: list[LearningItem]
    employees: list[Employee]
    transitions: list[Transition]
    openings: list[Opening] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)
    assignments: list[OpportunityAssignment] = field(default_factory=list)
    mentorships: list[Mentorship] = field(default_factory=list)

    def records(self) -> list[Any]:
        """Everything, in an order the store accepts in one batch."""
        return [
            *self.skills,
            *self.roles,
            *self.learning_items,
            *self.employees,
            *self.transitions,
            *self.openings,
            *self.opportunities,
            *self.assignments,
            *self.mentorships,
        ]


@cache
def _raw(name: str) -> tuple[dict[str, Any], ...]:
    # Cached as parsed JSON only; models are rebuilt per call so callers may mutate them.
    text = resources.files("engine.demo").joinpath("data").joinpath(f"{name}.json").read_text(encoding="utf-8")
    return tuple(json.loads(text))


def load_demo(seed: int = 7, n_employees: int = 1200) -> DemoOrg:
    """Build the demo organisation; the same ``seed`` and size always give the same output."""
    skills = [Skill.model_validate(d) for d in _raw("skills")]
    roles = [Role.model_validate(d) for d in _raw("roles")]
    learning_items = [LearningItem.model_validate(d) for d in _raw("learning_items")]
    employees, transitions = generate_people(roles, skills, seed=seed, n_employees=n_employees)
    programme = add_programme(roles, employees, transitions, seed=seed)
    return DemoOrg(
        skills=skills,
        roles=roles,
        learning_items=learning_items,
        employees=programme.employees,
        transitions=programme.transitions,
        openings=programme.openings,
        opportunities=programme.opportunities,
        assignments=programme.assignments,
        mentorships=programme.mentorships,
    )
