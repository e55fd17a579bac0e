"""Sign-in, sessions and CSRF of the web app, as a browser sees them (cookies, redirects, forms)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from svc_harness import PG_URL, Svc, make_svc
from web_helpers import form_csrf, sign_in, signin_token

from engine.store.web_sessions import web_sessions
from service.keys import KeyStore
from service.web.session import COOKIE


def set_cookie_headers(response) -> list[str]:  # type: ignore[no-untyped-def]
    return response.headers.get_list("set-cookie")


@pytest.mark.parametrize(("who", "lands"), [
    ("employee", "/app/me"), ("recruiter", "/app/roles"), ("hr", "/app/roles"),
    ("admin", "/app/analytics"), ("auditor", "/app/audit"),
])
def test_sign_in_sets_a_safe_cookie_and_lands_by_role(web: Svc, who: str, lands: str) -> None:
    client = TestClient(web.app, follow_redirects=False)
    r = client.post("/app/sign-in", data={"key": web.tokens[who], "csrf": signin_token(client)})
    assert r.status_code == 303 and r.headers["location"] == lands
    cookie = next(c for c in set_cookie_headers(r) if c.startswith(f"{COOKIE}="))
    attrs = {a.strip().lower() for a in cookie.split(";")}
    assert "httponly" in attrs and "samesite=lax" in attrs and "path=/app" in attrs
    assert web.tokens[who] not in cookie  # the cookie is a session token, never the API key
    page = client.get(lands)
    assert page.status_code == 200 and "Sign out" in page.text
    assert client.get("/app/").headers["location"] == lands  # signed in: the start page forwards


def test_a_bad_or_revoked_key_gets_the_form_again_and_no_session(web: Svc) -> None:
    client = TestClient(web.app, follow_redirects=False)
    for key in ("sg_nope_nope", "not a key", ""):
        r = client.post("/app/sign-in", data={"key": key, "csrf": signin_token(client)})
        assert r.status_code == 401 and "not valid" in r.text
        assert not any(c.startswith(f"{COOKIE}=") for c in set_cookie_headers(r))


def test_sign_in_needs_the_forms_csrf_token_and_our_origin(web: Svc) -> None:
    client = TestClient(web.app, follow_redirects=False)
    token = signin_token(client)
    r = client.post("/app/sign-in", data={"key": web.tokens["hr"], "csrf": "forged"})
    assert r.status_code == 403 and COOKIE not in r.headers.get("set-cookie", "")
    stranger = TestClient(web.app, follow_redirects=False)  # has no sign-in cookie at all
    assert stranger.post("/app/sign-in", data={"key": web.tokens["hr"], "csrf": token}).status_code == 403
    r = client.post("/app/sign-in", data={"key": web.tokens["hr"], "csrf": token},
                    headers={"Origin": "http://evil.example"})
    assert r.status_code == 403


def test_pages_send_signed_out_visitors_to_sign_in_and_back(web: Svc) -> None:
    anon = TestClient(web.app, follow_redirects=False)
    for path in ("/app/me", "/app/roles/data-engineer", "/app/analytics", "/app/audit", "/app/people"):
        r = anon.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/app/?next=")
    wanted = "/app/roles/data-engineer?min_readiness=ready_soon"
    r = anon.get(wanted)
    form = anon.get(r.headers["location"])
    assert f'name="next" value="{wanted}"' in form.text
    r = anon.post("/app/sign-in", data={"key": web.tokens["recruiter"], "csrf": form_csrf(form.text), "next": wanted})
    assert r.headers["location"] == wanted
    for evil in ("https://evil.example/", "//evil.example/app/", "/app/\\evil", "/docs"):
        client = TestClient(web.app, follow_redirects=False)
        r = client.post("/app/sign-in", data={"key": web.tokens["recruiter"], "csrf": signin_token(client),
                                              "next": evil})
        assert r.headers["location"] == "/app/roles", evil  # never off the app


def test_sign_out_ends_the_session_even_for_a_replayed_cookie(web: Svc) -> None:
    client = sign_in(web.app, web.tokens["hr"])
    stolen = client.cookies.get(COOKIE)
    page = client.get("/app/roles")
    assert client.post("/app/sign-out", data={"csrf": "wrong"}).status_code == 403  # CSRF on sign-out too
    r = client.post("/app/sign-out", data={"csrf": form_csrf(page.text)})
    assert r.status_code == 303 and r.headers["location"] == "/app/"
    replay = TestClient(web.app, follow_redirects=False, cookies={COOKIE: stolen})
    assert replay.get("/app/roles").status_code == 303


def test_revoking_the_key_ends_its_sessions(web: Svc) -> None:
    keys = KeyStore(web.engine.store)
    key_id, token = keys.create("recruiter")
    client = sign_in(web.app, token)
    assert client.get("/app/roles").status_code == 200
    keys.revoke(key_id)
    assert client.get("/app/roles").status_code == 303


def test_sessions_expire(tmp_path: Path) -> None:
    with make_svc(tmp_path, web_session_hours=1e-9) as s:
        client = sign_in(s.app, s.tokens["hr"])
        assert client.get("/app/roles").status_code == 303


def test_erasing_an_employee_deletes_their_sessions(tmp_path: Path) -> None:
    with make_svc(tmp_path) as s:
        client = sign_in(s.app, s.tokens["employee2"])
        assert client.get("/app/me").status_code == 200
        with s.engine.store.engine.connect() as conn:
            assert conn.execute(select(web_sessions.c.id)).all()
        assert s.delete("/v1/employees/E002").status_code == 204
        with s.engine.store.engine.connect() as conn:
            keys = {r.key_id for r in conn.execute(select(web_sessions.c.key_id))}
        assert s.key_ids["employee2"] not in keys
        assert client.get("/app/me").status_code == 303


@pytest.mark.integration
@pytest.mark.skipif(not PG_URL, reason="SKILLGRAPH_TEST_DATABASE_URL not set (CI sets it)")
def test_sessions_on_postgresql_end_with_sign_out_revocation_and_erasure(tmp_path: Path) -> None:
    with make_svc(tmp_path, db_url=PG_URL) as s:
        a, b = sign_in(s.app, s.tokens["employee"]), sign_in(s.app, s.tokens["employee2"])
        c = sign_in(s.app, s.tokens["hr"])
        assert all(x.get(p).status_code == 200 for x, p in ((a, "/app/me"), (b, "/app/me"), (c, "/app/people")))
        KeyStore(s.engine.store).revoke(s.key_ids["employee"])
        assert a.get("/app/me").status_code == 303
        assert s.delete("/v1/employees/E002").status_code == 204
        assert b.get("/app/me").status_code == 303
        page = c.get("/app/people")
        c.post("/app/sign-out", data={"csrf": form_csrf(page.text)})
        assert c.get("/app/people").status_code == 303
