"""The decision log holds exactly the answers given: one record per answer, same ids, scores, readiness."""

from __future__ import annotations

import pytest
from audit_org import INCUMBENTS, PEOPLE
from sqlalchemy import func, select

from engine.api import Skillgraph
from engine.audit import Actor, acting
from engine.profile import Profile
from engine.store import decisions as dlog


def _all(sg: Skillgraph, **kw):  # type: ignore[no-untyped-def]
    items, after = sg.audit.decisions(limit=100, **kw)
    while after is not None:
        more, after = sg.audit.decisions(limit=100, after=after, **kw)
        items += more
    return items


def test_every_answer_is_one_record_with_the_same_ids_scores_and_readiness(sg_any: Skillgraph) -> None:
    sg = sg_any
    answers = [
        ("recommendation", sg.recommend("P001", limit=3, direction="up")),
        ("recommendation", sg.recommend("P002", limit=5, direction="any")),
        ("shortlist", sg.candidates("lead", limit=7)),
        ("recommendation", sg.recommend_profile(Profile(role_id="analyst", skills=[{"skill": "sql", "level": 3}]))),
        ("shortlist", sg.candidates("senior-analyst", limit=4, min_readiness="ready_soon")),
        ("shortlist", sg.candidates("lead", limit=7)),
    ]
    logged = _all(sg)
    assert len(logged) == len(answers)
    for (kind, answer), rec in zip(answers, logged, strict=True):
        assert rec["kind"] == kind
        ids = [getattr(i, "employee_id" if kind == "shortlist" else "role_id") for i in answer.items]
        assert [r["id"] for r in rec["returned"]] == ids
        assert [r["score"] for r in rec["returned"]] == [i.score for i in answer.items]
        assert [r["readiness"] for r in rec["returned"]] == [i.readiness for i in answer.items]
        assert [r["rank"] for r in rec["returned"]] == list(range(1, len(ids) + 1))
        assert rec["model_id"] == sg.encoder.model_id and len(rec["config_hash"]) == 16
        assert rec["endpoint"] == "python" and rec["key_id"] is None
    assert logged[0]["subject"] == {"type": "employee", "id": "P001"}
    assert logged[0]["params"] == {"limit": 3, "direction": "up"}
    assert logged[2]["subject"] == {"type": "role", "id": "lead"} and logged[2]["pool_size"] == len(PEOPLE)
    assert logged[3]["subject"] == {"type": "profile", "id": None}
    assert "sql" not in str(logged[3]["params"])  # an ad-hoc profile is not copied into the log
    assert logged[4]["params"]["min_readiness"] == "ready_soon"
    assert len({r["config_hash"] for r in logged}) == 1


def test_the_actor_bound_by_the_caller_is_recorded_and_learns_the_decision_id(sg: Skillgraph) -> None:
    actor = Actor(key_id="k123", role="recruiter", endpoint="GET /v1/roles/{role_id}/candidates", request_id="r1")
    with acting(actor):
        sg.candidates("lead", limit=3)
    sg.recommend("P003", limit=2)
    first, second = _all(sg)
    assert (first["key_id"], first["actor_role"], first["endpoint"], first["request_id"]) == (
        "k123", "recruiter", "GET /v1/roles/{role_id}/candidates", "r1")
    assert actor.decision_ids == [first["id"]]
    assert second["key_id"] is None and second["actor_role"] == "python"


def test_a_shortlist_pool_is_everyone_eligible_and_stored_once_for_repeats(sg: Skillgraph) -> None:
    for _ in range(3):
        sg.candidates("lead", limit=5)
    with sg.store.engine.connect() as conn:
        pools = conn.execute(select(dlog.pools.c.pool_id, dlog.pools.c.employee_id)).all()
    assert {e for _, e in pools} == set(PEOPLE)  # the lead incumbents are never in the pool
    assert not set(INCUMBENTS) & {e for _, e in pools}
    assert len({p for p, _ in pools}) == 1 and len(pools) == len(PEOPLE)


def test_paging_and_windows(sg: Skillgraph) -> None:
    for i in range(1, 8):
        sg.recommend(f"P{i:03d}", limit=2)
    page1, after = sg.audit.decisions(limit=3)
    page2, after2 = sg.audit.decisions(limit=3, after=after)
    page3, after3 = sg.audit.decisions(limit=3, after=after2)
    ids = [d["id"] for d in page1 + page2 + page3]
    assert ids == sorted(ids) and len(set(ids)) == 7 and after3 is None
    assert [d["subject"]["id"] for d in page1 + page2 + page3] == [f"P{i:03d}" for i in range(1, 8)]
    assert sg.audit.decisions(since="2000-01-01", until="2000-12-31")[0] == []
    assert len(sg.audit.decisions(since="2000-01-01")[0]) == 7
    assert sg.audit.decisions(kind="shortlist")[0] == []
    with pytest.raises(Exception, match="since must be a date"):
        sg.audit.decisions(since="last tuesday")


def test_erasure_removes_the_person_from_every_log(sg_any: Skillgraph) -> None:
    sg = sg_any
    gone = "P002"  # strong senior analyst: listed on the lead shortlist, in its pool, subject of a recommendation
    sg.recommend(gone, limit=3)
    short = sg.candidates("lead", limit=10)
    assert gone in [c.employee_id for c in short.items]
    sg.audit.record_override("lead", action="remove", employee_id=gone, reason="moving abroad next month")
    sg.audit.record_override("lead", action="add", employee_id="P030", reason="strong stakeholder feedback")
    sg.audit.protected(gone)
    sg.recommend("P003", limit=3)
    sg.delete("employee", gone)

    text = repr(_all(sg)) + repr(sg.audit.overrides("lead")) + repr(sg.audit.protected_reads()[0])
    assert gone not in text
    with sg.store.engine.connect() as conn:
        for table, col in ((dlog.items, "employee_id"), (dlog.pools, "employee_id"), (dlog.decisions, "subject_id")):
            assert conn.execute(select(func.count()).where(table.c[col] == gone)).scalar_one() == 0
    left = _all(sg)
    assert [d["kind"] for d in left] == ["shortlist", "recommendation"]  # the other answers stay
    assert len(left[0]["returned"]) == len(short.items) - 1
    assert [o["employee_id"] for o in sg.audit.overrides("lead")["items"]] == ["P030"]
    reads = sg.audit.protected_reads()[0]
    assert len(reads) == 1 and reads[0]["employee_id"] is None  # the read happened; whose is forgotten


def test_retention_purges_old_rows_on_write_and_on_demand(sg: Skillgraph, monkeypatch: pytest.MonkeyPatch) -> None:
    sg.recommend("P001", limit=2)
    sg.candidates("lead", limit=3)
    with sg.store.write() as conn:  # age the first two answers by a year
        conn.execute(dlog.decisions.update().values(at="2001-01-01T00:00:00.000000Z"))
    monkeypatch.setenv("SKILLGRAPH_DECISION_RETENTION_DAYS", "30")
    sg.recommend("P002", limit=2)  # a write applies the retention
    left = _all(sg)
    assert [d["subject"]["id"] for d in left] == ["P002"]
    with sg.store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dlog.pools)).scalar_one() == 0  # orphan pool gone
        assert conn.execute(select(func.count()).select_from(dlog.items)).scalar_one() == len(left[0]["returned"])
    assert sg.audit.purge(1)["decisions"] == 0
    monkeypatch.setenv("SKILLGRAPH_DECISION_RETENTION_DAYS", "soon")
    with pytest.raises(Exception, match="whole number of days"):
        sg.audit.purge()
