"""Issue 12 over HTTP: no 500s on hostile bodies, no Host reflection, protected attributes kept,
one strict validation mode, rate limits without a key, HEAD, security headers, ids kept out of logs."""

from __future__ import annotations

import contextlib
import json
import logging
import select
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi.responses import HTMLResponse
from orgdata import PROTECTED
from svc_harness import Svc, make_svc

DEEP = b"[" * 100_000 + b"]" * 100_000
NDJSON = {"Content-Type": "application/x-ndjson"}


def assert_problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["instance"] == f"urn:request:{r.headers['x-request-id']}"
    return body


# -- defect 2: deeply nested JSON --------------------------------------------------------------------
@pytest.mark.parametrize(("method", "url", "who"), [
    ("PUT", "/v1/skills/deep", "admin"),
    ("PUT", "/v1/employees/E001", "hr"),
    ("POST", "/v1/recommendations", "employee"),
    ("POST", "/v1/resolve/skills", "recruiter"),
    ("POST", "/v1/keys", "admin"),
])
@pytest.mark.parametrize("wrap", ["bare", "in-a-field"])
def test_deeply_nested_json_body_is_422_not_500(svc: Svc, method: str, url: str, who: str, wrap: str) -> None:
    body = DEEP if wrap == "bare" else b'{"name": ' + DEEP + b"}"
    r = svc.client.request(method, url, content=body, headers={**svc.h(who), "Content-Type": "application/json"})
    problem = assert_problem(r, 422)
    assert "nested deeper than 32 levels" in problem["detail"]


def test_deep_json_without_content_type_is_refused_before_any_parser(svc: Svc) -> None:
    # FastAPI's own body parsing reads a body without a content type as JSON: the cap covers it too.
    r = svc.client.put("/v1/skills/deep", content=DEEP, headers=svc.h("admin"))
    assert r.status_code in (415, 422) and r.status_code != 500
    assert r.headers["content-type"].startswith("application/problem+json")


def test_import_reports_a_deep_line_and_commits_the_rest(svc: Svc) -> None:
    lines = [
        json.dumps({"type": "skill", "data": {"id": "deep-a", "name": "A"}}).encode(),
        DEEP,
        b'{"type": "skill", "data": {"id": "deep-b", "name": ' + DEEP + b"}}",
        json.dumps({"type": "skill", "data": {"id": "deep-c", "name": "C\u2028with a line separator"}},
                   ensure_ascii=False).encode(),
        b'{"type": "skill", "data": {"id": "deep-d"}}',
    ]
    r = svc.post("/v1/import", content=b"\n".join(lines), headers=NDJSON)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["accepted"] == 2
    assert [x["line"] for x in out["rejected"]] == [2, 3, 5]  # U+2028 splits no line
    assert svc.get("/v1/skills/deep-c").json()["name"] == "C\u2028with a line separator"


# -- defect 7: one validation mode ----------------------------------------------------------------------
@pytest.mark.parametrize(("change", "field"), [
    ({"months_in_role": "12"}, "months_in_role"),
    ({"months_in_role": True}, "months_in_role"),
    ({"skills": [{"skill_id": "sql", "level": "3"}]}, "skills"),
])
def test_import_refuses_what_put_refuses(svc: Svc, change: dict[str, Any], field: str) -> None:
    data = {"display_name": "Strict Sam", "role_id": "data-analyst", **change}
    put = svc.put("/v1/employees/strict-1", json=data)
    assert_problem(put, 422)
    assert put.json()["errors"][0]["loc"][:2] == ["body", field]
    r = svc.post("/v1/import", content=json.dumps({"type": "employee", "data": {"id": "strict-1", **data}}),
                 headers=NDJSON)
    assert r.json()["accepted"] == 0
    assert f"field '{field}" in r.json()["rejected"][0]["error"]
    assert svc.get("/v1/employees/strict-1").status_code == 404


# -- defect 5: Host header ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/v1/skills/", "//evil.example/v1/skills/"])
def test_redirects_never_reflect_the_host_header(svc: Svc, path: str) -> None:
    r = svc.client.get(path, headers={**svc.h("admin"), "Host": "evil.example"}, follow_redirects=False)
    location = r.headers.get("location", "")
    assert urlsplit(location).netloc == "" and not location.startswith("//"), location


