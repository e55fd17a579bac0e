"""Sync endpoints: PUT / GET / DELETE / list for every kind, import, erasure of personal rows.

Runs on SQLite always, and on PostgreSQL too when SKILLGRAPH_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from orgdata import PROTECTED_VALUES
from svc_harness import PG_URL, Svc, make_svc

BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


@pytest.fixture(scope="module", params=BACKENDS)
def crud(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Svc]:
    db_url = PG_URL if request.param == "postgresql" else None
    with make_svc(tmp_path_factory.mktemp("crud"), db_url=db_url, load=False) as s:
        yield s


KINDS = [
    ("/v1/skills", "k-skill", {"name": "Kotlin", "aliases": ["kt"]}, {"name": "Kotlin 2"}),
    ("/v1/roles", "k-role", {"title": "Kotlin Dev", "family": "engineering", "level": 2,
                             "requirements": [{"skill_id": "python", "level": 2, "weight": 0.5}]},
     {"title": "Kotlin Developer", "level": 3}),
    ("/v1/learning-items", "k-course",
     {"title": "Kotlin 101", "hours": 8, "skills": [{"skill_id": "python", "to_level": 2}]},
     {"title": "Kotlin 102", "hours": 9, "skills": [{"skill_id": "python", "to_level": 3}]}),
    ("/v1/employees", "k-emp", {"display_name": "Kim", "role_id": "data-analyst",
                                "skills": [{"skill_id": "sql", "level": 2}]},
     {"display_name": "Kim K", "skills": [{"skill_id": "sql", "level": 3}]}),
]


@pytest.mark.parametrize(("base", "id_", "first", "second"), KINDS, ids=[k[0].rsplit("/", 1)[1] for k in KINDS])
def test_put_get_replace_delete(crud: Svc, base: str, id_: str, first: dict[str, Any], second: dict[str, Any]) -> None:
    url = f"{base}/{id_}"
    r = crud.put(url, json=first)
    assert r.status_code == 201, r.text
    assert r.json()["id"] == id_
    assert crud.put(url, json={**first, "id": id_}).status_code == 200  # same again: unchanged, id allowed
    got = crud.get(url).json()
    assert {k: got[k] for k in first if k not in ("skills", "requirements")} == {
        k: v for k, v in first.items() if k not in ("skills", "requirements")}
    r = crud.put(url, json=second)
    assert r.status_code == 200
    got = crud.get(url).json()
    for k, v in second.items():
        if k not in ("skills",):
            assert got[k] == v
    # a replace is a replace: fields left out fall back to defaults
    assert crud.delete(url).status_code == 204
    assert crud.get(url).status_code == 404
    assert crud.delete(url).status_code == 404


@pytest.mark.parametrize("base", ["/v1/skills", "/v1/roles", "/v1/employees", "/v1/learning-items"])
def test_pagination_walks_every_record_once(crud: Svc, base: str) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        r = crud.get(base, params={"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200
        body = r.json()
        assert set(body) == {"items", "next_cursor"}
        assert len(body["items"]) <= 2
        seen += [x["id"] for x in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen))
    full = crud.get(base, params={"limit": 100}).json()
    assert [x["id"] for x in full["items"]] == seen
    assert full["next_cursor"] is None
    assert pages >= 2


def test_employee_reads_never_show_protected_attributes(crud: Svc) -> None:
    one = crud.get("/v1/employees/E001")
    assert one.status_code == 200
    assert "protected" not in one.json()
    listing = crud.get("/v1/employees", params={"limit": 100})
    for r in (one, listing, crud.get("/v1/employees/E002", who="employee2")):
        for value in PROTECTED_VALUES:
            assert value not in r.text
    # ... yet they are stored, for audits
    assert crud.engine.store.get_protected("E001") is not None


def test_put_employee_with_protected_attributes_answers_without_them(crud: Svc) -> None:
    secret = "prot-put-answer-5150"
    r = crud.put("/v1/employees/P001", json={"display_name": "Pat", "protected": {"sex": secret}})
    assert r.status_code == 201
    assert secret not in r.text and "protected" not in r.json()
    assert crud.engine.store.get_protected("P001").sex == secret
    assert crud.delete("/v1/employees/P001").status_code == 204
    assert crud.engine.store.get_protected("P001") is None


def test_put_with_unknown_reference_is_409_and_writes_nothing(crud: Svc) -> None:
    r = crud.put("/v1/roles/r-bad", json={"title": "Bad", "requirements": [{"skill_id": "no-such-skill", "level": 2}]})
    assert r.status_code == 409
    assert "no-such-skill" in r.json()["detail"]
    assert crud.get("/v1/roles/r-bad").status_code == 404


def test_delete_referenced_role_is_409(crud: Svc) -> None:
    assert crud.delete("/v1/roles/data-analyst").status_code == 409
    assert crud.get("/v1/roles/data-analyst").status_code == 200


def ndjson(*records: dict[str, Any]) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()


def test_import_reports_accepted_and_rejected_lines(crud: Svc) -> None:
    body = ndjson(
        {"type": "skill", "data": {"id": "imp-go", "name": "Go"}},
        {"type": "role", "data": {"id": "imp-go-dev", "title": "Go Developer",
                                  "requirements": [{"skill_id": "imp-go", "level": 3}]}},
        {"type": "employee", "data": {"id": "imp-e1", "display_name": "Gopher", "role_id": "imp-go-dev",
                                      "skills": [{"skill_id": "imp-go", "level": 4}],
                                      "protected": {"age_band": "prot-import-age-0001"}}},
        {"type": "skill", "data": {"id": "imp-bad", "name": "X", "colour": "red"}},
        {"type": "wizard", "data": {}},
    ) + b"\n{oops\n" + ndjson({"type": "employee", "data": {"id": "imp-e2", "display_name": "Z", "role_id": "nope"}})
    r = crud.post("/v1/import", content=body, headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["accepted"] == 3
    assert [x["line"] for x in out["rejected"]] == [4, 5, 6, 7]
    assert "unknown field" in out["rejected"][0]["error"]
    assert "prot-import-age-0001" not in r.text
    assert crud.get("/v1/employees/imp-e1").json()["role_id"] == "imp-go-dev"
    # idempotent: importing the good lines again changes nothing
    again = crud.post("/v1/import", content=body, headers={"Content-Type": "application/x-ndjson"}).json()
    assert again["accepted"] == 3 and again["unchanged"] == 3


def test_import_empty_and_non_utf8(crud: Svc) -> None:
    r = crud.post("/v1/import", content=b"", headers={"Content-Type": "application/x-ndjson"})
    assert r.json() == {"accepted": 0, "created": 0, "updated": 0, "unchanged": 0, "rejected": []}
    r = crud.post("/v1/import", content=b"\xff\xfe\xfa", headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 422
