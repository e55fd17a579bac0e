"""Layering and import hygiene for the embeddings package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import embeddings

PKG = Path(embeddings.__file__).resolve().parent
FORBIDDEN = {"engine", "graph", "service", "sqlalchemy", "fastapi", "httpx", "uvicorn", "requests", "psycopg"}


def test_no_forbidden_imports() -> None:
    for path in PKG.glob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_import_has_no_heavy_side_effects() -> None:
    code = (
        "import sys, embeddings;"
        "bad = [m for m in ('torch', 'sentence_transformers', 'transformers', 'engine', 'sqlalchemy')"
        " if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PKG.parent)
    assert out.stdout.strip() == "", f"importing embeddings pulled in: {out.stdout.strip()}"


def test_public_api() -> None:
    expected = {
        "Encoder", "FakeEncoder", "TextCache", "text_key", "MemoryCache", "CachedEncoder",
        "VectorIndex", "FlatIndex", "HNSWIndex", "make_index", "save_index", "load_index",
        "read_index_version", "EmbeddingsError", "ModelLoadError", "IndexFileError", "StaleIndex",
        "CorruptIndex",
    }  # fmt: skip
    assert expected <= set(embeddings.__all__)
    for name in embeddings.__all__:
        assert hasattr(embeddings, name)
    assert issubclass(embeddings.StaleIndex, embeddings.IndexFileError)
    assert issubclass(embeddings.CorruptIndex, embeddings.IndexFileError)
    assert issubclass(embeddings.IndexFileError, embeddings.EmbeddingsError)
    assert issubclass(embeddings.ModelLoadError, embeddings.EmbeddingsError)
