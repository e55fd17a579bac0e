"""Authentication (401) and the role x endpoint permission table (403), generated as a table."""

from __future__ import annotations

from typing import Any

import pytest
from svc_harness import Svc

from service.keys import KeyStore, split_token

ADMIN, HR, REC, EMP = "admin", "hr", "recruiter", "employee"
ALL = {ADMIN, HR, REC, EMP}
ORG = {ADMIN, HR}

# (name, method, url, json body, roles allowed). The employee key is bound to E001.
# Writes use unchanged records or missing ids, so allowed calls leave the data as it was.
SKILL = {"name": "SQL", "aliases": ["postgres", "structured query language"], "category": "data"}
ENDPOINTS: list[tuple[str, str, str, Any, set[str]]] = [
    ("list skills", "GET", "/v1/skills", None, ORG),
    ("get skill", "GET", "/v1/skills/sql", None, ORG),
    ("put skill", "PUT", "/v1/skills/sql", SKILL, ORG),
    ("delete skill", "DELETE", "/v1/skills/no-such-skill", None, ORG),
    ("list roles", "GET", "/v1/roles", None, ALL),
    ("get role", "GET", "/v1/roles/data-analyst", None, ALL),
    ("put role", "PUT", "/v1/roles/no-such-role",
     {"title": "X", "requirements": [{"skill_id": "nope", "level": 1}]}, ORG),
    ("delete role", "DELETE", "/v1/roles/no-such-role", None, ORG),
    ("list employees", "GET", "/v1/employees", None, ORG),
    ("get own employee", "GET", "/v1/employees/E001", None, {ADMIN, HR, EMP}),
    ("get other employee", "GET", "/v1/employees/E002", None, ORG),
    ("put own employee", "PUT", "/v1/employees/E001", {"display_name": "x", "role_id": "nope"}, ORG),
    ("delete own employee", "DELETE", "/v1/employees/E999", None, ORG),
    ("list learning", "GET", "/v1/learning-items", None, ORG),
    ("get learning", "GET", "/v1/learning-items/sql-adv", None, ORG),
    ("put learning", "PUT", "/v1/learning-items/x",
     {"title": "t", "hours": 1, "skills": [{"skill_id": "zz", "to_level": 2}]}, ORG),
    ("delete learning", "DELETE", "/v1/learning-items/no-such", None, ORG),
    ("import", "POST", "/v1/import", "", ORG),
    ("recommend own", "POST", "/v1/recommendations", {"employee_id": "E001"}, {ADMIN, HR, EMP}),
    ("recommend other", "POST", "/v1/recommendations", {"employee_id": "E002"}, ORG),
    ("recommend profile", "POST", "/v1/recommendations", {"profile": {"skills": [{"skill": "sql", "level": 3}]}}, ORG),
    ("own recommendations", "GET", "/v1/employees/E001/recommendations", None, {ADMIN, HR, EMP}),
    ("other recommendations", "GET", "/v1/employees/E002/recommendations", None, ORG),
    ("missing employee recommendations", "GET", "/v1/employees/E999/recommendations", None, ORG),
    ("own routes", "GET", "/v1/employees/E001/routes/data-scientist", None, {ADMIN, HR, EMP}),
    ("other routes", "GET", "/v1/employees/E002/routes/data-scientist", None, ORG),
    ("own learning", "GET", "/v1/employees/E001/learning?role_id=data-scientist", None, {ADMIN, HR, EMP}),
    ("other learning", "GET", "/v1/employees/E002/learning?role_id=data-scientist", None, ORG),
    ("candidates", "GET", "/v1/roles/senior-data-engineer/candidates", None, {ADMIN, HR, REC}),
    ("similar roles", "GET", "/v1/roles/data-engineer/similar", None, {ADMIN, HR, REC}),
    ("resolve skills", "POST", "/v1/resolve/skills", {"texts": ["python"]}, {ADMIN, HR, REC}),
    ("resolve roles", "POST", "/v1/resolve/roles", {"titles": ["data engineer"]}, {ADMIN, HR, REC}),
    ("index status", "GET", "/v1/index/status", None, ORG),
    ("index rebuild", "POST", "/v1/index/rebuild", None, ORG),
    ("list keys", "GET", "/v1/keys", None, {ADMIN}),
    ("create key", "POST", "/v1/keys", {"role": "recruiter"}, {ADMIN}),
    ("revoke key", "DELETE", "/v1/keys/nosuchkey", None, {ADMIN}),
]
TABLE = [(role, *ep) for ep in ENDPOINTS for role in (ADMIN, HR, REC, EMP)]


