"""Operations endpoints, request ids, access logs, metrics."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from svc_harness import Svc, make_svc


def test_healthz_needs_no_key(svc: Svc) -> None:
    r = svc.client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_readyz_when_loaded(svc: Svc) -> None:
    r = svc.client.get("/readyz")
    assert r.status_code == (200 if svc.engine.ready else 503)


def test_readyz_503_problem_before_indexes(tmp_path: Path) -> None:
    with make_svc(tmp_path, load=False) as s:
        r = s.client.get("/readyz")
        assert r.status_code == 503
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["status"] == 503
        # engine-backed endpoints say the same, as a problem
        r = s.get("/v1/employees/E001/recommendations")
        assert r.status_code == 503
        assert r.json()["title"] == "Not ready"


def test_request_id_round_trip_and_in_problem(svc: Svc) -> None:
    r = svc.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = svc.get("/v1/skills/nope", headers={"X-Request-ID": "req-42"})
    assert r.status_code == 404
    assert r.json()["instance"] == "urn:request:req-42"
    assert r.headers["x-request-id"] == "req-42"


def test_request_id_generated_when_missing_or_bad(svc: Svc) -> None:
    r = svc.client.get("/healthz")
    assert len(r.headers["x-request-id"]) == 32
    r = svc.client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert r.headers["x-request-id"] != "bad id with spaces"


def test_access_log_is_json_with_request_id(svc: Svc, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="skillgraph.access"):
        svc.get("/v1/roles/data-analyst", headers={"X-Request-ID": "log-me"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "skillgraph.access"]
    mine = [x for x in lines if x["request_id"] == "log-me"]
    assert mine, lines
    entry = mine[0]
    assert entry["route"] == "/v1/roles/{role_id}"
    assert entry["status"] == 200
    assert entry["method"] == "GET"
    assert entry["key_id"] == svc.key_ids["admin"]
    assert entry["duration_ms"] >= 0


def test_metrics_count_by_route_template(svc: Svc) -> None:
    svc.get("/v1/roles/data-analyst")
    svc.get("/v1/roles/data-engineer")
    text = svc.client.get("/metrics").text
    assert svc.client.get("/metrics").headers["content-type"].startswith("text/plain")
    line = next(x for x in text.splitlines()
                if x.startswith("skillgraph_http_requests_total{") and 'route="/v1/roles/{role_id}"' in x
                and 'status="200"' in x)
    assert float(line.rsplit(" ", 1)[1]) >= 2
    assert "skillgraph_http_request_duration_seconds_bucket" in text
    assert 'route="/v1/roles/data-analyst"' not in text  # templates, not raw paths


def test_two_apps_have_separate_registries(tmp_path: Path) -> None:
    with make_svc(tmp_path / "a", load=False) as a, make_svc(tmp_path / "b", load=False) as b:
        for _ in range(3):
            a.client.get("/healthz")
        b.client.get("/healthz")

        def count(s: Svc) -> float:
            text = s.client.get("/metrics").text
            line = next(x for x in text.splitlines()
                        if x.startswith("skillgraph_http_requests_total{") and 'route="/healthz"' in x)
            return float(line.rsplit(" ", 1)[1])

        assert count(a) == 3
        assert count(b) == 1


def test_openapi_declares_problem_responses(svc: Svc) -> None:
    doc = svc.client.get("/openapi.json").json()
    op = doc["paths"]["/v1/employees/{employee_id}/recommendations"]["get"]
    for status in ("401", "403", "404", "422", "429", "500", "503"):
        assert "application/problem+json" in op["responses"][status]["content"]
    assert "apiKey" in doc["components"]["securitySchemes"]
    assert doc["components"]["schemas"]["Problem"]["examples"]


def test_serve_single_and_multi_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from engine.config import Config
    from service import server

    calls: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    for var in ("SKILLGRAPH_DATABASE_URL", "SKILLGRAPH_HOME", "SKILLGRAPH_LEARNING_HOURS_PER_WEEK"):
        monkeypatch.setenv(var, "-")  # records the original, so serve()'s export is undone afterwards
        monkeypatch.delenv(var)
    config = Config(db_url=f"sqlite:///{tmp_path}/s.db", home=tmp_path / "h")
    server.serve(config, host="0.0.0.0", port=9999, workers=1)
    app, kw = calls[-1]
    assert app.state.settings.database_url == config.db_url  # type: ignore[attr-defined]
    assert kw["host"] == "0.0.0.0" and kw["port"] == 9999
    server.serve(config, workers=3)
    app, kw = calls[-1]
    assert app == "service.server:app_factory" and kw["factory"] is True and kw["workers"] == 3
    assert os.environ["SKILLGRAPH_DATABASE_URL"] == config.db_url
    built = server.app_factory()
    assert built.state.settings.home == tmp_path / "h"


def test_empty_service_is_ready_and_serves_after_first_import(tmp_path: Path) -> None:
    from orgdata import records

    type_of = {"Skill": "skill", "Role": "role", "LearningItem": "learning_item", "Employee": "employee"}
    lines = [json.dumps({"type": type_of[type(r).__name__], "data": r.model_dump(mode="json")}) for r in records()]
    with make_svc(tmp_path, seed=False) as s:
        assert s.client.get("/readyz").status_code == 200  # empty indexes are loaded indexes
        r = s.post("/v1/import", content="\n".join(lines).encode(), headers={"Content-Type": "application/x-ndjson"})
        assert r.status_code == 200 and r.json()["accepted"] == len(lines), r.text
        s.app.state.jobs.wait(60)
        assert s.client.get("/readyz").status_code == 200
        assert s.get("/v1/employees/E002/recommendations").status_code == 200
