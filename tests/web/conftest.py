"""Fixtures for the web app tests: the service harness's tiny org + one signed-in client per key."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "service"))

from svc_harness import Svc, make_svc

from service.keys import KeyStore


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Svc]:
    """The app over the tiny org (FakeEncoder), keys for every role including an auditor."""
    with make_svc(tmp_path_factory.mktemp("web")) as s:
        key_id, token = KeyStore(s.engine.store).create("auditor")
        s.tokens["auditor"], s.key_ids["auditor"] = token, key_id
        yield s


def signin_token(client: TestClient) -> str:
    """The CSRF token of the sign-in form (and its cookie, now in the client's jar)."""
    page = client.get("/app/")
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def sign_in(app: object, token: str, *, next_url: str = "") -> TestClient:
    """A new browser-like client signed in with ``token``."""
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    r = client.post("/app/sign-in", data={"key": token, "csrf": signin_token(client), "next": next_url})
    assert r.status_code == 303, r.text
    return client


@pytest.fixture(scope="module")
def browser_for(web: Svc) -> Callable[[str], TestClient]:
    """``browser_for("employee")``: a client signed in with that key (one per key, reused)."""
    clients: dict[str, TestClient] = {}

    def get(who: str) -> TestClient:
        if who not in clients:
            clients[who] = sign_in(web.app, web.tokens[who])
        return clients[who]

    return get


def form_csrf(html: str) -> str:
    """The session's CSRF token as a page's forms carry it."""
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
