"""Catalog writes (role, skill, learning item PUTs) refresh the state incrementally: the answers
equal a full rebuild's, only changed texts are encoded, only affected employees move."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embeddings import FakeEncoder
from engine import refresh
from engine.api import Skillgraph
from engine.config import Config
from engine.models import LearningItem, Role, Skill


class CountingEncoder(FakeEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.texts += list(texts)
        return super().encode(texts)


@pytest.fixture
def no_full_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("a catalog write triggered a full rebuild")

    monkeypatch.setattr(refresh, "build_state", boom)


def _full(tiny: Skillgraph, tmp_path: Path) -> Skillgraph:
    """The same store built from scratch in another home: what the incremental state must equal."""
    sg = Skillgraph(Config(db_url=tiny.config.db_url, home=tmp_path / "fresh"), encoder=FakeEncoder())
    sg.build_index()
    return sg


def test_role_requirement_put_matches_a_full_build(tiny, tmp_path, no_full_build) -> None:  # type: ignore[no-untyped-def]
    lpn = tiny.store.get_role("lpn")
    reqs = [q.model_copy(update={"weight": 0.9}) if q.skill_id == "meds" else q for q in lpn.requirements]
    tiny.upsert([lpn.model_copy(update={"requirements": reqs, "open_positions": 4})])
    full = _full(tiny, tmp_path)
    for who in ("N1", "N3", "S2"):
        assert tiny.recommend(who, limit=8) == full.recommend(who, limit=8)
    assert tiny.candidates("lpn").items == full.candidates("lpn").items
    assert any(i.role_id == "lpn" and i.parts["demand"] > 0 for i in tiny.recommend("N3").items)


def test_description_put_encodes_one_role_and_moves_only_its_holders(tiny, no_full_build) -> None:  # type: ignore[no-untyped-def]
    enc = CountingEncoder()
    sg = Skillgraph(tiny.config, encoder=enc)
    st = sg.state()
    before = {e: st.employees_ix.get_vector(e) for e in ("S1", "S2", "N1")}
    se = sg.store.get_role("se")
    sg.upsert([se.model_copy(update={"description": "Builds, tests and ships product features in Python."})])
    # only its competency text (the title matcher re-encodes lazily, on the next title resolution)
    assert enc.texts == ["Software Engineer. Builds, tests and ships product features in Python. Key skills: Python, "
                         "Design."]
    st = sg.state()
    after = {e: st.employees_ix.get_vector(e) for e in before}
    assert not np.allclose(before["S2"], after["S2"])  # holds the role
    assert np.allclose(before["S1"], after["S1"]) and np.allclose(before["N1"], after["N1"])
    raw = st.role_raw[st.catalog.role_index["se"]]
    want = (raw - st.role_mean) / np.linalg.norm(raw - st.role_mean)
    assert np.allclose(st.role_vecs[st.catalog.role_index["se"]], want, atol=1e-6)  # centred on the kept mean


def test_new_skill_and_role_by_put_appear_in_answers(tiny, no_full_build) -> None:  # type: ignore[no-untyped-def]
    before = {m.skill_id: m.have for i in tiny.recommend("N2").items if i.role_id == "rn" for m in i.matched_skills}
    triage = Skill(id="triage", name="Triage", aliases=["ed triage"])
    nurse = Role(id="triage-nurse", title="Triage Nurse", family="nursing", level=3, track="ic",
                 description="Sorts emergency patients by urgency.", open_positions=2,
                 requirements=[{"skill_id": "patient-care", "level": 3, "weight": 1.0},
                               {"skill_id": "triage", "level": 2, "weight": 0.9}])
    tiny.upsert([triage, nurse])
    recs = tiny.recommend("N2", limit=20)
    item = next(i for i in recs.items if i.role_id == "triage-nurse")
    assert [g.skill_id for g in item.gaps] == ["triage"] and item.gaps[0].have == 0
    after = {m.skill_id: m.have for i in recs.items if i.role_id == "rn" for m in i.matched_skills}
    assert after == before  # skill columns moved under everyone; their levels did not
    assert tiny.candidates("triage-nurse").items
    assert tiny.resolve_skills(["ed triage"])[0][0].id == "triage"


def test_learning_item_put_changes_plans(tiny, no_full_build) -> None:  # type: ignore[no-untyped-def]
    def rn_gap(skill: str) -> list[str]:
        item = next(i for i in tiny.recommend("N1", limit=10).items if i.role_id == "rn")
        return [x.id for g in item.gaps if g.skill_id == skill for x in g.learning]

    assert "assess-fast" not in rn_gap("assessment")
    tiny.upsert([LearningItem(id="assess-fast", title="Assessment Bootcamp", hours=4,
                              skills=[{"skill_id": "assessment", "to_level": 3}])])
    assert rn_gap("assessment")[0] == "assess-fast"


def test_title_put_is_resolved_on_the_next_call(tiny, no_full_build) -> None:  # type: ignore[no-untyped-def]
    analyst = tiny.store.get_role("analyst")
    tiny.upsert([analyst.model_copy(update={"title": "Business Intelligence Analyst"})])
    assert tiny.resolve_titles(["business intelligence analyst"])[0][0].id == "analyst"
    assert next(m for m in tiny.similar_roles("data-eng", limit=10) if m.id == "analyst").name == (
        "Business Intelligence Analyst")


def test_role_delete_leaves_the_answers(tiny, no_full_build) -> None:  # type: ignore[no-untyped-def]
    # (Data Analyst shares no skill with Sue's: it is not offered at all; Data Engineer is.)
    assert any(i.role_id == "data-eng" for i in tiny.recommend("S2", limit=20).items)
    tiny.delete("role", "data-eng")
    assert all(i.role_id != "data-eng" for i in tiny.recommend("S2", limit=20).items)
    assert tiny.routes("N1", "nurse-manager").best.role_ids[0] == "lpn"
