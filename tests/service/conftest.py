"""Fixtures for the HTTP service tests: one app per module over a temp SQLite store + FakeEncoder."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from svc_harness import Svc, make_svc


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Svc]:
    with make_svc(tmp_path_factory.mktemp("svc")) as s:
        yield s
