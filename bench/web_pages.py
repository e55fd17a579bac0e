"""Server time of each web page over an org (the demo org by default), reported, never asserted.

    python -m bench.web_pages [--db URL] [--home DIR] [--repeat 20]

Builds (or loads) the indexes first, signs in with temporary keys (revoked afterwards), warms
every page once, then requests each page ``--repeat`` times in-process and reports the median
and p95 of the page's own ``Server-Timing`` (session lookup, engine calls, template) and of the
whole request (routing, middleware included).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from fastapi.testclient import TestClient

from engine.api import Skillgraph
from engine.config import Config
from engine.demo_run import load_demo_org
from service.app import create_app
from service.keys import KeyStore
from service.settings import Settings

PAGES = [
    ("employee", "/app/me"),
    ("employee", "/app/me?direction=any"),
    ("employee", "/app/me?direction=lateral&target=nurse-manager"),
    ("hr", "/app/employees/E0100"),
    ("recruiter", "/app/roles"),
    ("recruiter", "/app/roles/registered-nurse"),
    ("recruiter", "/app/roles/registered-nurse?limit=100"),
    ("recruiter", "/app/roles/registered-nurse?min_readiness=ready_soon&move=promotion"),
    ("hr", "/app/people?q=nurse"),
    ("hr", "/app/analytics"),
    ("auditor", "/app/audit"),
]


def _p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--home")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    config = Config.resolve(db=args.db, home=args.home)
    sg = Skillgraph(config).init()
    load_demo_org(sg)
    sg.load()
    app = create_app(Settings.from_config(config, rate_limit_per_minute=0), engine=sg)
    keys = KeyStore(sg.store)
    made = {who: keys.create(who, employee_id="E0001" if who == "employee" else None)
            for who in ("employee", "recruiter", "hr", "auditor")}
    try:
        with TestClient(app, follow_redirects=False) as anon:
            clients = {}
            for who, (_, token) in made.items():
                c = TestClient(app, follow_redirects=False)
                csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/app/").text).group(1)  # type: ignore[union-attr]
                assert c.post("/app/sign-in", data={"key": token, "csrf": csrf}).status_code == 303
                clients[who] = c
            del anon
            print(f"{'page':64s} {'server ms (median / p95)':>26s} {'request ms (median / p95)':>27s}")
            for who, path in PAGES:
                c = clients[who]
                assert c.get(path).status_code == 200, path  # warm caches (routes, shortlists)
                server, wall = [], []
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    r = c.get(path)
                    wall.append((time.perf_counter() - t) * 1000)
                    server.append(float(r.headers["server-timing"].split("dur=")[1]))
                print(f"{who + ' ' + path:64s} {statistics.median(server):12.1f} / {_p95(server):7.1f}"
                      f"   {statistics.median(wall):12.1f} / {_p95(wall):7.1f}")
    finally:
        for key_id, _ in made.values():
            keys.revoke(key_id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
