"""Every error class answers application/problem+json, without stack traces or SQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from svc_harness import Svc, make_svc

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def assert_problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["instance"] == f"urn:request:{r.headers['x-request-id']}"
    for leak in ("Traceback", "File \"", "SELECT ", "sqlite", "sqlalchemy"):
        assert leak not in r.text
    return body


def test_unknown_path_404(svc: Svc) -> None:
    assert_problem(svc.get("/v2/nothing"), 404)
    assert_problem(svc.client.get("/nothing-here"), 404)


def test_missing_record_404(svc: Svc) -> None:
    body = assert_problem(svc.get("/v1/roles/no-such-role"), 404)
    assert "no-such-role" in body["detail"]


def test_method_not_allowed_405_lists_every_method(svc: Svc) -> None:
    r = svc.client.post("/v1/skills/python", headers=svc.h("admin"), json={})
    assert_problem(r, 405)
    assert set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "PUT", "DELETE"}
    r = svc.client.patch("/healthz")
    assert_problem(r, 405)
    assert r.headers["allow"] == "GET, HEAD"


def test_413_on_content_length(svc: Svc) -> None:
    big = b'{"texts": ["' + b"a" * (1024 * 1024 + 10) + b'"]}'
    r = svc.post("/v1/resolve/skills", content=big, headers={"Content-Type": "application/json"})
    assert_problem(r, 413)


def test_413_on_streamed_body_without_content_length(svc: Svc) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"texts": ["'
        for _ in range(40):
            yield b"a" * 32768
        yield b'"]}'

    r = svc.post("/v1/resolve/skills", content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert_problem(r, 413)


@pytest.mark.parametrize("url", [
    "/v1/skills?limit=0", "/v1/skills?limit=101", "/v1/skills?limit=abc",
    "/v1/employees/E001/recommendations?limit=1000", "/v1/roles/data-engineer/candidates?limit=-1",
    "/v1/roles/data-engineer/similar?limit=101", "/v1/employees/E001/routes/data-scientist?alternatives=11",
    "/v1/roles/data-engineer/candidates?min_readiness=soonish", "/v1/employees/E001/recommendations?direction=down",
    "/v1/skills?cursor=zz", "/v1/employees/E001/learning",
])
def test_422_on_bad_query(svc: Svc, url: str) -> None:
    body = assert_problem(svc.get(url), 422)
    assert body["errors"]


def test_422_on_too_many_texts(svc: Svc) -> None:
    assert_problem(svc.post("/v1/resolve/skills", json={"texts": ["x"] * 101}), 422)
    assert_problem(svc.post("/v1/resolve/roles", json={"titles": ["x"] * 101}), 422)
    assert_problem(svc.post("/v1/resolve/roles", json={"titles": []}), 422)


def test_422_on_recommendation_limit_in_body(svc: Svc) -> None:
    assert_problem(svc.post("/v1/recommendations", json={"employee_id": "E001", "limit": 101}), 422)
    assert_problem(svc.post("/v1/recommendations", json={"employee_id": "E001", "profile": {}}), 422)
    assert_problem(svc.post("/v1/recommendations", json={}), 422)


def test_422_on_unknown_fields(svc: Svc) -> None:
    body = assert_problem(svc.put("/v1/skills/python", json={"name": "Python", "colour": "blue"}), 422)
    assert any(e["type"] == "extra_forbidden" for e in body["errors"])
    assert_problem(svc.put("/v1/employees/E001", json={"display_name": "A", "skills": [{"skill_id": "sql", "level": 3,
                                                                                        "x": 1}]}), 422)
    assert_problem(svc.post("/v1/resolve/skills", json={"texts": ["a"], "extra": True}), 422)


def test_422_on_id_mismatch(svc: Svc) -> None:
    body = assert_problem(svc.put("/v1/skills/python", json={"id": "java", "name": "Java"}), 422)
    assert "does not match" in body["detail"]


def test_422_on_malformed_json(svc: Svc) -> None:
    r = svc.put("/v1/skills/python", content=b"{not json", headers={"Content-Type": "application/json"})
    assert_problem(r, 422)


def test_validation_errors_never_echo_input(svc: Svc) -> None:
    secret = "prot-echo-check-9876"
    r = svc.put("/v1/employees/E001", json={"display_name": "A", "protected": {"sex": secret, "bogus": secret}})
    assert_problem(r, 422)
    assert secret not in r.text


def test_409_conflicts(svc: Svc) -> None:
    body = assert_problem(svc.delete("/v1/skills/python"), 409)
    assert "referenced" in body["detail"]
    body = assert_problem(svc.put("/v1/employees/E001", json={"display_name": "A", "role_id": "no-such-role"}), 409)
    assert "no-such-role" in body["detail"]


def test_415_import_needs_ndjson(svc: Svc) -> None:
    assert_problem(svc.post("/v1/import", json=[{"type": "skill"}]), 415)


def test_429_with_retry_after(tmp_path: Path) -> None:
    with make_svc(tmp_path, load=False, seed=False, rate_limit_per_minute=3) as s:
        codes = [s.get("/v1/roles").status_code for _ in range(3)]
        assert codes == [200, 200, 200]
        r = s.get("/v1/roles")
        body = assert_problem(r, 429)
        assert int(r.headers["retry-after"]) >= 1
        assert s.key_ids["admin"] in body["detail"]
        # buckets are per key: another key is not throttled
        assert s.get("/v1/roles", who="hr").status_code == 200


def test_500_is_generic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with make_svc(tmp_path, load=False) as s:
        def boom(*_: Any, **__: Any) -> Any:
            raise RuntimeError("SELECT secret FROM sg_employees -- /srv/app/engine.py line 3")

        monkeypatch.setattr(s.engine.store, "list", boom)
        r = s.get("/v1/skills", headers={"X-Request-ID": "boom-1"})
        body = assert_problem(r, 500)
        assert body["detail"] == "internal error; the server log has details"
        assert "secret" not in r.text and "RuntimeError" not in r.text
        assert body["instance"] == "urn:request:boom-1"
        # the app keeps serving
        assert s.client.get("/healthz").status_code == 200
