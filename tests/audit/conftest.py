"""Fixtures for the audit tests: a planted skewed org on SQLite (or PostgreSQL) with the FakeEncoder."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "service"))  # svc_harness

from audit_org import skewed_org

from engine.api import Skillgraph
from engine.config import Config

PG_URL = os.environ.get("SKILLGRAPH_TEST_DATABASE_URL")


def _engine(url: str, home: Path) -> Skillgraph:
    from embeddings import FakeEncoder

    engine = Skillgraph(Config(db_url=url, home=home), encoder=FakeEncoder())
    if url.startswith("postgresql"):
        engine.store.drop_all()
    engine.init()
    engine.upsert(skewed_org())
    engine.build_index()
    return engine


@pytest.fixture
def sg(tmp_path: Path) -> Iterator[Skillgraph]:
    """An indexed engine over the skewed org (a fresh SQLite store per test)."""
    engine = _engine(f"sqlite:///{tmp_path / 'sg.db'}", tmp_path / "home")
    yield engine
    engine.store.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def sg_any(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Skillgraph]:
    """The same on SQLite and, when SKILLGRAPH_TEST_DATABASE_URL is set, PostgreSQL."""
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("SKILLGRAPH_TEST_DATABASE_URL not set (CI sets it)")
    url = PG_URL if request.param == "postgresql" else f"sqlite:///{tmp_path / 'sg.db'}"
    engine = _engine(url, tmp_path / "home")  # type: ignore[arg-type]
    yield engine
    if request.param == "postgresql":
        engine.store.drop_all()
    engine.store.close()
