"""Smoke test of the benchmark harness: `python -m bench --quick` produces every metric for N=1k.

Speed is reported by the benchmark, never asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_bench_reports_every_metric(tmp_path: Path) -> None:
    out = tmp_path / "bench-out"
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=540,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads((out / "results.json").read_text())
    assert doc["quick"] is True
    assert doc["failures"] == []
    assert {"cpu", "cores", "ram_gb"} <= set(doc["machine"])
    (r,) = doc["results"]
    assert r["n"] == 1000

    def number(*path: str) -> float:
        cur = r
        for k in path:
            assert k in cur, f"missing {'.'.join(path)}"
            cur = cur[k]
        assert isinstance(cur, int | float) and cur >= 0, f"{'.'.join(path)} = {cur!r}"
        return cur

    assert r["data"]["n_employees"] == 1000
    assert r["data"]["n_roles"] == 1016
    assert r["data"]["n_learning_items"] > 0 and r["data"]["n_transitions"] > 0
    number("build", "seconds")
    number("build", "peak_rss_mb")
    number("peak_rss_mb")
    number("update_visible_ms", "p50")
    assert r["update_visible_ms"]["all_visible"] is True
    for metric in ("recommend_ms", "shortlist_ms"):
        assert number(metric, "n") > 0
        number(metric, "p50")
        number(metric, "p99")
        number("naive", metric, "p50")
        number("naive", metric, "p99")
    number("naive", "build", "seconds_est")
    for ratio in ("recommend_p50", "recommend_p99", "shortlist_p50", "shortlist_p99", "build"):
        number("speedup", ratio)
    http = r["http"]
    assert "error" not in http, http.get("error")
    assert number("http", "ok") > 0
    number("http", "rps")
    number("http", "p50")
    number("http", "p99")
    number("http", "healthz_rps")
    assert 0 < number("http", "ratio_to_healthz") < 1  # the same server's own ceiling, measured in the run
    number("speedup", "http_rps_vs_naive_serial")
    assert r["serve_rss"]["torch_imported"] is False  # an answering process never loads the model
    number("serve_rss", "peak_rss_mb")
    assert (out / "results.md").read_text().count("| 1,000 |") >= 2
    assert (out / "latency_vs_n.png").stat().st_size > 0
