"""One benchmark size in one process: ``python -m bench.runner --n 10000 --json out.json``.

Run by ``python -m bench`` once per N in a fresh child process, so peak RSS (``ru_maxrss``) and
warm caches of one size never leak into another. Steps, all on a fresh temporary store + home:

1. generate the organisation in a grandchild process (``bench.scale_data``: its memory is not ours);
2. load the model (timed apart), then ``Skillgraph.build_index()`` (timed; peak RSS after it);
3. single-employee update until visible: ``sg.upsert([changed])`` then ``sg.recommend`` that shows it;
4. ``recommend`` latency over random employees and ``candidates`` latency over random roles;
5. the naive baseline (``bench.naive``) on the same data and a subset of the same queries;
6. HTTP: ``skillgraph serve`` as a subprocess on 127.0.0.1 (free port), 16 concurrent clients.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.loadgen import run_load

REPO_ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"  # the only address the HTTP phase ever talks to


def die_with_parent() -> None:
    """Linux: get SIGTERM when the parent process dies (a killed `python -m bench` leaves no orphans)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _terminate_on_sigterm() -> None:
    import signal

    def handler(_sig: int, _frame: Any) -> None:
        raise SystemExit(143)  # unwinds `finally`: the server is stopped, temp files removed

    signal.signal(signal.SIGTERM, handler)


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def rss_mb() -> float:
    with contextlib.suppress(OSError), open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _children_hwm_mb(pid: int) -> float | None:
    """Largest peak RSS among a server's worker processes (uvicorn forks them)."""
    try:
        kids = [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return None
    peaks = [p for p in (proc_hwm_mb(k) for k in kids) if p is not None]
    return max(peaks) if peaks else None


def proc_hwm_mb(pid: int) -> float | None:
    """Peak RSS of another process (VmHWM), while it is alive."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def stats_ms(samples: Sequence[float]) -> dict[str, Any]:
    a = np.asarray(samples, np.float64) * 1000.0
    if not len(a):
        return {"n": 0, "p50": None, "p99": None, "mean": None, "max": None}
    return {
        "n": len(a),
        "p50": round(float(np.percentile(a, 50)), 3),
        "p99": round(float(np.percentile(a, 99)), 3),
        "mean": round(float(a.mean()), 3),
        "max": round(float(a.max()), 3),
    }


def timed(fn: Callable[[Any], Any], args: Sequence[Any], *, budget_s: float | None = None) -> list[float]:
    out = []
    start = time.perf_counter()
    for a in args:
        t0 = time.perf_counter()
        fn(a)
        out.append(time.perf_counter() - t0)
        if budget_s is not None and time.perf_counter() - start > budget_s:
            break
    return out


# -- profiles for the phases ------------------------------------------------------------------------
FULL = {
    "recommend_queries": 300, "shortlist_queries": 150, "updates": 20, "warmup": 20,
    "naive_recommend": 150, "naive_shortlist": 100, "naive_budget_s": 45.0, "phase_budget_s": 60.0,
    "http_requests": 100_000, "http_seconds": 15.0, "http_clients": 8, "probe_queries": 50,
    "learning_items": 5000, "onet_tasks": 100,
}
QUICK = {
    "recommend_queries": 60, "shortlist_queries": 30, "updates": 5, "warmup": 5,
    "naive_recommend": 20, "naive_shortlist": 10, "naive_budget_s": 10.0, "phase_budget_s": 10.0,
    "http_requests": 20_000, "http_seconds": 4.0, "http_clients": 8, "probe_queries": 10,
    # A smoke test: a small learning catalog keeps the cold build (encoding every text) short.
    # No O*NET task statements in role descriptions (18.8k texts to encode on a cold build).
    "learning_items": 500, "onet_tasks": 0,
}


# -- update until visible ---------------------------------------------------------------------------
def measure_updates(
    sg: Any, rng: random.Random, employee_ids: list[str], count: int, budget_s: float | None = None
) -> dict[str, Any]:
    """Raise one skill the employee's top recommendation asks for; time upsert -> recommend showing it."""
    from engine.models import EmployeeSkill

    times, visible = [], []
    start = time.perf_counter()
    for eid in rng.sample(employee_ids, min(count, len(employee_ids))):
        if budget_s is not None and times and time.perf_counter() - start > budget_s:
            break
        before = sg.recommend(eid, limit=10, direction="any")
        target = next((it for it in before.items if it.gaps), None)
        emp = sg.store.get_employee(eid)
        levels = {s.skill_id: s.level for s in emp.skills}
        if target is not None:
            gap = target.gaps[0]
            skill_id, new_level, role_id = gap.skill_id, gap.need, target.role_id
        else:  # nothing missing anywhere: change any skill's level instead
            skill_id = emp.skills[0].skill_id
            new_level, role_id = (levels[skill_id] % 5) + 1, None
        levels[skill_id] = new_level
        changed = emp.model_copy(
            update={"skills": [EmployeeSkill(skill_id=s, level=lv) for s, lv in sorted(levels.items())]}
        )
        changed = type(emp).model_validate(changed.model_dump())
        t0 = time.perf_counter()
        sg.upsert([changed])
        after = sg.recommend(eid, limit=10, direction="any")
        dt = time.perf_counter() - t0
        seen = False
        for it in after.items:
            for m in it.matched_skills:
                if m.skill_id == skill_id and m.have == new_level:
                    seen = True
        if not seen:  # the role may have left the top 10; check the served state directly
            st = sg.state()
            row = st.people.index[eid]
            seen = bool(st.people.have_rows([row])[0][st.catalog.skill_index[skill_id]] == new_level)
        times.append(dt)
        visible.append(seen)
        _ = role_id
    out = stats_ms(times)
    out["all_visible"] = all(visible)
    return out


# -- HTTP -----------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def _cli(db_url: str, home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "service.cli", "--db", db_url, "--home", str(home), *args]


def _server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            # The default limiter (600 req/min per key) would turn a throughput test into 429s.
            "SKILLGRAPH_RATE_LIMIT_PER_MINUTE": "0",
            "PYTHONPATH": str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        }
    )
    return env


