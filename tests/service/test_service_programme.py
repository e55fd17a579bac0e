"""The programme over HTTP: contract shapes, permissions, writes, per-line import errors."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from orgdata import PROTECTED_VALUES
from svc_harness import Svc, make_svc


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Svc]:
    with make_svc(tmp_path_factory.mktemp("programme")) as s:
        lines = [
            # E005 mentors (one place), E002 reports to E005; a critical role; gigs; history.
            {
                "type": "role",
                "data": {
                    "id": "data-eng-manager",
                    "title": "Data Engineering Manager",
                    "family": "data",
                    "level": 4,
                    "track": "management",
                    "critical": True,
                    "requirements": [
                        {"skill_id": "leadership", "level": 4, "weight": 1.0},
                        {"skill_id": "communication", "level": 4, "weight": 0.8},
                        {"skill_id": "spark", "level": 3, "weight": 0.4},
                    ],
                },
            },
        ]
        for e in s.engine.store.all("employee"):
            data = e.model_dump(mode="json", exclude={"protected"})
            data.update({"team": "analytics" if e.id in ("E001", "E006") else "platform", "hired_at": "2021-01-04"})
            if e.id == "E005":
                data["mentor_capacity"] = 1
            if e.id == "E003":
                data["mentor_capacity"] = 2
            if e.id in ("E002", "E004"):
                data["manager_id"] = "E005"
            lines.append({"type": "employee", "data": data})
        lines += [
            {
                "type": "opportunity",
                "data": {
                    "id": "gig-dash",
                    "title": "Exec dashboard gig",
                    "kind": "gig",
                    "hours": 20,
                    "capacity": 1,
                    "owner_id": "E003",
                    "skills": [{"skill_id": "dashboards", "to_level": 4}, {"skill_id": "communication", "to_level": 3}],
                },
            },
            {
                "type": "opportunity",
                "data": {
                    "id": "gig-sql",
                    "title": "SQL clinic",
                    "kind": "stretch_project",
                    "hours": 10,
                    "capacity": 5,
                    "skills": [{"skill_id": "sql", "to_level": 4}],
                },
            },
            {
                "type": "transition",
                "data": {
                    "from_role_id": "data-analyst",
                    "to_role_id": "senior-data-analyst",
                    "date": "2024-03-01",
                    "from_team": "analytics",
                },
            },
            {
                "type": "opening",
                "data": {
                    "id": "req-1",
                    "role_id": "senior-data-analyst",
                    "opened_at": "2024-01-02",
                    "closed_at": "2024-03-01",
                    "source": "internal",
                },
            },
            {
                "type": "opening",
                "data": {
                    "id": "req-2",
                    "role_id": "data-engineer",
                    "opened_at": "2024-02-01",
                    "closed_at": "2024-05-01",
                    "source": "external",
                },
            },
        ]
        body = "\n".join(json.dumps(x) for x in lines)
        res = s.post("/v1/import", content=body, headers={"Content-Type": "application/x-ndjson"})
        assert res.status_code == 200 and res.json()["rejected"] == [], res.text
        yield s


def _clean(text: str) -> None:
    assert not any(v in text for v in PROTECTED_VALUES)


def test_succession_slate_has_the_contract_shape(svc: Svc) -> None:
    res = svc.get("/v1/roles/senior-data-analyst/succession?limit=5", who="hr")
    assert res.status_code == 200, res.text
    body = res.json()
    assert {"role_id", "critical", "incumbents", "ready_now", "ready_1y", "ready_2y", "bench_strength"} <= set(body)
    listed = [c for b in ("ready_now", "ready_1y", "ready_2y") for c in body[b]]
    assert listed and not {c["employee_id"] for c in listed} & set(body["incumbents"])
    assert {
        "employee_id",
        "display_name",
        "current_role_id",
        "score",
        "readiness",
        "coverage",
        "gap_hours",
        "est_months",
        "matched_skills",
        "gaps",
        "why",
    } <= set(listed[0])
    _clean(res.text)
    view = svc.get("/v1/succession?critical=true", who="hr").json()
    assert [i["role_id"] for i in view["items"]] == ["data-eng-manager"]
    assert {"role_id", "bench_strength", "ready_now", "ready_1y", "ready_2y", "at_risk"} <= set(view["items"][0])


def test_programme_permissions(svc: Svc) -> None:
    for who, code in (("hr", 200), ("admin", 200), ("recruiter", 403), ("employee", 403), (None, 401)):
        assert svc.get("/v1/roles/data-eng-manager/succession", who=who).status_code == code, who
        assert svc.get("/v1/analytics/mobility", who=who).status_code == code, who
    assert svc.get("/v1/employees/E001/mentors?role_id=senior-data-analyst", who="employee").status_code == 200
    assert svc.get("/v1/employees/E002/mentors?role_id=senior-data-analyst", who="employee").status_code == 403
    assert svc.get("/v1/employees/E002/opportunities?role_id=data-eng-manager", who="employee").status_code == 403
    assert svc.get("/v1/openings", who="employee").status_code == 403  # hr data
    assert svc.get("/v1/opportunities", who="employee").status_code == 200  # anyone may browse gigs
    assert svc.get("/v1/mentorships", who="recruiter").status_code == 403


def test_mentors_endpoint(svc: Svc) -> None:
    res = svc.get("/v1/employees/E002/mentors?role_id=data-eng-manager", who="employee2")
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["employee_id"] == "E002" and body["role_id"] == "data-eng-manager"
    ids = [m["employee_id"] for m in body["items"]]
    assert "E005" not in ids and "E002" not in ids  # their manager; themselves
    for m in body["items"]:
        assert {"employee_id", "display_name", "skills", "score", "why"} <= set(m)
        assert all({"skill_id", "name", "level"} <= set(s) for s in m["skills"])
    _clean(res.text)


def test_opportunities_join_and_complete(svc: Svc) -> None:
    res = svc.get("/v1/employees/E006/opportunities?role_id=senior-data-analyst", who="hr")
    assert res.status_code == 200, res.text
    items = res.json()["items"]
    assert [i["opportunity_id"] for i in items] == ["gig-dash", "gig-sql"]
    top = items[0]
    assert {"opportunity_id", "title", "kind", "hours", "closes", "score", "why"} <= set(top)
    assert {"skill_id": "dashboards", "name": "Dashboards and Visualisation", "from": 3, "to": 4} in top["closes"]
    # An employee key signs up only itself; the gig has one seat.
    assert (
        svc.post("/v1/opportunities/gig-dash/assignments", who="employee2", json={"employee_id": "E006"}).status_code
        == 403
    )
    ok = svc.post("/v1/opportunities/gig-dash/assignments", who="employee", json={"employee_id": "E001"})
    assert ok.status_code == 201 and ok.json()["status"] == "assigned"
    full = svc.post("/v1/opportunities/gig-dash/assignments", who="hr", json={"employee_id": "E006"})
    assert full.status_code == 409 and "full" in full.json()["detail"]
    assert (
        svc.get("/v1/employees/E006/opportunities?role_id=senior-data-analyst", who="hr").json()["items"][0][
            "opportunity_id"
        ]
        == "gig-sql"
    )
    # Completion (hr) raises E006's SQL and records the source.
    assert (
        svc.post("/v1/opportunities/gig-sql/completions", who="employee", json={"employee_id": "E001"}).status_code
        == 403
    )
    done = svc.post("/v1/opportunities/gig-sql/completions", who="hr", json={"employee_id": "E006"})
    assert done.status_code == 201, done.text
    assert done.json()["raised"] == [{"skill_id": "sql", "name": "SQL", "from": 3, "to": 4}]
    sql = next(s for s in svc.get("/v1/employees/E006", who="hr").json()["skills"] if s["skill_id"] == "sql")
    assert (sql["level"], sql["source"]) == (4, "opportunity")
    again = svc.post("/v1/opportunities/gig-sql/completions", who="hr", json={"employee_id": "E006"})
    assert again.status_code == 409
    cand = svc.get("/v1/opportunities/gig-sql/candidates", who="hr").json()
    assert "E006" not in [c["employee_id"] for c in cand["items"]]


def test_mentorships_are_recorded_within_capacity(svc: Svc) -> None:
    first = svc.post(
        "/v1/mentorships", who="hr", json={"mentor_id": "E003", "mentee_id": "E006", "started_at": "2025-01-06"}
    )
    assert first.status_code == 201, first.text
    mid = first.json()["id"]
    assert svc.get(f"/v1/mentorships/{mid}", who="hr").json()["mentee_id"] == "E006"
    assert (
        svc.post(
            "/v1/mentorships", who="hr", json={"mentor_id": "E003", "mentee_id": "E004", "started_at": "2025-01-06"}
        ).status_code
        == 201
    )
    full = svc.post(
        "/v1/mentorships", who="hr", json={"mentor_id": "E003", "mentee_id": "E001", "started_at": "2025-01-06"}
    )
    assert full.status_code == 409 and "no free place" in full.json()["detail"]
    assert (
        svc.post("/v1/mentorships", who="employee", json={"mentor_id": "E003", "mentee_id": "E001"}).status_code == 403
    )
    bad = svc.post("/v1/mentorships", who="hr", json={"mentor_id": "E001", "mentee_id": "E001"})
    assert bad.status_code == 422


def test_mobility_analytics_shape_and_errors(svc: Svc) -> None:
    res = svc.get("/v1/analytics/mobility?since=2024-01-01&until=2024-12-31&by=family", who="hr")
    assert res.status_code == 200, res.text
    body = res.json()
    assert {"since", "until", "by", "totals", "groups", "bottlenecks"} <= set(body)
    g = next(x for x in body["groups"] if x["key"] == "data")
    assert {
        "key",
        "headcount",
        "moves_out",
        "promotions",
        "lateral_moves",
        "promotion_rate",
        "internal_fill_rate",
        "median_months_in_role",
    } <= set(g)
    assert g["internal_fill_rate"] == 0.5 and g["promotions"] == 1
    assert svc.get("/v1/analytics/mobility?by=site", who="hr").status_code == 422
    assert svc.get("/v1/analytics/mobility?until=0", who="hr").status_code == 422
    assert svc.get("/v1/analytics/mobility?until=2024-02-30", who="hr").status_code == 422
    bad = svc.get("/v1/analytics/mobility?since=2024-12-31&until=2024-01-01", who="hr")
    assert bad.status_code == 422 and "before since" in bad.json()["detail"]
    _clean(res.text)


def test_programme_records_crud_and_import_errors(svc: Svc) -> None:
    put = svc.put("/v1/openings/req-9", who="hr", json={"role_id": "data-scientist", "opened_at": "2025-01-01"})
    assert put.status_code == 201, put.text
    assert (
        svc.put("/v1/openings/req-10", who="hr", json={"role_id": "nope", "opened_at": "2025-01-01"}).status_code == 409
    )
    assert (
        svc.put(
            "/v1/openings/req-11",
            who="hr",
            json={"role_id": "data-scientist", "opened_at": "2025-01-01", "source": "internal"},
        ).status_code
        == 422
    )
    assert svc.delete("/v1/roles/data-scientist", who="admin").status_code == 409  # E003 and req-9 hang on it
    page = svc.get("/v1/openings?limit=2", who="hr").json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    lines = [
        {"type": "employee", "data": {"id": "X1", "display_name": "X1", "manager_id": "X2"}},
        {"type": "employee", "data": {"id": "X2", "display_name": "X2", "manager_id": "GHOST"}},
        {
            "type": "employee",
            "data": {
                "id": "E005",
                "display_name": "Ed Senior",
                "role_id": "senior-data-engineer",
                "manager_id": "E002",
            },
        },  # E002 reports to E005: a cycle
        {"type": "mentorship", "data": {"mentor_id": "E003", "mentee_id": "NOBODY", "started_at": "2025-01-01"}},
        {
            "type": "opportunity",
            "data": {"id": "gig-x", "title": "X", "hours": 5, "skills": [{"skill_id": "juggling", "to_level": 2}]},
        },
    ]
    res = svc.post(
        "/v1/import", content="\n".join(json.dumps(x) for x in lines), headers={"Content-Type": "application/x-ndjson"}
    )
    rejected = {r["line"]: r["error"] for r in res.json()["rejected"]}
    assert set(rejected) == {1, 2, 3, 4, 5}
    assert "unknown manager 'GHOST'" in rejected[2] and "unknown manager 'X2'" in rejected[1]
    assert "cycle in the manager tree: E005 -> E002 -> E005" in rejected[3]
    assert "unknown employee 'NOBODY'" in rejected[4] and "unknown skill 'juggling'" in rejected[5]


def test_career_map_endpoint(svc: Svc) -> None:
    res = svc.get("/v1/families/data/career-map", who="employee")
    assert res.status_code == 200, res.text
    body = res.json()
    assert {n["role_id"] for n in body["nodes"]} >= {"data-analyst", "senior-data-analyst"}
    edge = next(
        e for e in body["edges"] if (e["from_role_id"], e["to_role_id"]) == ("data-analyst", "senior-data-analyst")
    )
    assert edge["ladder"] and edge["moves"] == 1
    assert svc.get("/v1/families/nope/career-map", who="hr").status_code == 422
