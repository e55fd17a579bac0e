"""A tiny hand-made organisation for the service tests (answers are easy to reason about)."""

from __future__ import annotations

from typing import Any

from engine.models import Employee, LearningItem, Role, Skill

# Protected values are distinctive strings so a leak is easy to find in any response text.
PROTECTED = {
    "E001": {"sex": "prot-sex-F-0193", "race_ethnicity": "prot-race-7f3a", "age_band": "prot-age-35-44-x1"},
    "E002": {"sex": "prot-sex-M-5521", "race_ethnicity": "prot-race-91bb", "age_band": "prot-age-25-34-x2"},
    "E003": {"sex": "prot-sex-X-7734", "race_ethnicity": "prot-race-02cd", "age_band": "prot-age-45-54-x3"},
}
PROTECTED_VALUES = [v for attrs in PROTECTED.values() for v in attrs.values()]

SKILLS = [
    Skill(id="python", name="Python", aliases=["python3"], category="programming"),
    Skill(id="sql", name="SQL", aliases=["postgres", "structured query language"], category="data"),
    Skill(id="spark", name="Apache Spark", category="data"),
    Skill(id="stats", name="Statistics", category="analytics"),
    Skill(id="ml", name="Machine Learning", category="analytics"),
    Skill(id="dashboards", name="Dashboards and Visualisation", category="analytics"),
    Skill(id="leadership", name="People Leadership", category="management"),
    Skill(id="communication", name="Communication", category="general"),
]


def _req(*pairs: tuple[str, int, float]) -> list[dict[str, Any]]:
    return [{"skill_id": s, "level": lvl, "weight": w} for s, lvl, w in pairs]


ROLES = [
    Role(id="data-analyst", title="Data Analyst", family="data", level=1, track="ic",
         requirements=_req(("sql", 3, 1.0), ("dashboards", 3, 0.8), ("stats", 2, 0.6)),
         next_role_ids=["senior-data-analyst", "data-scientist"]),
    Role(id="senior-data-analyst", title="Senior Data Analyst", family="data", level=2, track="ic",
         requirements=_req(("sql", 4, 1.0), ("dashboards", 4, 0.8), ("stats", 3, 0.8), ("communication", 3, 0.5)),
         open_positions=1),
    Role(id="data-engineer", title="Data Engineer", family="data", level=2, track="ic",
         requirements=_req(("python", 3, 1.0), ("sql", 3, 1.0), ("spark", 2, 0.6)),
         next_role_ids=["senior-data-engineer"]),
    Role(id="senior-data-engineer", title="Senior Data Engineer", family="data", level=3, track="ic",
         requirements=_req(("python", 4, 1.0), ("sql", 4, 0.8), ("spark", 4, 0.9)),
         next_role_ids=["data-eng-manager"], open_positions=2),
    Role(id="data-scientist", title="Data Scientist", family="data", level=2, track="ic",
         requirements=_req(("python", 3, 1.0), ("stats", 4, 1.0), ("ml", 3, 0.9), ("sql", 2, 0.4))),
    Role(id="data-eng-manager", title="Data Engineering Manager", family="data", level=4, track="management",
         requirements=_req(("leadership", 4, 1.0), ("communication", 4, 0.8), ("spark", 3, 0.4))),
    Role(id="software-engineer", title="Software Engineer", family="engineering", level=2, track="ic",
         requirements=_req(("python", 4, 1.0), ("communication", 2, 0.3))),
]

LEARNING = [
    LearningItem(id="sql-adv", title="Advanced SQL", hours=12, skills=[{"skill_id": "sql", "to_level": 4}]),
    LearningItem(id="spark-101", title="Spark Fundamentals", hours=16, skills=[{"skill_id": "spark", "to_level": 3}]),
    LearningItem(id="spark-pro", title="Spark Performance Tuning", hours=20, format="certification",
                 skills=[{"skill_id": "spark", "to_level": 4}]),
    LearningItem(id="py-adv", title="Advanced Python", hours=24, skills=[{"skill_id": "python", "to_level": 4}]),
    LearningItem(id="stats-ml", title="Statistics for ML", hours=30,
                 skills=[{"skill_id": "stats", "to_level": 4}, {"skill_id": "ml", "to_level": 3}]),
    LearningItem(id="lead-1", title="First-time Manager", hours=20, format="mentoring",
                 skills=[{"skill_id": "leadership", "to_level": 3}, {"skill_id": "communication", "to_level": 4}]),
]


def _emp(id_: str, name: str, role: str, skills: dict[str, int], **extra: Any) -> Employee:
    return Employee(
        id=id_, display_name=name, role_id=role, months_in_role=extra.pop("months", 24),
        skills=[{"skill_id": s, "level": lvl} for s, lvl in skills.items()],
        protected=PROTECTED.get(id_), **extra,
    )


EMPLOYEES = [
    _emp("E001", "Ada Analyst", "data-analyst", {"sql": 4, "dashboards": 4, "stats": 3, "communication": 3}),
    _emp("E002", "Bo Builder", "data-engineer", {"python": 4, "sql": 4, "spark": 3}, interests="streaming"),
    _emp("E003", "Cy Scientist", "data-scientist", {"python": 3, "stats": 4, "ml": 3, "sql": 2}),
    _emp("E004", "Di Engineer", "software-engineer", {"python": 4, "communication": 2, "sql": 2}),
    _emp("E005", "Ed Senior", "senior-data-engineer", {"python": 4, "sql": 4, "spark": 4, "communication": 3}),
    _emp("E006", "Fi Junior", "data-analyst", {"sql": 3, "dashboards": 3, "stats": 2}),
]


def records() -> list[Any]:
    return [*SKILLS, *ROLES, *LEARNING, *EMPLOYEES]