def measure_http(
    db_url: str, home: Path, employee_ids: list[str], *, requests: int, seconds: float, clients: int,
    workers: int, workdir: Path, start_timeout: float = 900.0,
) -> dict[str, Any]:
    import httpx

    env = _server_env()
    key_out = subprocess.run(
        _cli(db_url, home, "keys", "create", "--role", "admin"), cwd=REPO_ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )
    if key_out.returncode != 0:
        return {"error": f"keys create failed: {key_out.stderr.strip()[-500:]}"}
    key = key_out.stdout.strip().splitlines()[-1].strip()
    port = free_port()
    base = f"http://{LOOPBACK}:{port}"
    log_path = workdir / "server.log"
    t0 = time.perf_counter()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            _cli(db_url, home, "serve", "--host", LOOPBACK, "--port", str(port), "--workers", str(workers)),
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent,
        )
    try:
        ready = False
        with httpx.Client(base_url=base, timeout=5.0, trust_env=False) as c:
            while time.perf_counter() - t0 < start_timeout:
                if proc.poll() is not None:
                    break
                with contextlib.suppress(httpx.HTTPError):
                    if c.get("/readyz").status_code == 200:
                        ready = True
                        break
                time.sleep(0.25)
        start_s = time.perf_counter() - t0
        if not ready:
            tail = log_path.read_text(errors="replace")[-1500:]
            return {"error": f"server not ready after {start_s:.0f}s (exit {proc.poll()}): {tail}"}
        headers = {"Authorization": f"Bearer {key}"}
        rng = random.Random(99)
        targets = [f"/v1/employees/{rng.choice(employee_ids)}/recommendations?limit=10" for _ in range(requests)]
        # Warm-up (not measured): first requests pay for lazy imports and caches, in every worker.
        run_load(port, targets[:64], headers=headers, seconds=5.0, requests=64, clients=clients)
        # The framework's own ceiling first, then the endpoint, with the same generator and server.
        ceiling = run_load(port, ["/healthz"], seconds=seconds, clients=clients)
        load = run_load(port, targets, headers=headers, seconds=seconds, requests=requests, clients=clients)
        out = stats_ms(load["lat"])
        ok = load["codes"].get(200, 0)
        rps = round(ok / load["seconds"], 1) if load["seconds"] > 0 else None
        h_ok = ceiling["codes"].get(200, 0)
        h_rps = round(h_ok / ceiling["seconds"], 1) if ceiling["seconds"] > 0 else None
        out.update(
            {
                "clients": clients,
                "workers": workers,
                "requests": sum(load["codes"].values()),
                "ok": ok,
                "status_codes": {str(k): v for k, v in sorted(load["codes"].items())},
                "errors": load["errors"],
                "seconds": round(load["seconds"], 3),
                "rps": rps,
                "healthz_rps": h_rps,
                "healthz_ms": stats_ms(ceiling["lat"]),
                "ratio_to_healthz": round(rps / h_rps, 3) if rps and h_rps else None,
                "server_start_s": round(start_s, 2),
                "server_peak_rss_mb": proc_hwm_mb(proc.pid),
                "worker_peak_rss_mb": _children_hwm_mb(proc.pid),
                "endpoint": "GET /v1/employees/{id}/recommendations?limit=10",
                "generator": f"bench.loadgen: {clients} processes, one keep-alive connection each",
            }
        )
        return out
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


