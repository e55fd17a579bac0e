"""Concurrent writers never share a store version, and the running index ends up with every write.

The probe behind issue 12 ran 8 writers and 8 readers: two single-record PUTs got the same version,
a reader refreshed between their commits, and the later one never reached the index (the employee
kept answers computed from its old role while the status said ``stale: false``).
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from embeddings import FakeEncoder
from engine.api import Skillgraph
from engine.config import Config
from engine.models import Employee, Role, Skill
from engine.store import Store

SKILLS = ["python", "sql", "spark", "stats", "ml", "lead", "care", "meds"]
# Two ladders, so a role change moves an employee's answers a lot (new "current role" excluded,
# promotions counted from a different level).
LADDER = [
    ("dev-1", "Developer", "eng", 1, [("python", 2), ("sql", 1)]),
    ("dev-2", "Senior Developer", "eng", 2, [("python", 3), ("sql", 2), ("spark", 1)]),
    ("dev-3", "Staff Developer", "eng", 3, [("python", 4), ("spark", 3), ("lead", 2)]),
    ("ds-1", "Data Scientist", "data", 1, [("stats", 2), ("python", 2)]),
    ("ds-2", "Senior Data Scientist", "data", 2, [("stats", 3), ("ml", 3), ("python", 3)]),
    ("nurse-1", "Nurse", "care", 1, [("care", 2), ("meds", 2)]),
    ("nurse-2", "Charge Nurse", "care", 2, [("care", 3), ("meds", 3), ("lead", 2)]),
]
ROLE_IDS = [r[0] for r in LADDER]
N_EMPLOYEES = 24
WRITERS, READERS, PUTS_PER_WRITER = 8, 4, 12


def _org() -> list:
    recs: list = [Skill(id=s, name=s.title()) for s in SKILLS]
    for rid, title, fam, level, reqs in LADDER:
        nxt = [r[0] for r in LADDER if r[2] == fam and r[3] == level + 1]
        recs.append(Role(id=rid, title=title, family=fam, level=level, track="ic", next_role_ids=nxt,
                         requirements=[{"skill_id": s, "level": lv} for s, lv in reqs]))
    recs += [_employee(f"E{n:03d}", ROLE_IDS[n % len(ROLE_IDS)], n) for n in range(N_EMPLOYEES)]
    return recs


def _employee(eid: str, role_id: str, seed: int) -> Employee:
    rnd = random.Random(seed)
    skills = rnd.sample(SKILLS, 3)
    return Employee(id=eid, display_name=f"Person {eid}", role_id=role_id, months_in_role=rnd.randrange(60),
                    skills=[{"skill_id": s, "level": rnd.randint(1, 5)} for s in skills])


def _answers(sg: Skillgraph, eid: str) -> list[tuple[str, str, float]]:
    recs = sg.recommend(eid, limit=len(ROLE_IDS), direction="any")
    return [(i.role_id, i.move, round(i.score, 4)) for i in recs.items]


def _fresh(store_url: str, home: Path) -> Skillgraph:
    sg = Skillgraph(Config(db_url=store_url, home=home), encoder=FakeEncoder())
    sg.init()
    sg.build_index()
    return sg


def test_concurrent_puts_all_reach_the_running_index(store: Store, tmp_path: Path) -> None:
    live = Skillgraph(Config(db_url=store.url, home=tmp_path / "live"), encoder=FakeEncoder(), store=store)
    live.init()
    live.upsert(_org())
    live.build_index()
    start_version = store.version_number()
    errors: list[BaseException] = []
    stop = threading.Event()
    written: list[int] = []  # one entry per PUT that changed something
    lock = threading.Lock()

    def writer(w: int) -> None:
        rnd = random.Random(1000 + w)
        try:
            for k in range(PUTS_PER_WRITER):
                eid = f"E{rnd.randrange(N_EMPLOYEES):03d}"
                rec = _employee(eid, rnd.choice(ROLE_IDS), seed=w * 100 + k)
                if live.upsert([rec]).written:
                    with lock:
                        written.append(k)
        except BaseException as exc:
            errors.append(exc)

    def reader(r: int) -> None:
        rnd = random.Random(r)
        try:
            while not stop.is_set():
                live.recommend(f"E{rnd.randrange(N_EMPLOYEES):03d}", limit=3)
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=reader, args=(r,)) for r in range(READERS)]
    writers = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    for t in readers:
        t.join()
    assert not errors, errors[:3]

    # Every PUT that changed something took a version of its own.
    assert store.version_number() - start_version == len(written), "concurrent writes shared a store version"
    status = live.index_status()
    assert status["stale"] is False
    fresh = _fresh(store.url, tmp_path / "fresh")
    for n in range(N_EMPLOYEES):
        eid = f"E{n:03d}"
        stored = store.get_employee(eid)
        got = _answers(live, eid)
        assert got == _answers(fresh, eid), f"{eid} (now {stored.role_id}) kept answers from an older write"
        assert stored.role_id not in [r for r, _, _ in got], f"{eid} is offered its own current role"
    fresh.store.close()


@pytest.mark.parametrize("landing", ["written", "deleted"])
def test_a_commit_landing_during_a_refresh_is_not_lost(store: Store, tmp_path: Path, landing: str) -> None:
    """A write committed after refresh read the store version but before it read the changes."""
    live = Skillgraph(Config(db_url=store.url, home=tmp_path / "live"), encoder=FakeEncoder(), store=store)
    live.upsert(_org())
    live.build_index()
    store.upsert([_employee("E001", "dev-3", 7)])  # a write by another process: the refresh applies it

    original = store.changed_since
    injected = []

    def racing_changed_since(kind: str, version: int):  # type: ignore[no-untyped-def]
        if kind == "employee" and not injected:
            injected.append(1)
            if landing == "written":
                store.upsert([_employee("E002", "nurse-2", 8)])
            else:
                store.delete("employee", "E003")
        return original(kind, version)

    store.changed_since = racing_changed_since  # type: ignore[method-assign]
    live.refresh()
    store.changed_since = original  # type: ignore[method-assign]
    assert injected
    fresh = _fresh(store.url, tmp_path / "fresh")
    if landing == "written":
        assert _answers(live, "E002") == _answers(fresh, "E002")
        assert "nurse-2" not in [r for r, _, _ in _answers(live, "E002")]
    else:
        with pytest.raises(Exception, match="E003"):
            live.recommend("E003")
        assert "E003" not in [c.employee_id for c in live.candidates("dev-3", limit=50).items]
    for n in range(N_EMPLOYEES):
        eid = f"E{n:03d}"
        if landing == "deleted" and eid == "E003":
            continue
        assert _answers(live, eid) == _answers(fresh, eid), eid
    assert live.index_status()["stale"] is False
    fresh.store.close()
