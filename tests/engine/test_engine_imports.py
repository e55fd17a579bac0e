"""Bulk imports: good records land, bad ones are reported with file and line, re-imports change nothing."""

from __future__ import annotations

from pathlib import Path

from engine.importers import import_files
from engine.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "engine" / "examples"


def test_example_files_import_cleanly_and_idempotently(store: Store) -> None:
    paths = [EXAMPLES / "org.json", EXAMPLES / "learning_items.ndjson", EXAMPLES / "employees.csv"]
    first = import_files(store, paths)
    assert first.rejected == [] and first.created == 10
    assert store.get_employee("E101").skills[2].skill_id == "stakeholder-mgmt"
    v = store.version()
    again = import_files(store, paths)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 10)
    assert store.version() == v


def test_ndjson_mix_of_good_and_bad(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "batch.ndjson"
    f.write_text(
        '{"type": "skill", "data": {"id": "py", "name": "Python"}}\n'
        '{"type": "skill", "data": {"id": "go", "name": "Go"}\n'  # line 2: broken JSON
        '{"type": "role", "data": {"id": "dev", "title": "Dev", "requirements": [{"skill_id": "py", "level": 9}]}}\n'
        '{"type": "role", "data": {"id": "ops", "title": "Ops", "requirements": [{"skill_id": "rust", "level": 2}]}}\n'
        '{"type": "employee", "data": {"id": "E1", "display_name": "A", "skills": [{"skill_id": "py", "level": 2}]}}\n'
        '{"type": "employee", "data": {"id": "E2", "display_name": "B", "role_id": "ops"}}\n'
        '{"type": "gizmo", "data": {}}\n'
    )
    rep = import_files(store, [f])
    assert rep.accepted == 2
    errs = {e.line: e.error for e in rep.rejected}
    assert set(errs) == {2, 3, 4, 6, 7}
    assert "invalid JSON" in errs[2]
    assert "requirements.0.level" in errs[3]
    assert "unknown skill 'rust'" in errs[4]
    assert "unknown role 'ops'" in errs[6]  # ops itself was rejected, so E2 cannot point at it
    assert "unknown record type 'gizmo'" in errs[7]
    assert all(e.file == str(f) for e in rep.rejected)
    assert store.ids("employee") == ["E1"]


def test_json_array_reports_line_of_each_bad_record(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "skills.json"
    f.write_text('[\n  {"id": "a", "name": "A"},\n  {"id": "b"},\n  {"id": "c", "name": "C", "colour": "red"}\n]\n')
    rep = import_files(store, [f])
    assert rep.accepted == 1
    assert [(e.line, "name" in e.error or "colour" in e.error) for e in rep.rejected] == [(3, True), (4, True)]


def test_csv_rows_report_line_numbers(store: Store, tmp_path: Path) -> None:
    (tmp_path / "skills.csv").write_text("id,name,aliases\npy,Python,python3;py3\nsql,SQL,\n")
    f = tmp_path / "employees.csv"
    f.write_text("id,display_name,skills\nE1,Ann,py:3;sql:2\nE2,,py:1\nE3,Cy,py:x\n")
    rep = import_files(store, [tmp_path / "skills.csv", f])
    assert rep.accepted == 3
    assert [(e.line, e.file.endswith("employees.csv")) for e in rep.rejected] == [(3, True), (4, True)]
    assert store.get_skill("py").aliases == ["python3", "py3"]


def test_missing_and_unsupported_files(store: Store, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    rep = import_files(store, [tmp_path / "nope.json", tmp_path / "notes.txt"])
    assert rep.accepted == 0
    assert ["file not found" in rep.rejected[0].error, "unsupported" in rep.rejected[1].error] == [True, True]