# -- text-vector cache shared between sizes ---------------------------------------------------------
def copy_text_cache(src_url: str, dst_url: str) -> int:
    """Copy every cached text vector (catalog texts, interest phrases) from one store to another."""
    from sqlalchemy import select

    from engine.store import Store
    from engine.store import tables as t

    src, dst = Store(src_url), Store(dst_url).init()
    by_model: dict[str, dict[str, np.ndarray]] = {}
    with src.engine.connect() as conn:
        for key, model_id, blob in conn.execute(select(t.embedding_cache.c.key, t.embedding_cache.c.model_id,
                                                       t.embedding_cache.c.vector)):
            by_model.setdefault(model_id, {})[key] = np.frombuffer(blob, dtype=np.float32)
    for model_id, items in by_model.items():
        dst.put_many(model_id, items)
    src.close()
    dst.close()
    return sum(len(v) for v in by_model.values())


def _generate(n: int, db_url: str, seed: int, prof: dict[str, Any], tmp: Path) -> dict[str, Any]:
    gen_json = tmp / "gen.json"
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.scale_data", "--n", str(n), "--db", db_url, "--seed", str(seed),
         "--json", str(gen_json), "--quiet", "--items", str(prof["learning_items"]),
         "--tasks", str(prof["onet_tasks"])],
        cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL, preexec_fn=die_with_parent,
    )
    return json.loads(gen_json.read_text()) | {"wall_s": round(time.perf_counter() - t0, 2)}


