"""The audit over HTTP: auditors read it (and nothing else), every answer is logged with its key."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from audit_checks import assert_matches, by_hand
from audit_org import PEOPLE, sex_of, skewed_org
from svc_harness import Svc, make_svc

from service.keys import KeyStore

AUDIT_PATHS = re.compile(r"^/v1/audit/|^/v1/employees/\{employee_id\}/protected$")


@pytest.fixture
def asvc(tmp_path: Path) -> Iterator[Svc]:
    """The app over the skewed org, with an auditor key and an employee key for P001."""
    with make_svc(tmp_path, seed=False) as s:
        s.engine.upsert(skewed_org())
        s.engine.build_index()
        keys = KeyStore(s.engine.store)
        for name, role, emp in (("auditor", "auditor", None), ("employee", "employee", "P001")):
            s.key_ids[name], s.tokens[name] = keys.create(role, employee_id=emp)
        yield s


def test_http_shortlist_impact_matches_by_hand_and_the_log_names_the_key(asvc: Svc) -> None:
    r = asvc.get("/v1/roles/lead/candidates?limit=20", who="recruiter")
    assert r.status_code == 200
    listed = {c["employee_id"] for c in r.json()["items"]}
    rep = asvc.get("/v1/audit/impact?kind=shortlist&category=sex", who="auditor")
    assert rep.status_code == 200
    body = rep.json()
    assert list(body)[:8] == ["kind", "category", "since", "until", "decisions", "rows", "unknown", "small_groups"]
    assert body["decisions"] == 1
    assert_matches(body, by_hand([(sex_of(e), e in listed) for e in PEOPLE]))

    log = asvc.get("/v1/audit/decisions", who="auditor").json()
    (d,) = log["items"]
    assert d["id"] == int(r.headers["x-decision-id"])
    assert (d["key_id"], d["actor_role"], d["endpoint"]) == (
        asvc.key_ids["recruiter"], "recruiter", "GET /v1/roles/{role_id}/candidates")
    assert d["request_id"] == r.headers["x-request-id"]
    assert [x["id"] for x in d["returned"]] == [c["employee_id"] for c in r.json()["items"]]
    assert all(tok not in str(log) for tok in asvc.tokens.values())  # key ids, never secrets


def test_every_http_answer_is_logged_once(asvc: Svc) -> None:
    calls = [
        asvc.get("/v1/employees/P001/recommendations?limit=3", who="employee"),
        asvc.post("/v1/recommendations", who="hr", json={"employee_id": "P004", "limit": 2, "direction": "up"}),
        asvc.post("/v1/recommendations", who="hr",
                  json={"profile": {"skills": [{"skill": "sql", "level": 3}]}, "limit": 2}),
        asvc.get("/v1/roles/senior-analyst/candidates?limit=4&min_readiness=ready_soon", who="admin"),
        asvc.get("/v1/employees/P001/recommendations?limit=99999", who="employee"),  # 422: no answer, no record
        asvc.get("/v1/employees/P002/recommendations", who="employee"),  # 403: no answer, no record
    ]
    assert [c.status_code for c in calls] == [200, 200, 200, 200, 422, 403]
    items: list[dict[str, Any]] = []
    url = "/v1/audit/decisions?limit=2"
    while url:
        page = asvc.get(url, who="auditor").json()
        items += page["items"]
        url = f"/v1/audit/decisions?limit=2&cursor={page['next_cursor']}" if page["next_cursor"] else ""
    assert len(items) == 4
    for call, rec in zip(calls, items, strict=False):
        key = "employee_id" if rec["kind"] == "shortlist" else "role_id"
        assert [(x["id"], x["score"], x["readiness"]) for x in rec["returned"]] == [
            (i[key], i["score"], i["readiness"]) for i in call.json()["items"]]
        assert int(call.headers["x-decision-id"]) == rec["id"]
    assert [i["key_id"] for i in items] == [asvc.key_ids[k] for k in ("employee", "hr", "hr", "admin")]
    assert items[1]["params"] == {"limit": 2, "direction": "up", "include_step_down": False}
    assert asvc.get("/v1/audit/decisions?kind=shortlist", who="auditor").json()["items"][0]["id"] == items[3]["id"]
    assert asvc.get("/v1/audit/decisions?since=tomorrow", who="auditor").status_code == 422


def _fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "x1"), path)


def test_the_auditor_reads_the_audit_and_protected_attributes_and_nothing_else(asvc: Svc) -> None:
    spec = asvc.client.get("/openapi.json").json()
    values = {"employee_id": "P001", "role_id": "lead", "skill_id": "sql", "item_id": "coach-1", "key_id": "nokey"}
    seen_audit = seen_other = 0
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if not op.get("security"):
                continue
            url = _fill(path, values)
            r = asvc.client.request(method.upper(), url, headers=asvc.h("auditor"), json={})
            # Clearing protected attributes is an org write (hr/admin), not the audit's.
            if AUDIT_PATHS.search(path) and not (path.endswith("/protected") and method != "get"):
                seen_audit += 1
                assert r.status_code not in (401, 403), (method, path, r.status_code)
                for other in ("hr", "recruiter", "employee"):
                    denied = asvc.client.request(method.upper(), url, headers=asvc.h(other))
                    assert denied.status_code == 403, (other, method, path, denied.status_code)
            else:
                seen_other += 1
                assert r.status_code == 403, (method, path, r.status_code, r.text[:200])
    assert seen_audit >= 7 and seen_other >= 25


def test_protected_attributes_are_read_by_admin_and_auditor_only_and_each_read_is_logged(asvc: Svc) -> None:
    for who in ("admin", "auditor"):
        r = asvc.get("/v1/employees/P061/protected", who=who)
        assert r.status_code == 200
        assert r.json() == {"employee_id": "P061", "sex": "nonbinary", "race_ethnicity": "Group A",
                            "age_band": "35-44"}
    assert asvc.get("/v1/employees/P062/protected", who="auditor").json()["sex"] is None
    assert asvc.get("/v1/employees/NOPE/protected", who="auditor").status_code == 404
    assert asvc.get("/v1/audit/impact?kind=recommendation&category=race_ethnicity", who="auditor").status_code == 200
    reads = asvc.get("/v1/audit/protected-reads", who="auditor").json()["items"]
    assert [(x["key_id"], x["employee_id"], x["purpose"]) for x in reads] == [
        (asvc.key_ids["admin"], "P061", "employee record"),
        (asvc.key_ids["auditor"], "P061", "employee record"),
        (asvc.key_ids["auditor"], "P062", "employee record"),
        (asvc.key_ids["auditor"], None, "impact recommendation race_ethnicity"),
    ]
    assert all(x["endpoint"].startswith("GET /v1/") for x in reads)


def test_recruiter_overrides_a_shortlist_over_http(asvc: Svc) -> None:
    short = asvc.get("/v1/roles/lead/candidates?limit=5", who="recruiter")
    decision = int(short.headers["x-decision-id"])
    listed = [c["employee_id"] for c in short.json()["items"]]
    url = "/v1/roles/lead/candidates/overrides"
    r = asvc.post(url, who="recruiter", json={"action": "add", "employee_id": "P030", "position": 2,
                                               "reason": "ran the Q3 stakeholder programme", "decision_id": decision})
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["decision_id"], body["key_id"], body["list"][1]) == (decision, asvc.key_ids["recruiter"], "P030")
    assert asvc.post(url, who="recruiter", json={"action": "remove", "employee_id": "P030"}).status_code == 422
    assert asvc.post(url, who="recruiter", json={"action": "remove", "employee_id": "P029",
                                                 "reason": "not listed"}).status_code == 409
    assert asvc.post(url, who="auditor", json={"action": "remove", "employee_id": listed[0],
                                               "reason": "auditors only read"}).status_code == 403
    assert asvc.post("/v1/roles/nope/candidates/overrides", who="hr",
                     json={"action": "add", "employee_id": "P030", "reason": "no role"}).status_code == 404
    assert asvc.post(url, who="hr", json={"action": "remove", "employee_id": listed[0],
                                          "reason": "withdrew"}).status_code == 201
    view = asvc.get(url, who="recruiter").json()
    assert view["list"] == ["P030", *listed[1:]]  # added second, then the first removed
    assert [o["action"] for o in view["items"]] == ["add", "remove"]
    audit = asvc.get("/v1/audit/overrides?role_id=lead", who="auditor").json()
    assert [o["employee_id"] for o in audit["items"]] == ["P030", listed[0]]
    rep = asvc.get("/v1/audit/impact?kind=shortlist&category=sex", who="auditor").json()
    assert rep["overrides"]["total"] == 2


def test_csv_and_the_printable_report(asvc: Svc) -> None:
    asvc.get("/v1/roles/lead/candidates?limit=20", who="recruiter")
    r = asvc.get("/v1/audit/impact?kind=shortlist&category=sex&format=csv", who="auditor")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    groups = {row["group"]: row for row in rows}
    assert set(groups) == {"female", "male", "nonbinary", "unknown"}
    assert groups["unknown"]["pool"] == "3" and groups["female"]["flag"] == "True"
    dis = asvc.get("/v1/audit/disparities?category=sex&format=csv", who="auditor")
    assert dis.status_code == 200 and dis.text.startswith("category,since,until,family,group")
    page = asvc.get("/v1/audit/report", who="auditor")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    # Charts for the three shortlist tables and two promotion tables; no recommendations were logged.
    assert html.count("<svg") == 5 and "<title" in html and "four-fifths" in html
    assert html.count("No logged answers with a known category") == 3
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "@media print" in html


def test_deleting_an_employee_over_http_erases_them_from_the_log(asvc: Svc) -> None:
    asvc.get("/v1/employees/P002/recommendations", who="hr")
    asvc.get("/v1/roles/lead/candidates?limit=10", who="recruiter")
    asvc.get("/v1/employees/P002/protected", who="auditor")
    assert asvc.delete("/v1/employees/P002").status_code == 204
    text = asvc.get("/v1/audit/decisions", who="auditor").text
    text += asvc.get("/v1/audit/protected-reads", who="auditor").text
    assert "P002" not in text and '"lead"' in text
