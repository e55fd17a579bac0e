"""Imports never crash on hostile input, count lines right, and validate as strictly as PUT does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.importers import import_files
from engine.store import Store

DEEP = "[" * 100_000 + "]" * 100_000  # json.loads recursion: RecursionError on the old code
GOOD_A = {"type": "skill", "data": {"id": "a", "name": "Alpha"}}
GOOD_B = {"type": "skill", "data": {"id": "b", "name": "Beta"}}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("layout", ["ndjson", "ndjson-data", "json-array", "json-sections"])
def test_deeply_nested_record_is_one_rejection_and_the_rest_lands(store: Store, tmp_path: Path, layout: str) -> None:
    a, b = json.dumps(GOOD_A), json.dumps(GOOD_B)
    if layout == "ndjson":
        f = _write(tmp_path, "batch.ndjson", f"{a}\n{DEEP}\n{b}\n")
    elif layout == "ndjson-data":
        f = _write(tmp_path, "batch.ndjson", f'{a}\n{{"type": "skill", "data": {DEEP}}}\n{b}\n')
    elif layout == "json-array":
        f = _write(tmp_path, "batch.json", f"[\n{a},\n{DEEP},\n{b}\n]\n")
    else:
        f = _write(tmp_path, "org.json",
                   f'{{"skills": [\n{json.dumps(GOOD_A["data"])},\n{DEEP},\n{json.dumps(GOOD_B["data"])}\n],\n'
                   f'"roles": [{{"id": "r", "title": "R", "requirements": [{{"skill_id": "b", "level": 2}}]}}]}}\n')
    rep = import_files(store, [f])
    line = 2 if layout.startswith("ndjson") else 3  # JSON files open with "[" on line 1
    assert [(e.line, "nested deeper than 32 levels" in e.error) for e in rep.rejected] == [(line, True)]
    assert store.ids("skill") == ["a", "b"]
    if layout == "json-sections":
        assert store.get_role("r").requirements[0].skill_id == "b"  # the section after the bad one lands too


def test_brackets_inside_strings_do_not_count_as_nesting(store: Store, tmp_path: Path) -> None:
    name = "[{" * 5_000 + " weird but valid"
    f = _write(tmp_path, "skills.ndjson", json.dumps({"id": "w", "name": name[:300], "description": name}) + "\n")
    assert import_files(store, [f]).rejected == []
    assert store.get_skill("w").description == name


def test_nan_and_infinity_are_not_json_numbers(store: Store, tmp_path: Path) -> None:
    rec = ('{"type": "learning_item", "data": {"id": "l", "title": "L", "hours": %s,'
           ' "skills": [{"skill_id": "a", "to_level": 2}]}}')
    f = _write(tmp_path, "x.ndjson", "\n".join([json.dumps(GOOD_A), rec % "NaN", rec % "Infinity", rec % "3"]) + "\n")
    rep = import_files(store, [f])
    assert [(e.line, "not a JSON number" in e.error) for e in rep.rejected] == [(2, True), (3, True)]
    assert store.get_learning_item("l").hours == 3


# Every character str.splitlines() treats as a line break, besides "\n" and "\r".
SEPARATORS = ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


def test_ndjson_splits_lines_on_newline_only(store: Store, tmp_path: Path) -> None:
    name = "Ana" + "".join(SEPARATORS) + "Lima"
    lines = [
        json.dumps(GOOD_A),
        json.dumps({"type": "skill", "data": {"id": "s", "name": "Sep", "description": name}}, ensure_ascii=False),
        '{"type": "skill", "data": {"id": "bad"}}',  # line 3: no name
        json.dumps(GOOD_B) + "\r",  # CRLF line endings are fine
        '{"type": "skill", "data": {"id": "c", "name": "C"}',  # line 5: broken JSON
    ]
    f = _write(tmp_path, "batch.ndjson", "\n".join(lines) + "\r\n")
    rep = import_files(store, [f])
    assert [e.line for e in rep.rejected] == [3, 5]
    assert store.get_skill("s").description == name
    assert store.ids("skill") == ["a", "b", "s"]


STRICT_CASES = [
    ("employee", {"months_in_role": "12"}, "months_in_role"),
    ("employee", {"months_in_role": True}, "months_in_role"),
    ("employee", {"skills": [{"skill_id": "a", "level": "3"}]}, "skills.0.level"),
    ("employee", {"skills": [{"skill_id": "a", "level": True}]}, "skills.0.level"),
    ("employee", {"mobility": {"open_to_move": "yes"}}, "mobility.open_to_move"),
    ("employee", {"mobility": {"open_to_move": 1}}, "mobility.open_to_move"),
    ("employee", {"display_name": 42}, "display_name"),
    ("role", {"level": "3"}, "level"),
    ("role", {"open_positions": False}, "open_positions"),
    ("role", {"requirements": [{"skill_id": "a", "level": 2, "weight": "0.5"}]}, "requirements.0.weight"),
    ("learning_item", {"hours": "12"}, "hours"),
]
BASE = {
    "employee": {"id": "E1", "display_name": "Ana"},
    "role": {"id": "r1", "title": "Role"},
    "learning_item": {"id": "l1", "title": "Course", "hours": 4, "skills": [{"skill_id": "a", "to_level": 2}]},
}


@pytest.mark.parametrize(("kind", "change", "field"), STRICT_CASES, ids=[f"{k}-{f}" for k, _, f in STRICT_CASES])
def test_imports_refuse_what_put_refuses(store: Store, tmp_path: Path, kind: str, change: dict, field: str) -> None:
    record = {"type": kind, "data": {**BASE[kind], **change}}
    f = _write(tmp_path, "x.ndjson", json.dumps(GOOD_A) + "\n" + json.dumps(record) + "\n")
    rep = import_files(store, [f])
    assert [e.line for e in rep.rejected] == [2]
    assert f"field '{field}'" in rep.rejected[0].error
    assert not store.exists(kind, BASE[kind]["id"])


def test_strict_json_still_reads_integral_numbers_and_iso_dates(store: Store, tmp_path: Path) -> None:
    lines = [
        json.dumps(GOOD_A),
        json.dumps({"type": "role", "data": {"id": "r1", "title": "R1", "level": 2.0}}),
        json.dumps({"type": "role", "data": {"id": "r2", "title": "R2", "level": 3}}),
        json.dumps({"type": "employee", "data": {"id": "E1", "display_name": "Ana", "role_id": "r1",
                                                 "months_in_role": 12.0,
                                                 "skills": [{"skill_id": "a", "level": 3,
                                                             "updated_at": "2024-03-01T10:00:00"}]}}),
        json.dumps({"type": "transition", "data": {"from_role_id": "r1", "to_role_id": "r2", "date": "2023-05-01"}}),
    ]
    rep = import_files(store, [_write(tmp_path, "x.ndjson", "\n".join(lines))])
    assert rep.rejected == []
    e = store.get_employee("E1")
    assert (e.months_in_role, e.skills[0].updated_at.year) == (12, 2024)  # type: ignore[union-attr]
    assert store.get_role("r1").level == 2 and isinstance(store.get_role("r1").level, int)


def test_csv_typed_columns_are_parsed_explicitly(store: Store, tmp_path: Path) -> None:
    _write(tmp_path, "skills.csv", "id,name\nsql,SQL\npy,Python\n")
    _write(tmp_path, "roles.csv",
           "id,title,level,requirements\nan,Analyst,2,sql:3:0.5\nbad,Bad,two,\nw,W,1,sql:3:heavy\n")
    emp = (
        "id,display_name,role_id,months_in_role,skills,open_to_move\n"
        "E1,Ana,an,12,sql:3;py:2,yes\n"
        "E2,Bo,an,12.5,,\n"
        "E3,Cy,an,7,sql:x,\n"
        'E4,"Di\nwith a line break in the name",an,3,,no\n'
        "E5,Ed,an,3,,maybe\n"
    )
    _write(tmp_path, "employees.csv", emp)
    rep = import_files(store, [tmp_path / "skills.csv", tmp_path / "roles.csv", tmp_path / "employees.csv"])
    got = sorted((Path(e.file).name, e.line, e.error.split(": ", 1)[1]) for e in rep.rejected)
    assert got == [
        ("employees.csv", 3, "field 'months_in_role': expected an integer, got '12.5'"),
        ("employees.csv", 4, "field 'skills.0.level': expected an integer, got 'x'"),
        ("employees.csv", 7, "field 'mobility.open_to_move': expected true or false, got 'maybe'"),
        ("roles.csv", 3, "field 'level': expected an integer, got 'two'"),
        ("roles.csv", 4, "field 'requirements.0.weight': expected a number, got 'heavy'"),
    ]
    e1, e4 = store.get_employee("E1"), store.get_employee("E4")
    assert (e1.months_in_role, e1.mobility.open_to_move, [s.level for s in e1.skills]) == (12, True, [2, 3])
    assert e4.mobility.open_to_move is False and e4.display_name.startswith("Di\n")
    assert store.get_role("an").requirements[0].weight == 0.5


def test_malformed_csv_row_costs_only_itself(store: Store, tmp_path: Path) -> None:
    big = "x" * 200_000  # over the csv module's field size limit: csv.Error on that row
    f = _write(tmp_path, "skills.csv", f'id,name,description\na,A,ok\nb,B,"{big}"\nc,C,ok\n')
    rep = import_files(store, [f])
    assert [e.line for e in rep.rejected] == [3]
    assert "a" in store.ids("skill") and "c" in store.ids("skill")


def test_csv_cells_keep_their_line_breaks_and_any_row_ending_works(store: Store, tmp_path: Path) -> None:
    # Spreadsheets quote cells with line breaks; text-mode reading turned a quoted "\r" into "\n".
    f = tmp_path / "skills.csv"
    f.write_bytes(b'id,name,description\r\na,A,"line one\r\nline two"\r\nb,B,"cr\ronly"\rc,C,plain\n')
    rep = import_files(store, [f])
    assert rep.rejected == []
    assert store.get_skill("a").description == "line one\r\nline two"
    assert store.get_skill("b").description == "cr\ronly"
    assert store.get_skill("c").description == "plain"
