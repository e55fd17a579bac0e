"""The mobility programme over the tiny org (tests/service/orgdata.py), for the web tests.

Senior Data Engineer is critical (Ed Senior holds it; Bo Builder, a data engineer, is on the
ladder below it); Cy Scientist mentors (two places) and Ed Senior mentors (one place); two
opportunities grow a data analyst toward Data Scientist; four openings closed in the year to
2025-06-30 (the pinned as-of date), three of them filled from inside: internal fill rate 75%.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from orgdata import ROLES

from engine.models import Opening, Opportunity
from engine.programme.clock import set_as_of

__all__ = ["AS_OF", "CRITICAL", "MENTOR", "add_programme"]

AS_OF = dt.date(2025, 6, 30)
CRITICAL = "senior-data-engineer"
MENTOR = "Cy Scientist"  # holds Ada's gap skills for Data Scientist


def add_programme(engine: Any) -> None:
    role = next(r for r in ROLES if r.id == CRITICAL)
    people = []
    for e in engine.store.all("employee"):
        update: dict[str, Any] = {"team": "analytics" if e.id in ("E001", "E006") else "platform",
                                  "hired_at": dt.date(2021, 1, 4)}
        if e.id == "E003":
            update["mentor_capacity"] = 2
        if e.id == "E005":
            update["mentor_capacity"] = 1
        if e.id in ("E002", "E004"):
            update["manager_id"] = "E005"
        people.append(e.model_copy(update=update))
    opportunities = [
        Opportunity(id="gig-churn", title="Churn model pilot", kind="stretch_project", hours=40, capacity=2,
                    owner_id="E003", skills=[{"skill_id": "ml", "to_level": 2}, {"skill_id": "stats", "to_level": 4}]),
        Opportunity(id="gig-python", title="Python for analysts clinic", kind="gig", hours=16, capacity=3,
                    skills=[{"skill_id": "python", "to_level": 2}]),
    ]
    day = dt.date(2025, 1, 1)
    openings = [
        Opening(id=f"req-{i}", role_id=rid, opened_at=day, closed_at=day + dt.timedelta(days=30 + i), source=src)
        for i, (rid, src) in enumerate([("senior-data-analyst", "internal"), ("data-engineer", "internal"),
                                        ("senior-data-engineer", "internal"), ("data-scientist", "external")])
    ]
    engine.upsert([role.model_copy(update={"critical": True}), *people, *opportunities, *openings])
    set_as_of(engine.store, AS_OF)