def _call(svc: Svc, who: str | None, method: str, url: str, body: Any) -> Any:
    headers = svc.h(who)
    if url == "/v1/import":
        headers["Content-Type"] = "application/x-ndjson"
        return svc.client.request(method, url, headers=headers, content=body)
    return svc.client.request(method, url, headers=headers, json=body)


@pytest.mark.parametrize(("role", "name", "method", "url", "body", "allowed"), TABLE,
                         ids=[f"{r}-{e[0].replace(' ', '_')}" for r, *e in TABLE])
def test_permission_table(svc: Svc, role: str, name: str, method: str, url: str, body: Any, allowed: set[str]) -> None:
    r = _call(svc, role, method, url, body)
    if role in allowed:
        assert r.status_code not in (401, 403), (r.status_code, r.text)
    else:
        assert r.status_code == 403, (r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["status"] == 403


@pytest.mark.parametrize(("name", "method", "url", "body"), [e[:4] for e in ENDPOINTS], ids=[e[0] for e in ENDPOINTS])
def test_every_v1_endpoint_needs_a_key(svc: Svc, name: str, method: str, url: str, body: Any) -> None:
    r = _call(svc, None, method, url, body)
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["title"] == "Unauthorized"


@pytest.mark.parametrize("token", [
    "garbage", "sg_", "sg_abc_def", "Bearer", "sg_" + "a" * 300, "sg_ffffffffffff_" + "x" * 43,
])
def test_bad_keys_are_401(svc: Svc, token: str) -> None:
    r = svc.client.get("/v1/roles", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_wrong_secret_for_a_real_key_id_is_401(svc: Svc) -> None:
    key_id = svc.key_ids["admin"]
    r = svc.client.get("/v1/roles", headers={"Authorization": f"Bearer sg_{key_id}_{'A' * 43}"})
    assert r.status_code == 401


def test_basic_auth_scheme_is_401(svc: Svc) -> None:
    r = svc.client.get("/v1/roles", headers={"Authorization": f"Basic {svc.tokens['admin']}"})
    assert r.status_code == 401


def test_revoked_key_is_401(svc: Svc) -> None:
    created = svc.post("/v1/keys", json={"role": "hr"})
    assert created.status_code == 201
    token, key_id = created.json()["key"], created.json()["id"]
    assert svc.client.get("/v1/roles", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    r = svc.delete(f"/v1/keys/{key_id}")
    assert r.status_code == 200 and r.json()["revoked_at"]
    assert svc.client.get("/v1/roles", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_employee_key_cannot_write_even_its_own_record(svc: Svc) -> None:
    r = svc.put("/v1/employees/E001", who="employee", json={"display_name": "Me"})
    assert r.status_code == 403
    r = svc.delete("/v1/employees/E001", who="employee")
    assert r.status_code == 403
    assert svc.get("/v1/employees/E001").status_code == 200


def test_keys_api_lists_without_secrets(svc: Svc) -> None:
    r = svc.get("/v1/keys")
    assert r.status_code == 200
    items = r.json()["items"]
    assert {k["role"] for k in items} >= {"admin", "hr", "recruiter", "employee"}
    assert all(set(k) == {"id", "role", "employee_id", "created_at", "revoked_at"} for k in items)
    assert svc.tokens["admin"] not in r.text


def test_key_create_validation(svc: Svc) -> None:
    assert svc.post("/v1/keys", json={"role": "employee"}).status_code == 422
    assert svc.post("/v1/keys", json={"role": "employee", "employee_id": "E404"}).status_code == 409
    assert svc.post("/v1/keys", json={"role": "hr", "employee_id": "E001"}).status_code == 422
    assert svc.post("/v1/keys", json={"role": "root"}).status_code == 422
    assert svc.delete("/v1/keys/nosuchkey").status_code == 404


def test_keystore_stores_only_a_hash(svc: Svc) -> None:
    from sqlalchemy import select

    from engine.store import tables as t

    keys = KeyStore(svc.engine.store)
    key_id, token = keys.create("recruiter")
    parts = split_token(token)
    assert parts is not None and parts[0] == key_id
    with svc.engine.store.engine.connect() as conn:
        row = conn.execute(select(t.api_keys).where(t.api_keys.c.id == key_id)).one()
    assert parts[1] not in row.hash and token not in row.hash
    assert len(row.hash) == 64
    assert keys.verify(token) is not None
    assert keys.verify(token + "x") is None
    keys.revoke(key_id)
    first = keys.get(key_id).revoked_at
    assert keys.revoke(key_id).revoked_at == first  # idempotent
    assert keys.verify(token) is None
