"""Fixtures for the web app tests: the service harness's tiny org + one signed-in client per key."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "service"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from svc_harness import Svc, make_svc
from web_helpers import sign_in

from service.keys import KeyStore


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Svc]:
    """The app over the tiny org (FakeEncoder), keys for every role including an auditor."""
    with make_svc(tmp_path_factory.mktemp("web")) as s:
        key_id, token = KeyStore(s.engine.store).create("auditor")
        s.tokens["auditor"], s.key_ids["auditor"] = token, key_id
        yield s


@pytest.fixture(scope="module")
def browser_for(web: Svc) -> Callable[[str], TestClient]:
    """``browser_for("employee")``: a client signed in with that key (one per key, reused)."""
    clients: dict[str, TestClient] = {}

    def get(who: str) -> TestClient:
        if who not in clients:
            clients[who] = sign_in(web.app, web.tokens[who])
        return clients[who]

    return get
