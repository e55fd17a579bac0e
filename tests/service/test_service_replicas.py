"""Two ``skillgraph serve`` processes over one PostgreSQL: a write through one is in the other's
answers within a second. Each replica reads the store version on every request and applies what
changed since the version it last saw (incremental refresh), so no message between them is needed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from orgdata import records

from engine.store import Store
from service.keys import KeyStore

pytestmark = pytest.mark.integration
PG_URL = os.environ.get("SKILLGRAPH_TEST_DATABASE_URL")
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    log = (home.parent / f"serve-{port}.log").open("wb")
    with log:
        return subprocess.Popen(
            [sys.executable, "-m", "service.cli", "--db", str(PG_URL), "--home", str(home), "serve",
             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited"
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"{base} not ready after {timeout} s")


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, dict[str, str]]]:
    if not PG_URL:
        pytest.skip("SKILLGRAPH_TEST_DATABASE_URL not set (CI sets it)")
    store = Store(PG_URL)
    store.drop_all()
    store.init()
    store.upsert(records())
    _, token = KeyStore(store).create("admin")
    tmp = tmp_path_factory.mktemp("replicas")
    ports = [_free_port(), _free_port()]
    procs = [_serve(tmp / f"home-{n}", port) for n, port in enumerate(ports)]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        for base, proc in zip(bases, procs, strict=True):
            _wait_ready(base, proc)
        yield bases[0], bases[1], {"Authorization": f"Bearer {token}"}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        store.drop_all()
        store.close()


def _within(seconds: float, probe: Callable[[], Any]) -> float:
    """Seconds until ``probe()`` is truthy (fails after ``seconds``)."""
    start = time.monotonic()
    while True:
        if probe():
            return time.monotonic() - start
        assert time.monotonic() - start < seconds, f"not visible within {seconds} s"
        time.sleep(0.02)


def _role_ids(base: str, h: dict[str, str], eid: str) -> list[str]:
    r = httpx.get(f"{base}/v1/employees/{eid}/recommendations", params={"limit": 10}, headers=h, timeout=10)
    return [i["role_id"] for i in r.json()["items"]] if r.status_code == 200 else []


def test_a_write_through_one_replica_is_in_the_others_answers_within_a_second(replicas: Any) -> None:
    a, b, h = replicas
    before = _role_ids(b, h, "E002")
    assert "senior-data-engineer" in before  # E002 is a data engineer: the senior role is a next step
    skills = [{"skill_id": s, "level": 4} for s in ("python", "sql", "spark")]
    moved = {"display_name": "Bo Builder", "role_id": "senior-data-engineer", "skills": skills}
    assert httpx.put(f"{a}/v1/employees/E002", json=moved, headers=h, timeout=10).status_code == 200
    # B must stop offering E002 the role it now holds.
    _within(1.0, lambda: (ids := _role_ids(b, h, "E002")) and "senior-data-engineer" not in ids)


def test_new_and_erased_people_cross_replicas_within_a_second(replicas: Any) -> None:
    a, b, h = replicas
    person = {"display_name": "New Nia", "role_id": "data-analyst", "skills": [{"skill_id": "sql", "level": 3}]}
    assert httpx.put(f"{b}/v1/employees/R-NEW-1", json=person, headers=h, timeout=10).status_code == 201
    _within(1.0, lambda: bool(_role_ids(a, h, "R-NEW-1")))
    assert httpx.delete(f"{a}/v1/employees/R-NEW-1", headers=h, timeout=10).status_code == 204
    _within(1.0, lambda: httpx.get(f"{b}/v1/employees/R-NEW-1/recommendations", headers=h,
                                   timeout=10).status_code == 404)
    shortlist = httpx.get(f"{b}/v1/roles/senior-data-analyst/candidates", params={"limit": 50}, headers=h, timeout=10)
    assert "R-NEW-1" not in shortlist.text


def test_served_answers_carry_the_security_headers(replicas: Any) -> None:
    a, _, h = replicas
    r = httpx.get(f"{a}/v1/roles", headers=h, timeout=10)
    assert r.status_code == 200 and "server" not in r.headers
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["cache-control"] == "no-store"
    head = httpx.head(f"{a}/v1/roles", headers=h, timeout=10)
    assert head.status_code == 200 and head.content == b""