def prime(n: int, *, quick: bool, seed: int, cache_path: Path) -> dict[str, Any]:
    """Cold build (empty text cache) on a fresh store; save every text vector to ``cache_path``."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    prof = QUICK if quick else FULL
    tmp = Path(tempfile.mkdtemp(prefix="sgbench-prime-"))
    db_url = f"sqlite:///{tmp / 'store.db'}"
    try:
        _log(f"cold build (empty text cache) on N={n} to prime {cache_path.name}")
        data = _generate(n, db_url, seed, prof, tmp)
        from embeddings import Encoder
        from engine.api import Skillgraph
        from engine.config import Config

        enc = Encoder()
        enc.load()
        enc.encode(["warm up"])
        sg = Skillgraph(Config(db_url=db_url, home=tmp / "home"), encoder=enc)
        sg.init()
        rep = sg.build_index()
        sg.store.close()
        part = cache_path.with_suffix(".tmp")
        part.unlink(missing_ok=True)
        copied = copy_text_cache(db_url, f"sqlite:///{part}")
        part.replace(cache_path)
        _log(f"cold build {rep.seconds:.1f}s, {rep.encoded} texts encoded; {copied} vectors cached")
        return {"n": n, "cold_build_s": round(float(rep.seconds), 3), "texts_encoded": rep.encoded,
                "cached_vectors": copied, "peak_rss_mb": peak_rss_mb(), "data_s": data["wall_s"]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- one size ------------------------------------------------------------------------------------
def run_one(
    n: int, *, quick: bool, http: bool, seed: int, http_workers: int, text_cache: Path | None = None,
    keep: Path | None = None,
) -> dict[str, Any]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    prof = QUICK if quick else FULL
    tmp = Path(tempfile.mkdtemp(prefix=f"sgbench-{n}-"))
    db_url = f"sqlite:///{tmp / 'store.db'}"
    home = tmp / "home"
    result: dict[str, Any] = {"n": n, "quick": quick, "profile": prof}
    try:
        # 1. data, in a grandchild: its memory is not counted as ours.
        _log(f"N={n}: generating data")
        result["data"] = _generate(n, db_url, seed, prof, tmp)
        seeded = 0
        if text_cache is not None and text_cache.exists():
            # Catalog texts were encoded once (the cold build, reported apart); this build reuses them.
            seeded = copy_text_cache(f"sqlite:///{text_cache}", db_url)
        d = result["data"]
        _log(f"N={n}: data ready in {d['wall_s']}s ({d['n_employee_skills']} employee skills)")

        # 2. model load (apart), then the full index build.
        from embeddings import Encoder
        from engine.api import Skillgraph
        from engine.config import Config

        rss0 = rss_mb()
        enc = Encoder()
        t0 = time.perf_counter()
        enc.load()
        enc.encode(["warm up"])
        model_s = time.perf_counter() - t0
        rss_model = rss_mb()
        sg = Skillgraph(Config(db_url=db_url, home=home), encoder=enc)
        sg.init()
        t0 = time.perf_counter()
        report = sg.build_index()
        build_wall = time.perf_counter() - t0
        result["build"] = {
            "seconds": round(float(report.seconds), 3),
            "text_cache_seeded": seeded,
            "wall_s": round(build_wall, 3),
            "model_load_s": round(model_s, 3),
            "texts_encoded": report.encoded,
            "texts_cached": report.cached,
            "counts": report.counts,
            "employee_index": report.employee_index,
            "peak_rss_mb": peak_rss_mb(),
            "rss_before_model_mb": rss0,
            "rss_after_model_mb": rss_model,
            "rss_after_build_mb": rss_mb(),
        }
        _log(f"N={n}: build {build_wall:.1f}s, peak RSS {result['build']['peak_rss_mb']} MB")

        st = sg.state()
        employee_ids = [e for e in st.people.ids]
        role_ids = [r.id for r in st.catalog.roles if r.requirements]
        rng = random.Random(seed)

        # 3. incremental update until visible.
        budget = prof["phase_budget_s"]  # each phase stops early (and says so) when queries are slow
        result["update_visible_ms"] = measure_updates(sg, rng, employee_ids, prof["updates"], budget)
        _log(f"N={n}: update visible p50 {result['update_visible_ms']['p50']} ms")

        # 4. in-process latency (a short unmeasured warm-up first).
        rec_q = [rng.choice(employee_ids) for _ in range(prof["recommend_queries"])]
        short_q = [rng.choice(role_ids) for _ in range(prof["shortlist_queries"])]
        for eid in [rng.choice(employee_ids) for _ in range(prof["warmup"])]:
            sg.recommend(eid, limit=10)
        for rid in [rng.choice(role_ids) for _ in range(max(2, prof["warmup"] // 4))]:
            sg.candidates(rid, limit=20)
        result["recommend_ms"] = stats_ms(
            timed(lambda e: sg.recommend(e, limit=10, direction="any"), rec_q, budget_s=budget)
        )
        result["shortlist_ms"] = stats_ms(timed(lambda r: sg.candidates(r, limit=20), short_q, budget_s=budget))
        for k, want in (("recommend_ms", len(rec_q)), ("shortlist_ms", len(short_q))):
            result[k]["cut_by_budget"] = result[k]["n"] < want
        result["peak_rss_mb"] = peak_rss_mb()
        rec, short = result["recommend_ms"], result["shortlist_ms"]
        _log(f"N={n}: recommend p50 {rec['p50']} ms, shortlist p50 {short['p50']} ms")

        # 5. naive baseline on the same data and (a prefix of) the same queries.
        from bench.naive import NaiveBaseline

        t0 = time.perf_counter()
        naive = NaiveBaseline(sg.store, enc, st.role_vecs, list(st.catalog.role_ids), st.graph.G)
        naive_load = time.perf_counter() - t0
        naive.recommend(rec_q[0])  # warm-up
        nbudget = prof["naive_budget_s"]
        nrec = timed(lambda e: naive.recommend(e, limit=10), rec_q[: prof["naive_recommend"]], budget_s=nbudget)
        nshort = timed(lambda r: naive.shortlist(r, limit=20), short_q[: prof["naive_shortlist"]], budget_s=nbudget)
        result["naive"] = {
            "load_s": round(naive_load, 2),
            "recommend_ms": stats_ms(nrec),
            "shortlist_ms": stats_ms(nshort),
            "build": naive.build_estimate(64 if quick else 256),
        }
        naive = None  # free its dicts before the HTTP phase
        result["speedup"] = _speedups(result)
        _log(f"N={n}: naive recommend p50 {result['naive']['recommend_ms']['p50']} ms; speed-up {result['speedup']}")

        # 4b. a process that only answers: snapshot load time and its peak RSS (no model).
        probe = subprocess.run(
            [sys.executable, "-m", "bench.probe", "--db", db_url, "--home", str(home),
             "--queries", str(prof["probe_queries"])],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=900, env=_server_env(),
            preexec_fn=die_with_parent,
        )
        try:
            result["serve_rss"] = json.loads(probe.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            result["serve_rss"] = {"error": probe.stderr.strip()[-800:]}
        _log(f"N={n}: answering process {result['serve_rss']}")

        # 5b. full rebuild with the text cache warm (a re-index, a restart on an empty home, a new replica).
        sg2 = Skillgraph(Config(db_url=db_url, home=tmp / "home-rebuild"), encoder=enc)
        rep2 = sg2.build_index()
        result["build"]["warm_rebuild_s"] = round(float(rep2.seconds), 3)
        result["build"]["warm_rebuild_texts_encoded"] = rep2.encoded
        sg2 = None
        _log(f"N={n}: warm rebuild {result['build']['warm_rebuild_s']} s")

        # 6. HTTP.
        if http:
            _log(f"N={n}: HTTP phase ({prof['http_clients']} clients)")
            result["http"] = measure_http(
                db_url, home, employee_ids, requests=prof["http_requests"], seconds=prof["http_seconds"],
                clients=prof["http_clients"], workers=http_workers, workdir=tmp,
            )
            h = result["http"]
            _log(f"N={n}: HTTP {h.get('rps')} req/s, p50 {h.get('p50')} ms, p99 {h.get('p99')} ms {h.get('error', '')}")
            if h.get("rps") and result["naive"]["recommend_ms"]["mean"]:
                # Naive has no server: compare with one process answering serially at its mean latency.
                result["speedup"]["http_rps_vs_naive_serial"] = round(
                    h["rps"] / (1000.0 / result["naive"]["recommend_ms"]["mean"]), 2
                )
        else:
            result["http"] = {"skipped": True}
        result["peak_rss_mb_end"] = peak_rss_mb()
        sg.store.close()
        return result
    finally:
        if keep is not None:
            shutil.copytree(tmp, keep / f"n{n}", dirs_exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)


def _ratio(a: float | None, b: float | None) -> float | None:
    if not a or not b:
        return None
    return round(a / b, 2)


def _speedups(r: dict[str, Any]) -> dict[str, Any]:
    nv = r["naive"]
    return {
        "recommend_p50": _ratio(nv["recommend_ms"]["p50"], r["recommend_ms"]["p50"]),
        "recommend_p99": _ratio(nv["recommend_ms"]["p99"], r["recommend_ms"]["p99"]),
        "shortlist_p50": _ratio(nv["shortlist_ms"]["p50"], r["shortlist_ms"]["p50"]),
        "shortlist_p99": _ratio(nv["shortlist_ms"]["p99"], r["shortlist_ms"]["p99"]),
        "build": _ratio(nv["build"]["seconds_est"], r["build"]["seconds"]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.runner")
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--json", type=Path, required=True)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--no-http", action="store_true")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--http-workers", type=int, default=2)
    p.add_argument("--text-cache", type=Path, default=None, help="sqlite file of cached text vectors")
    p.add_argument("--prime", action="store_true", help="only the cold build; write --text-cache")
    args = p.parse_args(argv)
    die_with_parent()
    _terminate_on_sigterm()
    if args.prime:
        if args.text_cache is None:
            p.error("--prime needs --text-cache")
        res = prime(args.n, quick=args.quick, seed=args.seed, cache_path=args.text_cache)
    else:
        res = run_one(args.n, quick=args.quick, http=not args.no_http, seed=args.seed,
                      http_workers=args.http_workers, text_cache=args.text_cache)
    args.json.write_text(json.dumps(res, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
