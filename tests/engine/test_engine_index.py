"""Index build: incremental refresh, cache reuse, stale and corrupt index files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from embeddings import FakeEncoder
from engine.api import Skillgraph
from engine.models import Employee
from engine.snapshot import SNAPSHOT_DIR, snapshot_version


class CountingEncoder(FakeEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.texts += len(texts)
        return super().encode(texts)


def _vectors(sg: Skillgraph) -> dict[str, np.ndarray]:
    st = sg.state()
    ids = [e for e in st.people.ids if st.employees_ix.contains(e)]
    return dict(zip(ids, st.employees_ix.vectors(ids), strict=True))


def test_changing_one_employee_changes_only_that_vector(tiny) -> None:  # type: ignore[no-untyped-def]
    before = _vectors(tiny)
    emp = tiny.store.get_employee("S2")
    tiny.upsert([Employee(**{**emp.model_dump(exclude={"interests"}), "interests": "machine learning platforms"})])
    after = _vectors(tiny)
    changed = [e for e in before if not np.allclose(before[e], after[e])]
    assert changed == ["S2"]


def test_rebuild_reencodes_only_changed_texts(tmp_path, tiny) -> None:  # type: ignore[no-untyped-def]
    enc = CountingEncoder()
    sg = Skillgraph(tiny.config, encoder=enc)
    report = sg.build_index()
    assert report.encoded == 0 and report.cached > 0 and enc.texts == 0  # everything came from the store cache
    role = sg.store.get_role("analyst")
    sg.store.upsert([role.model_copy(update={"description": "Answers business questions with SQL and statistics."})])
    report = sg.build_index()
    # Only the two texts derived from the changed role: its competency text and its title-match text.
    assert report.encoded == 2 and enc.texts == 2


def test_saved_index_is_reused_then_updated_when_stale(tiny) -> None:  # type: ignore[no-untyped-def]
    home = tiny.config.home
    assert snapshot_version(home) == tiny.store.version()
    fresh = Skillgraph(tiny.config, encoder=FakeEncoder())
    assert fresh.build_index().employee_index == "loaded"
    emp = tiny.store.get_employee("N3")
    tiny.store.upsert([emp.model_copy(update={"months_in_role": 40, "interests": "wants to become a nurse"})])
    assert snapshot_version(home) != tiny.store.version()  # stale on disk
    report = Skillgraph(tiny.config, encoder=FakeEncoder()).build_index()
    assert report.employee_index == "updated:1"
    assert snapshot_version(home) == tiny.store.version()


def _parts(home: Path) -> list[Path]:
    return sorted((home / SNAPSHOT_DIR).glob("*.part"))


def test_corrupt_index_file_is_rebuilt_not_served(tiny) -> None:  # type: ignore[no-untyped-def]
    for path in _parts(tiny.config.home):
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    sg = Skillgraph(tiny.config, encoder=FakeEncoder())
    assert sg.build_index().employee_index == "built"
    assert sg.recommend("N1").items
    assert snapshot_version(tiny.config.home) == tiny.store.version()
    fresh = Skillgraph(tiny.config, encoder=FakeEncoder())
    assert fresh.recommend("N1") == sg.recommend("N1")  # the rewritten snapshot loads


def test_new_process_loads_saved_indexes(tiny) -> None:  # type: ignore[no-untyped-def]
    sg = Skillgraph(tiny.config, encoder=FakeEncoder())
    assert not sg.ready
    assert sg.recommend("N1").items[0].role_id  # loads on first use
    assert sg.ready