def test_trailing_slash_redirect_is_relative_and_still_works(svc: Svc) -> None:
    r = svc.client.get("/v1/skills/", headers={**svc.h("admin"), "Host": "evil.example"}, follow_redirects=False)
    assert r.headers.get("location") in (None, "/v1/skills")
    assert svc.get("/v1/skills/").status_code == 200  # following it lands on the collection


# -- defect 6: protected attributes ---------------------------------------------------------------------
def test_get_edit_put_round_trip_keeps_protected_attributes(svc: Svc) -> None:
    store = svc.engine.store
    v = store.version()
    got = svc.get("/v1/employees/E002").json()
    assert "protected" not in got
    r = svc.put("/v1/employees/E002", json=got)
    assert r.status_code == 200
    assert store.version() == v, "an unchanged round trip was written as an update"
    edited = {**got, "interests": "streaming, data platforms"}
    assert svc.put("/v1/employees/E002", json=edited).status_code == 200
    assert store.get_employee("E002").interests == "streaming, data platforms"
    prot = store.get_protected("E002")
    assert prot is not None and prot.model_dump() == PROTECTED["E002"]


def test_clearing_protected_attributes_takes_an_explicit_call(svc: Svc) -> None:
    store = svc.engine.store
    assert store.get_protected("E003") is not None
    for who in ("recruiter", "employee", None):
        r = svc.delete("/v1/employees/E003/protected", who=who)
        assert r.status_code in (401, 403)
    assert store.get_protected("E003") is not None
    assert svc.delete("/v1/employees/E003/protected", who="hr").status_code == 204
    assert store.get_protected("E003") is None
    assert svc.get("/v1/employees/E003").status_code == 200  # the person is still there
    assert svc.delete("/v1/employees/E003/protected").status_code == 204  # nothing left: still 204
    assert_problem(svc.delete("/v1/employees/nobody/protected"), 404)


# -- defect 9: HEAD, headers ----------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "who"), [("/healthz", None), ("/v1/skills", "admin"),
                                           ("/v1/employees/E001", "employee"), ("/metrics", None)])
def test_head_answers_like_get_without_a_body(svc: Svc, url: str, who: str | None) -> None:
    get = svc.get(url, who=who)
    head = svc.client.head(url, headers=svc.h(who))
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    if url != "/metrics":  # the metrics text grows between the two calls
        assert head.headers["content-length"] == get.headers["content-length"]


def test_head_where_there_is_no_get_is_405(svc: Svc) -> None:
    r = svc.client.head("/v1/import", headers=svc.h("admin"))
    assert r.status_code == 405
    assert r.headers["allow"] == "POST"


@pytest.mark.parametrize(("url", "who", "status"), [
    ("/healthz", None, 200), ("/v1/employees/E001/recommendations", "employee", 200),
    ("/v1/skills", None, 401), ("/v1/nothing", "admin", 404), ("/openapi.json", None, 200),
])
def test_security_headers_on_every_answer(svc: Svc, url: str, who: str | None, status: int) -> None:
    r = svc.get(url, who=who)
    assert r.status_code == status
    h = r.headers
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert h["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert h["cache-control"] == "no-store"
    assert "server" not in h


def test_a_page_keeps_its_own_content_security_policy(svc: Svc) -> None:
    own = "default-src 'self'; img-src 'self' data:"

    def page(_request: Any) -> HTMLResponse:
        return HTMLResponse("<p>hi</p>", headers={"Content-Security-Policy": own, "Cache-Control": "max-age=60"})

    svc.app.router.add_route("/test-own-csp", page)
    r = svc.client.get("/test-own-csp")
    assert r.headers["content-security-policy"] == own
    assert r.headers["cache-control"] == "max-age=60"
    assert r.headers["x-content-type-options"] == "nosniff"


# -- defect 4 (logs) ------------------------------------------------------------------------------------
def test_access_log_keeps_no_employee_ids(svc: Svc, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="skillgraph.access"):
        svc.get("/v1/employees/E001/recommendations", who="employee", headers={"X-Request-ID": "no-ids-1"})
        svc.get("/v1/employees/E001/recommendations", who="employee", headers={"X-Request-ID": "no-ids-2"})
        svc.get("/v1/employees/E001/typo-path", who="employee", headers={"X-Request-ID": "no-ids-3"})
    lines = [r.getMessage() for r in caplog.records if r.name == "skillgraph.access"]
    mine = [json.loads(x) for x in lines if '"no-ids-' in x]
    assert len(mine) == 3
    assert not [x for x in lines if "E001" in x]
    assert mine[0]["route"] == "/v1/employees/{employee_id}/recommendations"
    assert mine[0]["path_ref"] == mine[1]["path_ref"] != mine[2]["path_ref"]  # still correlates


# -- defect 8: rate limits without a key ----------------------------------------------------------------
@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Svc]:
    with make_svc(tmp_path_factory.mktemp("limited"), load=False, anonymous_rate_limit_per_minute=5) as s:
        yield s


