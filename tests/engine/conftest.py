"""Store fixtures: every store test runs on SQLite and, when SKILLGRAPH_TEST_DATABASE_URL is set, PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.store import Store

PG_URL = os.environ.get("SKILLGRAPH_TEST_DATABASE_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'sg.db'}").init()
        yield s
        s.close()
        return
    if not PG_URL:
        pytest.skip("SKILLGRAPH_TEST_DATABASE_URL not set (CI sets it)")
    s = Store(PG_URL)
    s.drop_all()
    s.init()
    yield s
    s.drop_all()
    s.close()


def tiny_org() -> list:
    """A small company whose right answers are known by construction."""
    from engine.models import Employee, LearningItem, Role, Skill, Transition

    sk = [
        "patient-care",
        "vitals",
        "meds",
        "assessment",
        "care-planning",
        "leadership",
        "budget",
        "python",
        "design",
        "mentoring",
        "architecture",
        "people-mgmt",
        "sql",
        "stats",
        "clinical-it",
    ]
    skills = [Skill(id=s, name=s.replace("-", " ").title(), aliases=[f"{s}-alias"]) for s in sk]
    skills[7] = Skill(id="python", name="Python", aliases=["py3", "python3"])

    def role(id_, title, family, level, track, reqs, nxt=(), desc="", open_=0):  # type: ignore[no-untyped-def]
        return Role(
            id=id_,
            title=title,
            family=family,
            level=level,
            track=track,
            description=desc,
            requirements=[{"skill_id": s, "level": lv, "weight": w} for s, lv, w in reqs],
            next_role_ids=list(nxt),
            open_positions=open_,
        )

    roles = [
        role(
            "cna",
            "Certified Nursing Assistant",
            "nursing",
            1,
            "ic",
            [("patient-care", 2, 1), ("vitals", 2, 0.8)],
            ["lpn"],
            "Helps patients with daily care and measures vital signs.",
        ),
        role(
            "lpn",
            "Licensed Practical Nurse",
            "nursing",
            2,
            "ic",
            [("patient-care", 3, 1), ("vitals", 3, 0.8), ("meds", 2, 0.8)],
            ["rn"],
            "Gives basic nursing care and medications.",
        ),
        role(
            "rn",
            "Registered Nurse",
            "nursing",
            3,
            "ic",
            [("patient-care", 3, 1), ("meds", 3, 1), ("assessment", 3, 1), ("care-planning", 2, 0.7)],
            ["nurse-manager"],
            "Assesses patients, plans and gives nursing care.",
            open_=3,
        ),
        role(
            "nurse-manager",
            "Nurse Manager",
            "nursing",
            4,
            "management",
            [("patient-care", 3, 0.6), ("leadership", 3, 1), ("budget", 2, 0.6)],
            [],
            "Leads a nursing unit.",
        ),
        role(
            "clin-informatics",
            "Clinical Informatics Analyst",
            "data",
            3,
            None,
            [("clinical-it", 3, 1), ("sql", 2, 0.7), ("patient-care", 2, 0.5)],
            [],
            "Improves clinical systems and EHR use.",
        ),
        role(
            "se",
            "Software Engineer",
            "software",
            2,
            "ic",
            [("python", 3, 1), ("design", 2, 0.6)],
            ["sse"],
            "Builds and ships software features.",
        ),
        role(
            "sse",
            "Senior Software Engineer",
            "software",
            3,
            "ic",
            [("python", 4, 1), ("design", 3, 0.8), ("mentoring", 2, 0.5)],
            ["staff", "em"],
            "Leads technical work.",
        ),
        role(
            "staff",
            "Staff Engineer",
            "software",
            4,
            "ic",
            [("python", 4, 1), ("design", 4, 1), ("architecture", 3, 0.9), ("mentoring", 3, 0.6)],
            [],
            "Sets technical direction across teams.",
        ),
        role(
            "em",
            "Engineering Manager",
            "software",
            4,
            "management",
            [("python", 3, 0.5), ("people-mgmt", 3, 1), ("mentoring", 3, 0.8)],
            [],
            "Manages an engineering team.",
        ),
        role(
            "data-eng",
            "Data Engineer",
            "data",
            3,
            None,
            [("python", 4, 1), ("sql", 3, 1), ("design", 2, 0.5)],
            [],
            "Builds data pipelines.",
        ),
        role(
            "analyst",
            "Data Analyst",
            "data",
            2,
            None,
            [("sql", 3, 1), ("stats", 2, 0.8)],
            [],
            "Answers questions with data.",
        ),
    ]
    items = [
        LearningItem(id="pharm", title="Pharmacology", hours=40, skills=[{"skill_id": "meds", "to_level": 3}]),
        LearningItem(
            id="assess", title="Health Assessment", hours=30, skills=[{"skill_id": "assessment", "to_level": 3}]
        ),
        LearningItem(
            id="rn-bridge",
            title="LPN to RN Bridge",
            hours=60,
            skills=[
                {"skill_id": "meds", "to_level": 3},
                {"skill_id": "assessment", "to_level": 3},
                {"skill_id": "care-planning", "to_level": 2},
            ],
        ),
        LearningItem(
            id="careplan", title="Care Planning", hours=12, skills=[{"skill_id": "care-planning", "to_level": 2}]
        ),
        LearningItem(
            id="lead", title="First-Time Leader", hours=20, skills=[{"skill_id": "leadership", "to_level": 3}]
        ),
        LearningItem(
            id="arch",
            title="Architecture Studio",
            hours=50,
            skills=[{"skill_id": "architecture", "to_level": 3}, {"skill_id": "design", "to_level": 4}],
        ),
    ]

    def emp(id_, role_id, skills, name=None, interests="", prot=None, months=36):  # type: ignore[no-untyped-def]
        return Employee(
            id=id_,
            display_name=name or id_,
            role_id=role_id,
            months_in_role=months,  # served long enough that skills decide readiness (see the tenure tests)
            interests=interests,
            skills=[{"skill_id": s, "level": lv} for s, lv in skills],
            protected=prot,
        )

    employees = [
        emp(
            "N1",
            "lpn",
            [("patient-care", 3), ("vitals", 3), ("meds", 2)],
            "Nia",
            prot={"sex": "f", "age_band": "25-34"},
        ),
        emp(
            "N2",
            "lpn",
            [("patient-care", 3), ("vitals", 3), ("meds", 3), ("assessment", 3), ("care-planning", 2)],
            "Ready Rita",
        ),
        emp("N3", "cna", [("patient-care", 2), ("vitals", 2)], "Stretch Sam"),
        emp("N4", "rn", [("patient-care", 3), ("meds", 3), ("assessment", 3), ("care-planning", 2)], "Incumbent Ida"),
        emp("S1", "sse", [("python", 4), ("design", 3), ("mentoring", 2)], "Sid"),
        emp("S2", "se", [("python", 3), ("design", 2)], "Sue"),
    ]
    transitions = [Transition(from_role_id="lpn", to_role_id="rn", employee_id="N4", date="2022-01-01")]
    return [*skills, *roles, *items, *employees, *transitions]


@pytest.fixture
def tiny(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A built engine over the tiny org, with the fast fake encoder."""
    from embeddings import FakeEncoder
    from engine.api import Skillgraph
    from engine.config import Config

    sg = Skillgraph(Config(db_url=f"sqlite:///{tmp_path / 'tiny.db'}", home=tmp_path / "home"), encoder=FakeEncoder())
    sg.init()
    sg.store.upsert(tiny_org())
    sg.build_index()
    return sg
