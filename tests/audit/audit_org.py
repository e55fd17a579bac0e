"""A planted skewed organisation whose audit answers are known by construction.

Three roles on one ladder (analyst 1 -> senior analyst 2 -> lead 3). 30 women and 30 men hold the
two lower roles; the skills that the lead role needs are planted so that 18 of the men and 6 of
the women are strong (near the lead's requirements) and the rest weak. One nonbinary person
(1/61 of the known pool: under 2 %) is strong. Three people have no usable sex value: two have
no protected attributes, one "prefer not to say". Race/ethnicity alternates within each sex.
Two lead incumbents are not in any lead shortlist pool.
"""

from __future__ import annotations

from typing import Any

from engine.models import Employee, LearningItem, Role, Skill

SKILLS = [Skill(id=s, name=s.replace("-", " ").title()) for s in ("analysis", "sql", "stakeholders", "coaching")]


def _req(**levels: int) -> list[dict[str, Any]]:
    return [{"skill_id": s, "level": lvl, "weight": 1.0} for s, lvl in levels.items()]


ROLES = [
    Role(id="analyst", title="Analyst", family="insight", level=1, track="ic",
         requirements=_req(analysis=2, sql=2), next_role_ids=["senior-analyst"]),
    Role(id="senior-analyst", title="Senior Analyst", family="insight", level=2, track="ic",
         requirements=_req(analysis=3, sql=3, stakeholders=2), next_role_ids=["lead"]),
    Role(id="lead", title="Insight Lead", family="insight", level=3, track="management",
         requirements=_req(analysis=4, sql=3, stakeholders=4, coaching=3), open_positions=2),
]
LEARNING = [
    LearningItem(id="coach-1", title="Coaching basics", hours=30, skills=[{"skill_id": "coaching", "to_level": 3}]),
    LearningItem(id="stake-1", title="Stakeholder management", hours=30,
                 skills=[{"skill_id": "stakeholders", "to_level": 4}]),
]
STRONG = {"analysis": 4, "sql": 4, "stakeholders": 4, "coaching": 3}
WEAK = {"analysis": 2, "sql": 2, "stakeholders": 1, "coaching": 0}
RACES = ("Group A", "Group B")

# id -> (sex or None for no attributes, race, strong?, role)
PEOPLE: dict[str, tuple[str | None, str | None, bool, str]] = {}


def _plant() -> None:
    n = 0
    for sex, strong_count in (("female", 6), ("male", 18)):
        for i in range(30):
            n += 1
            role = "senior-analyst" if i % 2 else "analyst"
            PEOPLE[f"P{n:03d}"] = (sex, RACES[i % 2], i < strong_count, role)
    PEOPLE["P061"] = ("nonbinary", "Group A", True, "senior-analyst")
    PEOPLE["P062"] = (None, None, True, "analyst")
    PEOPLE["P063"] = (None, None, False, "senior-analyst")
    PEOPLE["P064"] = ("prefer not to say", "Group B", True, "senior-analyst")


_plant()
INCUMBENTS = ("L001", "L002")


def employee(id_: str, *, sex: str | None, race: str | None, strong: bool, role: str) -> Employee:
    skills = STRONG if strong else WEAK
    protected = None if sex is None else {"sex": sex, "race_ethnicity": race, "age_band": "35-44"}
    return Employee(id=id_, display_name=f"Person {id_}", role_id=role, months_in_role=20,
                    skills=[{"skill_id": s, "level": v} for s, v in skills.items() if v > 0], protected=protected)


def skewed_org() -> list[Any]:
    people = [employee(i, sex=s, race=r, strong=st, role=role) for i, (s, r, st, role) in PEOPLE.items()]
    leads = [employee(i, sex="female", race="Group A", strong=True, role="lead") for i in INCUMBENTS]
    return [*SKILLS, *ROLES, *LEARNING, *people, *leads]


def sex_of(emp_id: str) -> str | None:
    """The group the audit must put a person in (None = unknown), by construction."""
    if emp_id in INCUMBENTS:
        return "female"
    sex = PEOPLE[emp_id][0]
    return None if sex in (None, "prefer not to say") else sex


def level_of(emp_id: str) -> int:
    role = "lead" if emp_id in INCUMBENTS else PEOPLE[emp_id][3]
    return {"analyst": 1, "senior-analyst": 2, "lead": 3}[role]
