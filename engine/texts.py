"""Competency texts: what gets embedded for roles, skills, learning items and employees.

A career move is plausible when two profiles do similar work with similar skills, so a role's
text is its title, its description and its most important skills (importance x level first).
Employees are NOT embedded as one text each: their vector is composed from cached vectors of
their role, their skills (weighted by level) and their interests (see engine.vectors), so a
100k-employee rebuild costs a sparse matrix product instead of 100k transformer passes.
"""

from __future__ import annotations

from collections.abc import Mapping

from embeddings import text_key
from engine.models import Employee, LearningItem, Role, Skill

__all__ = [
    "ROLE_TEXT_SKILLS",
    "employee_private_texts",
    "employee_text",
    "learning_text",
    "role_tasks",
    "role_text",
    "skill_text",
]

ROLE_TEXT_SKILLS = 8  # top requirements named in a role's text


def role_text(role: Role, skill_names: Mapping[str, str]) -> str:
    """``"<title>. <description>"``, or with ``Key skills: a, b, c.`` appended when the role has no
    task statements (task bullets are embedded separately and say more than skill names)."""
    from engine.title_match import split_description

    top = sorted(role.requirements, key=lambda q: (-q.weight * q.level, q.skill_id))[:ROLE_TEXT_SKILLS]
    names = [skill_names[q.skill_id] for q in top if q.skill_id in skill_names]
    plain, tasks = split_description(role.description)
    text = f"{role.title}. {plain}".strip()
    if names and not tasks:
        text += f" Key skills: {', '.join(names)}."
    return text


def role_tasks(role: Role) -> list[str]:
    """Task statements carried in the description (see engine.title_match.compose_description)."""
    from engine.title_match import split_description

    return [t for t in split_description(role.description)[1] if t.strip()]


def skill_text(skill: Skill) -> str:
    """The skill's name with its description, if any: disambiguates short names ("Go")."""
    return f"{skill.name}: {skill.description}" if skill.description else skill.name


def learning_text(item: LearningItem, skill_names: Mapping[str, str]) -> str:
    taught = ", ".join(skill_names.get(s.skill_id, s.skill_id) for s in item.skills)
    return f"{item.title}. {item.description} Teaches: {taught}.".strip()


def employee_text(emp: Employee, role_title: str | None, skill_names: Mapping[str, str]) -> str:
    """A one-text rendering of an employee, used for ad-hoc comparisons and the composition check."""
    top = sorted(emp.skills, key=lambda s: (-s.level, s.skill_id))[:ROLE_TEXT_SKILLS]
    parts = [role_title or "", ", ".join(skill_names.get(s.skill_id, s.skill_id) for s in top), emp.interests]
    return ". ".join(p for p in parts if p)


def employee_private_texts(emp: Employee, model_id: str) -> list[str]:
    """Cache keys of texts that are about this person (erased with them)."""
    return [text_key(model_id, emp.interests)] if emp.interests else []
