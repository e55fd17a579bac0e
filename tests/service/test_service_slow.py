"""End to end with the bundled embedding model: write over HTTP, then recommend and resolve."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from svc_harness import Svc, make_svc

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_svc(tmp_path_factory: pytest.TempPathFactory, real_encoder: Any) -> Iterator[Svc]:
    with make_svc(tmp_path_factory.mktemp("real"), encoder=real_encoder) as s:
        yield s


def test_write_then_recommend_with_the_real_model(real_svc: Svc) -> None:
    s = real_svc
    assert s.client.get("/readyz").status_code == 200
    # a new person who is a strong senior data engineer candidate already
    # (two years as a data engineer: the time in role a promotion needs is served)
    person = {"display_name": "Gil Newhire", "role_id": "data-engineer", "interests": "spark streaming pipelines",
              "months_in_role": 24,
              "skills": [{"skill_id": "python", "level": 4}, {"skill_id": "sql", "level": 4},
                         {"skill_id": "spark", "level": 4}]}
    assert s.put("/v1/employees/E100", json=person).status_code == 201
    recs = s.get("/v1/employees/E100/recommendations", params={"limit": 5, "direction": "up"}).json()
    top = recs["items"][0]
    assert top["role_id"] == "senior-data-engineer"
    assert top["readiness"] == "ready_now" and top["gaps"] == []
    cands = s.get("/v1/roles/senior-data-engineer/candidates", who="recruiter").json()["items"]
    assert "E100" in [c["employee_id"] for c in cands[:2]]
    # resolve with real semantics: a paraphrase lands on the catalog entry
    r = s.post("/v1/resolve/roles", json={"titles": ["lead big data pipeline engineer"]}, who="recruiter").json()
    assert r["results"][0]["matches"][0]["id"] in {"senior-data-engineer", "data-engineer"}
    # erasure with the real model too
    assert s.delete("/v1/employees/E100").status_code == 204
    cands = s.get("/v1/roles/senior-data-engineer/candidates", who="recruiter").json()["items"]
    assert "E100" not in [c["employee_id"] for c in cands]
