"""O*NET import: counts, mappings, and the label files never touched."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest

from engine.importers.onet import im_to_weight, import_onet, lv_to_level, read_onet
from engine.store import Store


@pytest.fixture(scope="module")
def catalog(onet_dir: Path):  # type: ignore[no-untyped-def]
    return read_onet(onet_dir)


def test_counts(catalog) -> None:  # type: ignore[no-untyped-def]
    assert len(catalog.roles) == 1016
    assert catalog.rated_roles == 879
    rn = next(r for r in catalog.roles if r.id == "29-1141.00")
    assert rn.title == "Registered Nurses"
    assert rn.family == "Healthcare Practitioners and Technical"
    assert 1 <= rn.level <= 5
    assert any(q.skill_id == "2.A.1.a" for q in rn.requirements)


def test_scale_mappings() -> None:
    assert (lv_to_level(0), lv_to_level(7), lv_to_level(3.5)) == (0, 5, 2)
    assert (im_to_weight(1), im_to_weight(5), im_to_weight(3)) == (0.0, 1.0, 0.5)


def test_import_into_store_and_reimport_changes_nothing(tmp_path: Path, onet_dir: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'o.db'}").init()
    _, res = import_onet(s, onet_dir)
    assert s.count("role") == 1016 and res.created > 1016
    _, again = import_onet(s, onet_dir)
    assert again.written == 0


def test_never_opens_label_files(monkeypatch: pytest.MonkeyPatch, onet_dir: Path) -> None:
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *a, **k):  # type: ignore[no-untyped-def]
        opened.append(self.name)
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", spy)
    monkeypatch.setattr(builtins, "open", lambda *a, **k: pytest.fail(f"unexpected open {a[0]}"))
    read_onet(onet_dir)
    assert opened and not [n for n in opened if "Related" in n or "Title" in n or "_dev" in n]
