"""Vendored assets (provenance, licences) and the offline /docs and /redoc pages."""

from __future__ import annotations

import hashlib
import json
import re

from svc_harness import Svc

from service.web import STATIC_DIR
from service.web.vendor import PINS, PROVENANCE, check


def test_vendored_files_match_their_provenance_and_ship_licences() -> None:
    assert check() == []
    record = json.loads(PROVENANCE.read_text())
    assert [(a["package"], a["version"]) for a in record["assets"]] == [(p.package, p.version) for p in PINS]
    for asset in record["assets"]:
        assert asset["registry"] == "npm" and asset["license"] and asset["tarball_integrity"].startswith("sha512-")
        kinds = {f["kind"] for f in asset["files"]}
        assert kinds == {"asset", "licence"}, asset["package"]


def test_check_notices_an_altered_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    vendor = tmp_path / "vendor"
    record = json.loads(PROVENANCE.read_text())
    for asset in record["assets"]:
        for f in asset["files"]:
            (vendor / f["path"]).parent.mkdir(parents=True, exist_ok=True)
            (vendor / f["path"]).write_bytes((STATIC_DIR / "vendor" / f["path"]).read_bytes())
    (vendor / PROVENANCE.name).write_text(PROVENANCE.read_text())
    assert check(vendor) == []
    (vendor / "htmx" / "htmx.min.js").write_text("alert(1)")
    assert check(vendor) == ["htmx/htmx.min.js differs from htmx.org@2.0.11"]


def test_assets_are_served_with_caching_and_nothing_outside_static(web: Svc) -> None:
    r = web.client.get("/app/static/vendor/htmx/htmx.min.js")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]
    assert hashlib.sha256(r.content).hexdigest() == hashlib.sha256(
        (STATIC_DIR / "vendor/htmx/htmx.min.js").read_bytes()).hexdigest()
    assert "max-age" in r.headers["cache-control"] and r.headers.get("etag")
    assert web.client.get("/app/static/vendor/htmx/htmx.min.js",
                          headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    assert web.client.get("/app/static/app.css").status_code == 200
    for bad in ("/app/static/../render.py", "/app/static/%2e%2e/render.py", "/app/static/nope.js"):
        assert web.client.get(bad).status_code == 404, bad


def test_docs_and_redoc_load_everything_from_the_app(web: Svc) -> None:
    for path, needed in (("/docs", ("swagger-ui-bundle.js", "swagger-ui.css", "docs.js")),
                         ("/redoc", ("redoc.standalone.js", "redoc.js"))):
        r = web.client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        html = r.text
        assert not re.findall(r"https?://", html), path  # no CDN
        refs = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert all(ref.startswith("/app/static/") for ref in refs)
        assert all(any(ref.endswith(n) for ref in refs) for n in needed)
        for ref in refs:
            assert web.client.get(ref).status_code == 200, ref
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # init code is a file: CSP keeps scripts self-only
        assert "script-src 'self';" in r.headers["content-security-policy"]
    spec = web.client.get("/openapi.json").json()
    assert not any(p.startswith("/app") or p in ("/docs", "/redoc") for p in spec["paths"])


def test_swagger_init_never_calls_the_online_validator() -> None:
    assert "validatorUrl: null" in (STATIC_DIR / "docs.js").read_text()
