"""Test harness for the HTTP service: an app over a temp SQLite store (or PostgreSQL) + FakeEncoder.

A module of its own (not conftest) so test modules can import it by a unique name."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from orgdata import records

from engine.api import Skillgraph
from engine.config import Config
from service.app import create_app
from service.keys import KeyStore
from service.settings import Settings

PG_URL = os.environ.get("SKILLGRAPH_TEST_DATABASE_URL")


@dataclass
class Svc:
    app: FastAPI
    client: TestClient
    engine: Skillgraph
    tokens: dict[str, str] = field(default_factory=dict)
    key_ids: dict[str, str] = field(default_factory=dict)

    def h(self, who: str | None) -> dict[str, str]:
        """Authorization headers for a named key ('admin', 'hr', 'recruiter', 'employee', 'employee2')."""
        return {} if who is None else {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, url: str, who: str | None = "admin", **kw: Any) -> Any:
        return self.client.get(url, headers={**self.h(who), **kw.pop("headers", {})}, **kw)

    def post(self, url: str, who: str | None = "admin", **kw: Any) -> Any:
        return self.client.post(url, headers={**self.h(who), **kw.pop("headers", {})}, **kw)

    def put(self, url: str, who: str | None = "admin", **kw: Any) -> Any:
        return self.client.put(url, headers={**self.h(who), **kw.pop("headers", {})}, **kw)

    def delete(self, url: str, who: str | None = "admin", **kw: Any) -> Any:
        return self.client.delete(url, headers={**self.h(who), **kw.pop("headers", {})}, **kw)


KEY_SPECS = {
    "admin": ("admin", None),
    "hr": ("hr", None),
    "recruiter": ("recruiter", None),
    "employee": ("employee", "E001"),
    "employee2": ("employee", "E002"),
}


@contextmanager
def make_svc(
    home: Path, *, db_url: str | None = None, encoder: Any = None, load: bool = True, seed: bool = True, **settings: Any
) -> Iterator[Svc]:
    """A running app (lifespan entered) over a fresh store seeded with the tiny org and one key per role."""
    from embeddings import FakeEncoder

    home.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{home}/sg.db"
    config = Config(db_url=url, home=home / "index")
    engine = Skillgraph(config, encoder=encoder or FakeEncoder())
    if db_url:
        engine.store.drop_all()
    engine.init()
    if seed:
        engine.upsert(records())
    keys = KeyStore(engine.store)
    svc_tokens, svc_ids = {}, {}
    for name, (role, emp) in KEY_SPECS.items():
        if emp is not None and not seed:
            continue
        key_id, token = keys.create(role, employee_id=emp)
        svc_tokens[name], svc_ids[name] = token, key_id
    base = {"database_url": url, "home": home / "index", "rate_limit_per_minute": 100_000,
            "anonymous_rate_limit_per_minute": 100_000, "load_on_startup": load}
    app = create_app(Settings(**{**base, **settings}), engine=engine)
    try:
        with TestClient(app) as client:
            yield Svc(app, client, engine, svc_tokens, svc_ids)
    finally:
        app.state.jobs.wait(30)
        if db_url:
            engine.store.drop_all()
        engine.store.close()
