"""The saved snapshot: a new process answers from it without the model, stale ones catch up,
erasure leaves no file naming the person, another model's snapshot is not used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from embeddings import BUNDLED_MODEL_ID, FakeEncoder
from engine.api import Skillgraph
from engine.models import EmployeeSkill
from engine.snapshot import SNAPSHOT_DIR, snapshot_version

ROOT = Path(__file__).resolve().parents[2]


class NoModel(FakeEncoder):
    """An encoder that fails the test if anything asks it to encode."""

    def encode(self, texts):  # type: ignore[no-untyped-def]
        raise AssertionError(f"encoded {list(texts)[:3]} on a path that needs no model")


class BundledIdFake(FakeEncoder):
    """Vectors from the fake encoder, filed under the bundled model's id (what the CLI uses)."""

    @property
    def model_id(self) -> str:
        return BUNDLED_MODEL_ID


def test_new_process_answers_from_the_snapshot_without_encoding(tiny) -> None:  # type: ignore[no-untyped-def]
    expected = tiny.recommend("N1", limit=5)
    sg = Skillgraph(tiny.config, encoder=NoModel())
    assert sg.recommend("N1", limit=5) == expected
    assert sg.candidates("rn").items == tiny.candidates("rn").items
    assert sg.routes("N1", "nurse-manager").best.role_ids == tiny.routes("N1", "nurse-manager").best.role_ids


def test_stale_snapshot_catches_up_and_is_saved_again(tiny) -> None:  # type: ignore[no-untyped-def]
    emp = tiny.store.get_employee("N1")
    raised = [EmployeeSkill(skill_id=s.skill_id, level=5) for s in emp.skills]
    tiny.store.upsert([emp.model_copy(update={"skills": raised})])  # written behind the engine's back
    assert snapshot_version(tiny.config.home) != tiny.store.version()
    sg = Skillgraph(tiny.config, encoder=NoModel())
    have = {m.skill_id: m.have for it in sg.recommend("N1").items for m in it.matched_skills}
    assert have and set(have.values()) == {5}
    assert snapshot_version(tiny.config.home) == tiny.store.version()


def test_erasure_leaves_no_file_in_home_naming_the_person(tiny) -> None:  # type: ignore[no-untyped-def]
    emp = tiny.store.get_employee("N2")
    name = emp.display_name.encode()
    home = tiny.config.home

    def mentions() -> list[str]:
        found = []
        for f in home.rglob("*"):
            if f.is_file():
                data = f.read_bytes()
                if name in data or b'"N2"' in data or b"\x02N2" in data or b"N2\x94" in data:
                    found.append(f.name)
        return found

    assert mentions()  # the test can see the person before the erasure
    tiny.delete("employee", "N2")
    assert mentions() == []
    fresh = Skillgraph(tiny.config, encoder=NoModel())
    assert "N2" not in {c.employee_id for c in fresh.candidates("rn", limit=50).items}


def test_erasure_patches_the_snapshot_from_another_process(tiny) -> None:  # type: ignore[no-untyped-def]
    other = Skillgraph(tiny.config, encoder=FakeEncoder())  # a process that never loaded the state
    other.delete("employee", "N2")
    assert snapshot_version(tiny.config.home) == tiny.store.version()
    data = b"".join(f.read_bytes() for f in (tiny.config.home / SNAPSHOT_DIR).iterdir())
    assert tiny.store.get_employee("N1").display_name.encode() in data
    assert b"N2" not in data.replace(b"RN2", b"")


def test_snapshot_of_another_model_is_rebuilt(tiny) -> None:  # type: ignore[no-untyped-def]
    sg = Skillgraph(tiny.config, encoder=FakeEncoder(dim=64))
    assert sg.load().state().role_vecs.shape[1] == 64  # the 384-d snapshot is not adopted
    manifest = json.loads((tiny.config.home / SNAPSHOT_DIR / "manifest.json").read_text())
    assert manifest["model"] == "fake-hash-64"


def test_cli_recommend_imports_no_model_library(tmp_path: Path) -> None:
    """`skillgraph recommend` on a built store: torch, sentence-transformers and scikit-learn
    stay out of the process (python -X importtime lists every module imported)."""
    from engine.config import Config
    from tests.engine.conftest import tiny_org

    db, home = f"sqlite:///{tmp_path / 'sg.db'}", tmp_path / "home"
    sg = Skillgraph(Config(db_url=db, home=home), encoder=BundledIdFake())
    sg.init()
    sg.store.upsert(tiny_org())
    sg.build_index()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "service.cli", "--db", db, "--home", str(home),
         "recommend", "N1", "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout)["items"]
    imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    for heavy in ("torch", "sentence_transformers", "transformers", "sklearn"):
        assert heavy not in imported, f"{heavy} imported on the recommend path"
    assert "numpy" in imported  # the check reads the real import list


@pytest.mark.parametrize("n", [1, 3])
def test_snapshot_survives_repeated_saves_without_leftovers(tiny, n: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        tiny.build_index()
    files = sorted(p.name.split("-")[0] for p in (tiny.config.home / SNAPSHOT_DIR).iterdir())
    assert files == ["catalog", "employees", "manifest.json", "people"]


def test_hnsw_snapshot_round_trip_keeps_one_copy_of_the_vectors(tiny, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from embeddings import HNSWIndex
    from engine import indexer
    from engine.snapshot import remove_snapshot

    monkeypatch.setattr(indexer, "make_index", lambda n, dim: HNSWIndex(dim))
    remove_snapshot(tiny.config.home)  # else the build reuses the saved exact index
    tiny.build_index()
    files = sorted(p.suffix for p in (tiny.config.home / SNAPSHOT_DIR).iterdir())
    assert files == [".faiss", ".json", ".part", ".part", ".part"]
    sg = Skillgraph(tiny.config, encoder=NoModel())
    ix = sg.state().employees_ix
    assert isinstance(ix, HNSWIndex) and ix._vecs.size == 0  # vectors live in the FAISS storage only
    assert sg.candidates("rn").items == tiny.candidates("rn").items
    assert sg.recommend("S2") == tiny.recommend("S2")
    sg.delete("employee", "S2")
    data = b"".join(f.read_bytes() for f in (tiny.config.home / SNAPSHOT_DIR).iterdir())
    assert b"Sue" not in data and b'"S2"' not in data
    assert "S2" not in {c.employee_id for c in Skillgraph(tiny.config, encoder=NoModel()).candidates("sse").items}
