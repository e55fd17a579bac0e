"""Protected attributes survive writes that leave them out; clearing them takes an explicit call.

GET never returns protected attributes, so a GET-edit-PUT round trip (or an HRIS feed that does
not carry them) used to wipe them silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import EmployeeNotFound
from engine.importers import import_files
from engine.models import Employee, ProtectedAttributes, Role, Skill
from engine.store import Store

PROT = {"sex": "f", "race_ethnicity": "r-17", "age_band": "35-44"}


def _org() -> list:
    return [Skill(id="sql", name="SQL"), Role(id="an", title="Analyst"), Role(id="sr", title="Senior Analyst", level=2)]


def _emp(**kw: object) -> Employee:
    base: dict = {"id": "E1", "display_name": "Ana", "role_id": "an", "skills": [{"skill_id": "sql", "level": 2}]}
    return Employee.model_validate({**base, **kw})


def test_a_write_without_protected_keeps_them_and_is_not_an_update(store: Store) -> None:
    store.upsert([*_org(), _emp(protected=PROT)])
    v = store.version()
    res = store.upsert([_emp()])  # what a client rebuilt from GET sends back
    assert (res.created, res.updated, res.unchanged) == (0, 0, 1)
    assert store.version() == v, "an unchanged record without protected attributes counted as a write"
    assert store.get_protected("E1") == ProtectedAttributes(**PROT)


def test_a_real_change_without_protected_keeps_them(store: Store) -> None:
    store.upsert([*_org(), _emp(protected=PROT)])
    res = store.upsert([_emp(role_id="sr", protected=None)])
    assert res.updated == 1
    assert store.get_employee("E1").role_id == "sr"
    assert store.get_protected("E1") == ProtectedAttributes(**PROT)
    # and a later identical write (still without them) is unchanged again
    assert store.upsert([_emp(role_id="sr")]).unchanged == 1


def test_an_explicit_object_replaces_and_an_empty_one_clears(store: Store) -> None:
    store.upsert([*_org(), _emp(protected=PROT)])
    store.upsert([_emp(protected={"age_band": "45-54"})])
    assert store.get_protected("E1") == ProtectedAttributes(age_band="45-54")
    store.upsert([_emp(protected={})])
    assert store.get_protected("E1") is None
    assert store.upsert([_emp()]).unchanged == 1


def test_clear_protected_is_the_explicit_call(store: Store) -> None:
    store.upsert([*_org(), _emp(protected=PROT)])
    before = store.version_number()
    assert store.clear_protected("E1") is True
    assert store.get_protected("E1") is None
    assert store.get_employee("E1").display_name == "Ana"  # the rest of the record is untouched
    after = store.version_number()
    assert after == before + 1
    assert store.clear_protected("E1") is False
    assert store.version_number() == after
    assert store.upsert([_emp()]).unchanged == 1, "clearing left a content hash that re-imports disagree with"
    with pytest.raises(EmployeeNotFound):
        store.clear_protected("nobody")


def test_imports_keep_protected_when_a_file_does_not_carry_them(store: Store, tmp_path: Path) -> None:
    store.upsert(_org())
    with_prot = tmp_path / "employees.csv"
    with_prot.write_text("id,display_name,role_id,skills,sex,age_band\nE1,Ana,an,sql:2,f,35-44\nE2,Bo,an,,m,\n")
    assert import_files(store, [with_prot]).rejected == []
    v = store.version()
    without = tmp_path / "feed" / "employees.csv"
    without.parent.mkdir()
    without.write_text("id,display_name,role_id,skills\nE1,Ana,an,sql:2\nE2,Bo,sr,\n")
    rep = import_files(store, [without])
    assert (rep.updated, rep.unchanged) == (1, 1)  # E2 moved role; E1 is the same record
    assert store.version() != v
    assert store.get_protected("E1") == ProtectedAttributes(sex="f", age_band="35-44")
    assert store.get_protected("E2") == ProtectedAttributes(sex="m")
    assert store.get_employee("E2").role_id == "sr"
