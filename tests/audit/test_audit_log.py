"""The decision log holds exactly the answers given: one record per answer, same ids, scores, readiness."""

from __future__ import annotations

import pytest
from audit_org import INCUMBENTS, PEOPLE
from sqlalchemy import func, select

from engine.api import Skillgraph
from engine.audit import Actor, acting
from engine.profile import Profile
from engine.store import decisions as dlog
from engine.store import roster


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
    assert logged[0]["params"] == {"limit": 3, "direction": "up", "include_step_down": False}
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


def _roster_rows(sg: Skillgraph) -> int:
    with sg.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(roster.roster)).scalar_one())


def _pools(sg: Skillgraph) -> dict[int, list[str]]:
    from engine.audit.impact_audit import _pools

    with sg.store.engine.connect() as conn:
        return _pools(conn, dlog.window_rows(conn, kind="shortlist", since=None, until=None))


def test_a_shortlist_pool_is_everyone_eligible_as_of_its_answer(sg: Skillgraph) -> None:
    sg.candidates("lead", limit=5)
    rows = _roster_rows(sg)
    assert rows == len(PEOPLE) + len(INCUMBENTS)  # the ledger starts with everyone's current role
    sg.candidates("lead", limit=5)
    sg.recommend("P001")
    assert _roster_rows(sg) == rows  # nothing changed: logging wrote no roster rows
    first = sg.audit.decisions()[0][0]["id"]
    assert sorted(_pools(sg)[first]) == sorted(PEOPLE)  # the lead incumbents are never in the pool

    # P010 becomes a lead, L001 leaves, a newcomer joins; earlier answers keep their own pool.
    moved = sg.store.get_employee("P010").model_copy(update={"role_id": "lead"})
    newcomer = sg.store.get_employee("P011").model_copy(update={"id": "P099", "display_name": "New Person"})
    sg.upsert([moved, newcomer])
    sg.delete("employee", "L001")
    sg.candidates("lead", limit=5)
    assert _roster_rows(sg) == rows + 2 - 1  # P010 and the newcomer open intervals; L001 is erased
    pools = _pools(sg)
    latest = max(pools)
    assert sorted(pools[first]) == sorted(PEOPLE)
    assert sorted(pools[latest]) == sorted({*PEOPLE, "P099"} - {"P010"})
    sg.candidates("senior-analyst", limit=3)
    expected = ({e for e in PEOPLE if PEOPLE[e][3] != "senior-analyst"} | {"P099"}) - {"P010"}
    assert set(_pools(sg)[max(_pools(sg))]) == expected  # the leads would step down: not in the pool
    sg.candidates("senior-analyst", limit=3, include_step_down=True)
    assert set(_pools(sg)[max(_pools(sg))]) == expected | {"P010", "L002"}  # asked for: they are assessed


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
        for table, col in ((dlog.items, "employee_id"), (roster.roster, "employee_id"),
                           (dlog.decisions, "subject_id")):
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
    sg.upsert([sg.store.get_employee("P010").model_copy(update={"role_id": "lead"})])  # closes an interval
    monkeypatch.setenv("SKILLGRAPH_DECISION_RETENTION_DAYS", "30")
    sg.recommend("P002", limit=2)  # a write applies the retention
    left = _all(sg)
    assert [d["subject"]["id"] for d in left] == ["P002"]
    with sg.store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dlog.items)).scalar_one() == len(left[0]["returned"])
        closed = select(func.count()).select_from(roster.roster).where(roster.roster.c.to_version.is_not(None))
        assert conn.execute(closed).scalar_one() == 0  # no answer left can see the old interval
    assert sg.audit.purge(1)["decisions"] == 0
    monkeypatch.setenv("SKILLGRAPH_DECISION_RETENTION_DAYS", "soon")
    with pytest.raises(Exception, match="whole number of days"):
        sg.audit.purge()
