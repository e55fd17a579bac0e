"""``python -m bench``: skillgraph at N = 1k / 10k / 100k employees, against a naive baseline.

    python -m bench                          # all three sizes (the 100k one takes several minutes)
    python -m bench --sizes 1000,10000       # chosen sizes
    python -m bench --quick --out /tmp/b     # N=1k, few queries, short HTTP phase (smoke test)
    python -m bench --no-http                # skip the HTTP phase

Each size runs in its own child process (``bench.runner``) on a fresh temporary store + home, so
peak RSS and caches of one size never contaminate another. Results go to ``OUT/results.json``,
``OUT/results.md`` and ``OUT/latency_vs_n.png``; a full (non ``--quick``) run also refreshes
``bench/RESULTS.md`` and ``bench/latency_vs_n.png``. Speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.report import machine_info, write_reports

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DEFAULT_SIZES = (1_000, 10_000, 100_000)


def _sizes(text: str) -> list[int]:
    try:
        out = [int(x.replace("_", "").replace("k", "000")) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be comma-separated integers, got {text!r}") from None
    if not out or any(n < 10 for n in out):
        raise argparse.ArgumentTypeError("each size must be at least 10")
    return out


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench", description="skillgraph benchmarks (speed is reported, never asserted)"
    )
    p.add_argument(
        "--sizes", type=_sizes, default=list(DEFAULT_SIZES), help="comma-separated N (default 1000,10000,100000)"
    )
    p.add_argument("--quick", action="store_true", help="N=1k only, few queries, short HTTP phase (smoke test)")
    p.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="output directory for JSON/markdown/plot")
    p.add_argument("--no-http", action="store_true", help="skip the HTTP phase")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--http-workers", type=int, default=2, help="uvicorn workers for `skillgraph serve` (default 2)")
    p.add_argument(
        "--text-cache", type=Path, default=None,
        help="sqlite file of text vectors shared by all sizes (default bench/out/text-cache[-quick].db); "
        "made by a cold build when missing",
    )
    p.add_argument("--cold", action="store_true", help="redo the cold build (empty text cache) even if cached")
    p.add_argument(
        "--update-results", action=argparse.BooleanOptionalAction, default=None,
        help="rewrite bench/RESULTS.md and bench/latency_vs_n.png (default: on unless --quick)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    sizes = [1_000] if args.quick else args.sizes
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    update = (not args.quick) if args.update_results is None else args.update_results
    doc: dict[str, Any] = {
        "machine": machine_info(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "quick": args.quick,
        "results": [],
        "failures": [],
    }
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    t_all = time.perf_counter()
    cache: Path = args.text_cache or (BENCH_DIR / "out" / ("text-cache-quick.db" if args.quick else "text-cache.db"))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cold_json = cache.with_suffix(".json")
    if args.cold or not cache.exists() or not cold_json.exists():
        # The first build on an empty store encodes every catalog text (N-independent); do it once,
        # in its own process, and let every size start from those cached vectors.
        cmd = [sys.executable, "-m", "bench.runner", "--prime", "--n", str(min(sizes)), "--json", str(cold_json),
               "--text-cache", str(cache), "--seed", str(args.seed)] + (["--quick"] if args.quick else [])
        print("== cold build (empty text cache)", file=sys.stderr, flush=True)
        cold_json.unlink(missing_ok=True)
        if subprocess.run(cmd, cwd=REPO_ROOT, env=env).returncode != 0 or not cold_json.exists():
            doc["failures"].append({"n": "cold build", "exit_code": 1})
    if cold_json.exists():
        doc["cold_build"] = json.loads(cold_json.read_text()) | {
            "measured": time.strftime("%Y-%m-%d %H:%M", time.localtime(cold_json.stat().st_mtime))
        }
    for n in sizes:
        part = out / f"n{n}.json"
        part.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "bench.runner", "--n", str(n), "--json", str(part), "--seed", str(args.seed),
               "--http-workers", str(args.http_workers), "--text-cache", str(cache)]
        if args.quick:
            cmd.append("--quick")
        if args.no_http:
            cmd.append("--no-http")
        print(f"== N={n:,}", file=sys.stderr, flush=True)
        rc = subprocess.run(cmd, cwd=REPO_ROOT, env=env).returncode
        if rc != 0 or not part.exists():
            doc["failures"].append({"n": n, "exit_code": rc})
            print(f"N={n}: runner failed (exit {rc})", file=sys.stderr)
            continue
        doc["results"].append(json.loads(part.read_text()))
        # Write after every size so a long run leaves partial results behind.
        doc["seconds"] = round(time.perf_counter() - t_all, 1)
        (out / "results.json").write_text(json.dumps(doc, indent=2, default=str))
    doc["seconds"] = round(time.perf_counter() - t_all, 1)
    (out / "results.json").write_text(json.dumps(doc, indent=2, default=str))
    table = write_reports(doc, out, update_bench_dir=BENCH_DIR if update else None)
    print(table)
    print(f"results: {out / 'results.json'}", file=sys.stderr)
    return 1 if doc["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
