"""What a process that only answers costs: ``python -m bench.probe --db URL --home DIR``.

Loads the saved snapshot (no model: torch is never imported), answers a few next-role and
shortlist queries, and prints one JSON object: snapshot load seconds, the modules that matter
(was torch imported?) and the process's peak RSS. The benchmark runs it in a fresh process per
size, so the peak is the serving footprint, not the build's.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.probe")
    p.add_argument("--db", required=True)
    p.add_argument("--home", required=True)
    p.add_argument("--queries", type=int, default=50)
    p.add_argument("--seed", type=int, default=3)
    args = p.parse_args(argv)
    from pathlib import Path

    from engine.api import Skillgraph
    from engine.config import Config

    t0 = time.perf_counter()
    sg = Skillgraph(Config(db_url=args.db, home=Path(args.home)))
    st = sg.state()
    load_s = time.perf_counter() - t0
    rng = random.Random(args.seed)
    ids = list(st.people.index)
    roles = [r.id for r in st.catalog.roles if r.requirements]
    t0 = time.perf_counter()
    for _ in range(args.queries):
        sg.recommend(rng.choice(ids), limit=10)
        sg.candidates(rng.choice(roles), limit=20)
    out = {
        "load_s": round(load_s, 3),
        "queries_s": round(time.perf_counter() - t0, 3),
        "queries": args.queries,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "torch_imported": "torch" in sys.modules,
        "model_loaded": bool(getattr(sg._encoder, "loaded", False)),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
