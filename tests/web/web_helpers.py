"""Helpers of the web app tests (a module of its own name: every test folder has a conftest)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def signin_token(client: TestClient) -> str:
    """The CSRF token of the sign-in form (and its cookie, now in the client's jar)."""
    page = client.get("/app/")
    assert page.status_code == 200, page.text
    return form_csrf(page.text)


def sign_in(app: object, token: str, *, next_url: str = "") -> TestClient:
    """A new browser-like client signed in with ``token``."""
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    r = client.post("/app/sign-in", data={"key": token, "csrf": signin_token(client), "next": next_url})
    assert r.status_code == 303, r.text
    return client


def form_csrf(html: str) -> str:
    """The CSRF token a page's forms carry."""
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
