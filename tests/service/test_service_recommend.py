"""Recommendation endpoints over the tiny org: shapes, round trips without rebuilds, erasure."""

from __future__ import annotations

import time
from typing import Any

import pytest
from orgdata import PROTECTED_VALUES
from svc_harness import Svc

REC_KEYS = {"role_id", "title", "family", "level", "track", "move", "score", "readiness", "coverage", "gap_hours",
            "est_months", "matched_skills", "gaps", "route", "why"}
CAND_KEYS = {"employee_id", "display_name", "current_role_id", "score", "readiness", "coverage", "gap_hours",
             "est_months", "matched_skills", "gaps", "why"}


@pytest.fixture(scope="module", autouse=True)
def _ready(svc: Svc) -> None:
    assert svc.engine.ready, "the engine failed to build its indexes at start-up"


def _item(recs: dict[str, Any], role_id: str) -> dict[str, Any] | None:
    return next((x for x in recs["items"] if x["role_id"] == role_id), None)


def test_get_recommendations_shape(svc: Svc) -> None:
    r = svc.get("/v1/employees/E002/recommendations", params={"limit": 3})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["employee_id"] == "E002"
    assert 1 <= len(body["items"]) <= 3
    for item in body["items"]:
        assert set(item) >= REC_KEYS
        assert item["move"] in {"promotion", "lateral", "cross_family", "other_track", "step_down"}
        assert item["readiness"] in {"ready_now", "ready_soon", "stretch", "long_term"}
        assert item["role_id"] != "data-engineer"  # never the current role
        for g in item["gaps"]:
            assert {"skill_id", "name", "have", "need", "weight", "learning"} <= set(g)
    scores = [x["score"] for x in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_direction_up_only_promotes(svc: Svc) -> None:
    body = svc.get("/v1/employees/E002/recommendations", params={"direction": "up"}).json()
    assert body["items"]
    assert all(x["level"] > 2 for x in body["items"])


def test_post_recommendations_by_employee_equals_get(svc: Svc) -> None:
    a = svc.post("/v1/recommendations", json={"employee_id": "E001", "limit": 4, "direction": "any"}).json()
    b = svc.get("/v1/employees/E001/recommendations", params={"limit": 4}).json()
    assert a == b


def test_post_recommendations_by_profile(svc: Svc) -> None:
    body = {"profile": {"role_id": "data-engineer", "skills": [{"skill": "Python", "level": 4},
                                                             {"skill": "sql", "level": 4},
                                                             {"skill": "spark", "level": 3}]},
            "limit": 5}
    r = svc.post("/v1/recommendations", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["employee_id"] is None
    assert _item(out, "senior-data-engineer") is not None
    assert svc.post("/v1/recommendations", who="employee", json=body).status_code == 403
    bad = svc.post("/v1/recommendations", json={"profile": {"skills": [{"skill": "underwater basket weaving",
                                                                       "level": 3}]}})
    assert bad.status_code == 422
    assert svc.post("/v1/recommendations", json={"profile": {"role_id": "no-such-role"}}).status_code == 404


def test_employee_key_gets_own_recommendations(svc: Svc) -> None:
    assert svc.get("/v1/employees/E001/recommendations", who="employee").status_code == 200
    assert svc.post("/v1/recommendations", who="employee", json={"employee_id": "E001"}).status_code == 200
    assert svc.get("/v1/employees/E002/recommendations", who="employee").status_code == 403


def test_unknown_employee_is_404(svc: Svc) -> None:
    assert svc.get("/v1/employees/E999/recommendations").status_code == 404
    assert svc.post("/v1/recommendations", json={"employee_id": "E999"}).status_code == 404


def test_routes(svc: Svc) -> None:
    r = svc.get("/v1/employees/E002/routes/senior-data-engineer", params={"alternatives": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["employee_id"] == "E002" and body["target_role_id"] == "senior-data-engineer"
    best = body["best"]
    assert best["role_ids"][0] == "data-engineer" and best["role_ids"][-1] == "senior-data-engineer"
    assert best["steps"][0]["from_role_id"] == "data-engineer"
    assert len(body["alternatives"]) <= 2
    assert svc.get("/v1/employees/E002/routes/no-such-role").status_code == 404
    assert svc.get("/v1/employees/E002/routes/senior-data-engineer", who="employee").status_code == 403


def test_learning_plan(svc: Svc) -> None:
    r = svc.get("/v1/employees/E002/learning", params={"role_id": "senior-data-engineer"})
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["role_id"] == "senior-data-engineer"
    assert [i["id"] for i in plan["items"]] == ["spark-pro"]
    assert plan["total_hours"] == 20


def test_candidates(svc: Svc) -> None:
    r = svc.get("/v1/roles/senior-data-engineer/candidates", params={"limit": 3}, who="recruiter")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["role_id"] == "senior-data-engineer"
    assert body["items"] and len(body["items"]) <= 3
    assert body["items"][0]["employee_id"] == "E002"
    for c in body["items"]:
        assert set(c) >= CAND_KEYS
        assert "protected" not in c
    ready = svc.get("/v1/roles/senior-data-engineer/candidates", params={"min_readiness": "ready_now"}).json()
    assert all(c["readiness"] == "ready_now" for c in ready["items"])


def test_similar_roles(svc: Svc) -> None:
    r = svc.get("/v1/roles/data-engineer/similar", params={"limit": 2}, who="recruiter")
    assert r.status_code == 200
    body = r.json()
    assert body["role_id"] == "data-engineer"
    assert len(body["items"]) == 2
    assert "data-engineer" not in [m["id"] for m in body["items"]]
    assert {"id", "name", "score"} == set(body["items"][0])


def test_resolve_skills_and_roles(svc: Svc) -> None:
    r = svc.post("/v1/resolve/skills", json={"texts": ["python3", "postgres"], "k": 2}, who="recruiter")
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["text"] for x in results] == ["python3", "postgres"]
    assert results[0]["matches"][0]["id"] == "python"
    assert results[1]["matches"][0]["id"] == "sql"
    r = svc.post("/v1/resolve/roles", json={"titles": ["Senior Data Engineer"]}, who="recruiter")
    assert r.status_code == 200
    assert r.json()["results"][0]["matches"][0]["id"] == "senior-data-engineer"


def test_write_then_recommend_without_rebuild(svc: Svc, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_rebuild(*_: Any, **__: Any) -> Any:
        raise AssertionError("a write must not need a full index rebuild")

    monkeypatch.setattr(svc.engine, "build_index", no_rebuild)
    before = _item(svc.get("/v1/employees/E006/recommendations", params={"limit": 20}).json(), "senior-data-analyst")
    assert before is not None and before["gaps"]
    emp = svc.get("/v1/employees/E006").json()
    emp["skills"] = [{"skill_id": "sql", "level": 4}, {"skill_id": "dashboards", "level": 4},
                     {"skill_id": "stats", "level": 3}, {"skill_id": "communication", "level": 3}]
    assert svc.put("/v1/employees/E006", json=emp).status_code == 200
    after = _item(svc.get("/v1/employees/E006/recommendations", params={"limit": 20}).json(), "senior-data-analyst")
    assert after is not None
    assert after["gaps"] == []
    assert after["coverage"] > before["coverage"]
    assert after["coverage"] == pytest.approx(1.0)
    # the shortlist sees the write too
    cands = svc.get("/v1/roles/senior-data-analyst/candidates").json()["items"]
    assert "E006" in [c["employee_id"] for c in cands]


def test_new_role_is_recommendable_after_put(svc: Svc) -> None:
    role = {"title": "Analytics Engineer", "family": "data", "level": 2, "track": "ic",
            "requirements": [{"skill_id": "sql", "level": 4, "weight": 1.0},
                             {"skill_id": "dashboards", "level": 3, "weight": 0.5}]}
    assert svc.put("/v1/roles/analytics-engineer", json=role).status_code == 201
    recs = svc.get("/v1/employees/E001/recommendations", params={"limit": 20}).json()
    assert _item(recs, "analytics-engineer") is not None


def test_protected_attributes_never_in_any_response(svc: Svc) -> None:
    texts = []
    for emp in ("E001", "E002", "E003"):
        texts.append(svc.get(f"/v1/employees/{emp}").text)
        texts.append(svc.get(f"/v1/employees/{emp}/recommendations", params={"limit": 20}).text)
        texts.append(svc.post("/v1/recommendations", json={"employee_id": emp}).text)
        texts.append(svc.get(f"/v1/employees/{emp}/routes/data-eng-manager").text)
        texts.append(svc.get(f"/v1/employees/{emp}/learning", params={"role_id": "data-scientist"}).text)
    for role in ("data-analyst", "senior-data-analyst", "data-engineer", "senior-data-engineer", "data-scientist",
                 "data-eng-manager", "software-engineer"):
        texts.append(svc.get(f"/v1/roles/{role}/candidates", params={"limit": 100}).text)
    texts.append(svc.get("/v1/employees", params={"limit": 100}).text)
    texts.append(svc.get("/v1/index/status").text)
    texts.append(svc.client.get("/metrics").text)
    joined = "\n".join(texts)
    for value in PROTECTED_VALUES:
        assert value not in joined


def test_index_status_and_rebuild(svc: Svc) -> None:
    st = svc.get("/v1/index/status").json()
    assert st["ready"] is True and st["stale"] is False
    r = svc.post("/v1/index/rebuild", who="hr")
    assert r.status_code == 202
    assert r.json()["state"] in {"running", "succeeded"}
    svc.app.state.jobs.wait(60)
    deadline = time.monotonic() + 30
    while (st := svc.get("/v1/index/status").json())["rebuild"]["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert st["rebuild"]["state"] == "succeeded", st
    assert st["rebuild"]["finished_at"]
    assert svc.client.get("/readyz").status_code == 200


def test_erasure(svc: Svc) -> None:
    roles = ["data-engineer", "data-scientist", "senior-data-engineer", "software-engineer", "data-analyst"]

    def shortlisted() -> set[str]:
        found: set[str] = set()
        for role in roles:
            items = svc.get(f"/v1/roles/{role}/candidates", params={"limit": 100}).json()["items"]
            found |= {c["employee_id"] for c in items}
        return found

    assert "E003" in shortlisted()
    assert svc.engine.store.get_protected("E003") is not None
    assert svc.delete("/v1/employees/E003").status_code == 204
    assert svc.get("/v1/employees/E003").status_code == 404
    assert svc.get("/v1/employees/E003/recommendations").status_code == 404
    assert svc.post("/v1/recommendations", json={"employee_id": "E003"}).status_code == 404
    assert "E003" not in shortlisted()
    assert svc.engine.store.get_protected("E003") is None
    assert "E003" not in [e["id"] for e in svc.get("/v1/employees", params={"limit": 100}).json()["items"]]


def test_erasure_revokes_the_persons_keys(svc: Svc) -> None:
    assert svc.get("/v1/employees/E002/recommendations", who="employee2").status_code == 200
    assert svc.delete("/v1/employees/E002").status_code == 204
    assert svc.get("/v1/employees/E002/recommendations", who="employee2").status_code == 401


def test_detail_full_on_request_compact_by_default(svc: Svc) -> None:
    url = "/v1/employees/E001/recommendations"
    small = svc.get(url, params={"limit": 5}).json()
    full = svc.get(url, params={"limit": 5, "detail": "full"}).json()
    assert [i["role_id"] for i in small["items"]] == [i["role_id"] for i in full["items"]]
    assert all("parts" in i for i in full["items"]) and not any("parts" in i for i in small["items"])
    for s, f in zip(small["items"], full["items"], strict=True):
        assert [g["skill_id"] for g in s["gaps"]] == [g["skill_id"] for g in f["gaps"]][: len(s["gaps"])]
        assert all(len(g["learning"]) <= 1 for g in s["gaps"])
    posted = svc.post("/v1/recommendations", json={"employee_id": "E001", "limit": 5, "detail": "full"}).json()
    assert posted == full
    bad = svc.get(url, params={"detail": "verbose"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    cands = svc.get("/v1/roles/senior-data-analyst/candidates", params={"detail": "full"})
    assert cands.status_code == 200 and all("learning" in g for c in cands.json()["items"] for g in c["gaps"])


def test_candidates_cursor_pages_tile_the_list_and_filters_apply(svc: Svc) -> None:
    url = "/v1/roles/senior-data-engineer/candidates"
    whole = svc.get(url, params={"limit": 50, "include_step_down": "true"}, who="recruiter").json()["items"]
    first = svc.get(url, params={"limit": 1, "include_step_down": "true"}, who="recruiter").json()
    assert [c["employee_id"] for c in first["items"]] == [whole[0]["employee_id"]]  # stable under limit
    seen, cursor = [], None
    while True:
        params = {"limit": 1, "include_step_down": "true", **({"cursor": cursor} if cursor else {})}
        page = svc.get(url, params=params, who="recruiter").json()
        seen += [c["employee_id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [c["employee_id"] for c in whole]
    promo = svc.get(url, params={"moves": "promotion"}, who="recruiter").json()["items"]
    assert promo and all(c["move"] == "promotion" for c in promo)
    bad = svc.get(url, params={"moves": "sideways"}, who="recruiter")
    assert bad.status_code in (400, 422) and "moves" in bad.text
    assert svc.get(url, params={"cursor": "!!"}, who="recruiter").status_code in (400, 422)
