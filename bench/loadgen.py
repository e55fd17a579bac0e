"""A small closed-loop HTTP load generator (stdlib only: what the project installs is enough).

``clients`` processes each keep one keep-alive connection to a loopback server and send the
next request as soon as the previous answer is read, until ``seconds`` pass or ``requests`` are
sent in all. Processes, not threads: a Python client parsing answers under one GIL would be the
bottleneck long before the server. The same generator measures ``/healthz`` and the real
endpoints, so their ratio says how close an endpoint is to the framework's own ceiling.
"""

from __future__ import annotations

import http.client
import multiprocessing as mp
import time
from collections.abc import Sequence
from typing import Any

__all__ = ["run_load"]

LOOPBACK = "127.0.0.1"


def _client(
    port: int, paths: Sequence[str], headers: dict[str, str], seconds: float, quota: int, out: Any, idx: int,
    ready: Any, go: Any,
) -> None:
    lat: list[float] = []
    codes: dict[int, int] = {}
    errors = 0
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    n = len(paths)
    i = idx
    sent = 0
    ready.put(idx)
    go.wait()  # every client starts together, after all have started up
    first = time.perf_counter()
    deadline = first + seconds
    while sent < quota and time.perf_counter() < deadline:
        path = paths[i % n]
        i += 7919  # a prime stride: clients walk the targets in different orders
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            code = resp.status
        except (OSError, http.client.HTTPException):
            errors += 1
            code = 0
            conn.close()
            conn = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
        dt = time.perf_counter() - t0
        sent += 1
        codes[code] = codes.get(code, 0) + 1
        if code == 200:
            lat.append(dt)
    conn.close()
    out.put({"lat": lat, "codes": codes, "errors": errors, "first": first, "last": time.perf_counter()})


def run_load(
    port: int, paths: Sequence[str], *, headers: dict[str, str] | None = None, seconds: float = 10.0,
    requests: int = 10**9, clients: int = 8,
) -> dict[str, Any]:
    """Drive ``paths`` (cycled) for ``seconds``; returns latencies (s), status counts, wall time."""
    ctx = mp.get_context("spawn")  # a clean child: no copy of a 1 GB parent, no inherited threads
    out, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    quota = max(1, requests // clients)
    procs = [
        ctx.Process(target=_client, args=(port, list(paths), headers or {}, seconds, quota, out, k, ready, go),
                    daemon=True)
        for k in range(clients)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=120)
    go.set()
    parts = [out.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join(10)
    # perf_counter is CLOCK_MONOTONIC on Linux: comparable across processes of one machine.
    wall = max(p["last"] for p in parts) - min(p["first"] for p in parts)
    lat = [x for part in parts for x in part["lat"]]
    codes: dict[int, int] = {}
    for part in parts:
        for c, k in part["codes"].items():
            codes[c] = codes.get(c, 0) + k
    return {"lat": lat, "codes": codes, "errors": sum(p["errors"] for p in parts), "seconds": wall,
            "clients": clients}
