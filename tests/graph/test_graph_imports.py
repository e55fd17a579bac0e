"""graph/ works on plain data: it must not depend on engine, embeddings or service."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import graph

GRAPH_DIR = Path(graph.__file__).resolve().parent
FORBIDDEN = {"engine", "embeddings", "service"}


def test_no_forbidden_imports_in_source() -> None:
    for path in sorted(GRAPH_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_import_loads_nothing_forbidden() -> None:
    code = (
        "import sys, graph; "
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r}); "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=GRAPH_DIR.parent
    )
    assert result.stdout.strip() == ""


def test_all_exports_resolve() -> None:
    for name in graph.__all__:
        assert hasattr(graph, name), name