def test_requests_without_a_valid_key_are_limited_per_address(limited: Svc) -> None:
    bad = {"Authorization": "Bearer sg_nope_nope"}
    codes = [limited.client.get("/v1/skills", headers=bad if n % 2 else {}).status_code for n in range(5)]
    assert codes == [401] * 5
    spoofed = {"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9"}
    r = limited.client.get("/v1/skills", headers=spoofed)
    problem = assert_problem(r, 429)
    assert int(r.headers["retry-after"]) >= 1 and "valid API key" in problem["detail"]
    assert limited.client.get("/v1/skills", headers=bad).status_code == 429
    # a valid key from the same address is not locked out, and health checks are never limited
    assert limited.get("/v1/skills").status_code == 200
    assert all(limited.client.get("/healthz").status_code == 200 for _ in range(10))


def test_the_address_bucket_refills() -> None:
    from service.ratelimit import RateLimiter

    now = [0.0]
    lim = RateLimiter(60, clock=lambda: now[0], max_buckets=4)
    assert [lim.hit("a") for _ in range(60)] == [0.0] * 60 and lim.hit("a") > 0
    now[0] += 1.0
    assert lim.hit("a") == 0.0
    for n in range(10):  # many addresses: memory stays bounded
        lim.hit(f"addr-{n}")
    assert len(lim._buckets) <= 4


# -- a real server: what the server layer answers -------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _raw(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send a raw request in pieces, stopping as soon as the server answers (it may refuse early)."""
    data = b""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        for i in range(0, len(request), 8192):
            c.sendall(request[i : i + 8192])
            if select.select([c], [], [], 0.05)[0]:
                break
        with contextlib.suppress(ConnectionResetError):
            while chunk := c.recv(65536):
                data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (x.split(":", 1) for x in lines)}
    return int(status_line.split()[1]), headers, body


@pytest.fixture(scope="module")
def served(svc: Svc) -> Iterator[int]:
    from service.server import uvicorn_options  # what `skillgraph serve` runs uvicorn with

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(svc.app, **uvicorn_options("127.0.0.1", port),  # type: ignore[arg-type]
                                           lifespan="off", log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield port
    server.should_exit = True
    thread.join(10)


def test_oversized_headers_get_a_problem_not_plain_text(served: int) -> None:
    status, headers, body = _raw(served, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")
    assert status == 431
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["status"] == 431
    assert headers["x-content-type-options"] == "nosniff" and "server" not in headers
    status, headers, body = _raw(served, b"NOT HTTP AT ALL\r\n\r\n")
    assert status == 400 and headers["content-type"] == "application/problem+json"


def test_real_server_sends_no_server_header_and_serves_head(served: int) -> None:
    status, headers, body = _raw(served, b"HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status == 200 and body == b"" and headers["content-length"] == "15"
    assert "server" not in headers


def test_served_redirects_are_relative(served: int) -> None:
    status, headers, _ = _raw(served, b"GET /v1/skills/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    assert status in (307, 401, 404)
    assert "evil.example" not in headers.get("location", "")


# -- the CLI import (defect 2: one deep line used to abort the whole file with a traceback) ------------
def test_cli_import_reports_a_deep_line_and_commits_the_rest(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import main

    f = tmp_path / "skills.ndjson"
    f.write_bytes(b'{"id": "cli-a", "name": "A"}\n' + DEEP + b'\n{"id": "cli-b", "name": "B"}\n')
    db = f"sqlite:///{tmp_path / 'sg.db'}"
    code = main(["--db", db, "--home", str(tmp_path / "home"), "import", str(f)])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"rejected {f}:2: invalid JSON: JSON nested deeper than 32 levels" in err
    assert "Traceback" not in err and "accepted 2 records" in out
