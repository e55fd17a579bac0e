"""Session-wide fixtures: the real model is loaded once per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATASETS = SHARED / "datasets"
ONET_DIR = DATASETS / "onet"
ONET_EVAL_DIR = DATASETS / "onet-eval"


@pytest.fixture(scope="session")
def real_encoder():  # type: ignore[no-untyped-def]
    """The bundled all-MiniLM-L6-v2, loaded once for the whole session."""
    from embeddings import Encoder

    return Encoder()


@pytest.fixture
def fake_encoder():  # type: ignore[no-untyped-def]
    from embeddings import FakeEncoder

    return FakeEncoder()


@pytest.fixture(scope="session")
def onet_dir() -> Path:
    if not (ONET_DIR / "Occupation Data.txt").exists():
        pytest.fail(f"O*NET dataset missing at {ONET_DIR}: tests expect ../shared beside the project")
    return ONET_DIR


@pytest.fixture
def tmp_home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    yield home
