"""Erasure erases: after ``DELETE /v1/employees/{id}`` returns, no file and no row identifies the person.

The probe behind issue 12 found the display name and interests in the SQLite ``-wal`` file, the id
in the saved employee index until the next rebuild, and the id in the access log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from svc_harness import PG_URL, Svc, make_svc

from embeddings import FakeEncoder
from engine.api import Skillgraph
from engine.config import Config
from engine.store import tables as t

EID = "E-ERASE-7731"
NAMES = ["Zelda Quuxington", "Zelda Q. Earlier-Name"]
INTERESTS = "falconry-and-quux-8812"
TRACES = [EID, *NAMES, INTERESTS]


def _person(name: str, **kw: object) -> dict:
    return {"display_name": name, "role_id": "data-analyst", "interests": INTERESTS,
            "skills": [{"skill_id": "sql", "level": 3}], "protected": {"sex": "prot-erase-sex-1"}, **kw}


def _write_history(s: Svc, *, moved: bool = True) -> None:
    """Several versions of the person, a move, a key: their bytes end up all over the files."""
    assert s.put(f"/v1/employees/{EID}", json=_person(NAMES[1])).status_code == 201
    for months in (3, 4, 5):
        assert s.put(f"/v1/employees/{EID}", json=_person(NAMES[0], months_in_role=months)).status_code == 200
    if moved:  # an observed move names them too (and changes the catalog's priors when it goes)
        assert s.post("/v1/import", headers={"Content-Type": "application/x-ndjson"}, content=(
            '{"type": "transition", "data": {"from_role_id": "data-analyst", "to_role_id": "senior-data-analyst", '
            f'"date": "2024-01-01", "employee_id": "{EID}"}}}}')).json()["accepted"] == 1
    assert s.post("/v1/keys", json={"role": "employee", "employee_id": EID}).status_code == 201
    s.engine.build_index()  # saved index files now hold the person


def _files_holding_traces(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in sorted(p for p in root.rglob("*") if p.is_file()):
        data = f.read_bytes()
        hits = [x for x in TRACES if x.encode() in data or x.encode("utf-16-le") in data]
        if hits:
            found[str(f.relative_to(root))] = hits
    return found


@pytest.fixture
def erasable(tmp_path: Path) -> Iterator[tuple[Svc, Path]]:
    with make_svc(tmp_path / "svc") as s:
        yield s, tmp_path


@pytest.mark.parametrize("moved", [False, True], ids=["no-moves", "with-a-move"])
def test_nothing_identifying_is_left_in_any_file_after_delete(
    erasable: tuple[Svc, Path], caplog: pytest.LogCaptureFixture, moved: bool
) -> None:
    s, root = erasable
    _write_history(s, moved=moved)
    # A second process over the same store, with its own home: it saved the person in its index too.
    replica = Skillgraph(Config(db_url=s.engine.store.url, home=root / "replica-home"), encoder=FakeEncoder())
    replica.build_index()
    assert _files_holding_traces(root), "the test must first see the person on disk"

    with caplog.at_level(logging.INFO, logger="skillgraph"):
        r = s.delete(f"/v1/employees/{EID}")
    assert r.status_code == 204
    assert s.get(f"/v1/employees/{EID}").status_code == 404
    replica.recommend("E001")  # the replica's next answer notices the erasure
    with pytest.raises(Exception, match=EID):
        replica.recommend(EID)
    assert _files_holding_traces(root) == {}, "after the DELETE returned"
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert not [x for x in TRACES if x in logged]
    replica.store.close()


def test_erased_person_keys_stop_working_in_the_same_transaction(erasable: tuple[Svc, Path]) -> None:
    s, _ = erasable
    assert s.put(f"/v1/employees/{EID}", json=_person(NAMES[0])).status_code == 201
    token = s.post("/v1/keys", json={"role": "employee", "employee_id": EID}).json()["key"]
    assert s.client.get(f"/v1/employees/{EID}", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    s.engine.delete("employee", EID)  # the engine alone, as the CLI or a replica would erase
    assert s.client.get("/v1/roles", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    listed = s.get("/v1/keys").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert EID not in str(items)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_row_in_any_table_names_the_erased_person(tmp_path: Path, backend: str) -> None:
    if backend == "postgresql" and not PG_URL:
        pytest.skip("SKILLGRAPH_TEST_DATABASE_URL not set (CI sets it)")
    with make_svc(tmp_path / "svc", db_url=PG_URL if backend == "postgresql" else None) as s:
        _write_history(s)
        assert s.delete(f"/v1/employees/{EID}").status_code == 204
        store = s.engine.store
        leftovers = []
        with store.engine.connect() as conn:
            for table in t.metadata.sorted_tables:
                for row in conn.execute(select(table)):
                    text = " ".join(str(v) for v in row)
                    leftovers += [f"{table.name}: {x}" for x in TRACES if x in text]
        assert leftovers == []
        # and the engine still answers for everyone else, with the move gone from the priors
        assert s.get("/v1/employees/E001/recommendations").status_code == 200
        assert s.engine.index_status()["stale"] is False
