"""kill -9 during ``skillgraph import``: the store opens, holds all or none of the import, the index
builds, and its answers match a fresh rebuild (seeded kill points; about ten seconds on a quiet machine)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from orgdata import LEARNING, ROLES, SKILLS

from embeddings import FakeEncoder
from engine.api import Skillgraph
from engine.config import Config
from engine.models import Employee
from engine.store import Store

ROOT = Path(__file__).resolve().parents[2]
N_NEW, N_BASE = 1000, 40
ROLE_IDS = [r.id for r in ROLES]
SKILL_IDS = [s.id for s in SKILLS]


def _employee(i: int, *, moved: bool = False) -> dict:
    rnd = random.Random(i * 31 + moved)
    return {"id": f"E{i:05d}", "display_name": f"Person {i}", "months_in_role": rnd.randrange(60),
            "role_id": ROLE_IDS[(i + 3 * moved) % len(ROLE_IDS)],
            "skills": [{"skill_id": s, "level": rnd.randint(1, 5)} for s in rnd.sample(SKILL_IDS, 3)]}


def _import(db: str, home: Path, path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with (path.parent / "import.log").open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "service.cli", "--db", db, "--home", str(home), "import",
                                 str(path)], env=env, stdout=log, stderr=log)


def _state(db_file: Path) -> tuple[int, int]:
    """(new employees present, base employees moved): each must be all or none."""
    store = Store(f"sqlite:///{db_file}").init()  # opens (and recovers) after the kill
    try:
        ids = set(store.ids("employee"))
        new = sum(f"E{i:05d}" in ids for i in range(N_BASE, N_BASE + N_NEW))
        base = store.load("employee", [f"E{i:05d}" for i in range(N_BASE)])
        moved = sum(e.role_id == _employee(i, moved=True)["role_id"] for i, e in enumerate(base))  # type: ignore[attr-defined]
    finally:
        store.close()
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return new, moved


def _wait_for_writer(db_file: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    """True once the import holds the write lock (it is inside its write transaction)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        conn = sqlite3.connect(db_file, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return True
        finally:
            conn.close()
        time.sleep(0.005)
    return False


def _answers(sg: Skillgraph, eid: str) -> list[tuple[str, float]]:
    return [(i.role_id, round(i.score, 4)) for i in sg.recommend(eid, limit=5).items]


def test_kill_minus_nine_during_import_leaves_all_or_none(tmp_path: Path) -> None:
    db_file, home = tmp_path / "sg.db", tmp_path / "home"
    db = f"sqlite:///{db_file}"
    live = Skillgraph(Config(db_url=db, home=home), encoder=FakeEncoder())
    live.init()
    live.upsert([*SKILLS, *ROLES, *LEARNING, *(Employee.model_validate(_employee(i)) for i in range(N_BASE))])
    live.build_index()  # saved index files at this version: the later `index` starts from them
    live.store.close()
    batch = tmp_path / "batch.ndjson"
    records = [_employee(i, moved=True) for i in range(N_BASE)] + [_employee(i) for i in range(N_BASE, N_BASE + N_NEW)]
    batch.write_text("".join(json.dumps({"type": "employee", "data": r}) + "\n" for r in records))

    # Calibrate on a copy: how long a whole import takes here.
    calib = tmp_path / "calib"
    calib.mkdir()
    shutil.copy(db_file, calib / "sg.db")
    t0 = time.monotonic()
    proc = _import(f"sqlite:///{calib / 'sg.db'}", calib / "home", batch)
    assert proc.wait(120) == 0, (tmp_path / "import.log").read_text()[-2000:]
    duration = time.monotonic() - t0
    assert _state(calib / "sg.db") == (N_NEW, N_BASE)

    # Kill points (seeded): once while it reads the file, twice inside its write transaction.
    rnd = random.Random(12)
    seen = []
    for point in ("reading", "writing", "writing"):
        proc = _import(db, home, batch)
        if point == "reading":
            time.sleep(rnd.uniform(0.1, 0.4) * duration)
        else:
            in_txn = _wait_for_writer(db_file, proc)
            time.sleep(rnd.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        state = _state(db_file)
        assert state in ((0, 0), (N_NEW, N_BASE)), f"a kill while {point} left {state}"
        if point == "writing":
            assert in_txn, "the import never took the write lock"
        seen.append(state)
    if seen[-1] != (N_NEW, N_BASE):
        proc = _import(db, home, batch)
        assert proc.wait(120) == 0
    assert _state(db_file) == (N_NEW, N_BASE)

    # `index` over the saved (older) index files succeeds, and answers match a rebuild from scratch.
    after = Skillgraph(Config(db_url=db, home=home), encoder=FakeEncoder())
    report = after.build_index()
    assert report.counts["employees"] == N_BASE + N_NEW
    fresh = Skillgraph(Config(db_url=db, home=tmp_path / "fresh"), encoder=FakeEncoder())
    fresh.build_index()
    for i in [*range(0, N_BASE, 7), *range(N_BASE, N_BASE + N_NEW, 149)]:
        assert _answers(after, f"E{i:05d}") == _answers(fresh, f"E{i:05d}")
    after.store.close()
    fresh.store.close()
