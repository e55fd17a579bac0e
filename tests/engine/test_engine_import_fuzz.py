"""Property tests of every importer: whatever the input, no crash but per-line errors, and every
good line lands exactly as written (bounded: a few seconds per property)."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.importers import import_files
from engine.models import Skill
from engine.store import Store

FUZZ = settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Text as HR exports carry it: any Unicode (line and paragraph separators included), no surrogates.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NAME = TEXT.map(str.strip).filter(lambda s: 0 < len(s) <= 300)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def _deep(n: int) -> str:
    return "[" * n + "]" * n


# Junk that is still one line of JSON text: random values, envelopes with wrong shapes, deep nesting,
# records with mistyped fields ("12" for an int, true for a level), and plain garbage.
JUNK_JSON = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries({"type": st.sampled_from(["skill", "role", "employee", "gizmo", 3]), "data": JSON_VALUES}),
    st.builds(lambda lv: {"type": "employee", "data": {"id": "j-e", "display_name": "J", "months_in_role": lv}},
              st.sampled_from(["12", True, 1.5, [], {}])),
)


@st.composite
def good_skills(draw: Any) -> list[Skill]:
    n = draw(st.integers(1, 6))
    names = draw(st.lists(NAME, min_size=n, max_size=n))
    descs = draw(st.lists(TEXT, min_size=n, max_size=n))
    return [Skill(id=f"g-{i}", name=nm, description=d) for i, (nm, d) in enumerate(zip(names, descs, strict=True))]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path]]:
    """One store for all examples of a module (a fresh one per example costs more than the test)."""
    d = tmp_path_factory.mktemp("fuzz")
    s = Store(f"sqlite:///{d}/sg.db").init()
    yield s, d
    s.close()


_run = itertools.count()


def _fresh(good: list[Skill]) -> tuple[list[Skill], str]:
    """The drawn skills under ids no earlier example used."""
    n = next(_run)
    return [g.model_copy(update={"id": f"g{n}-{i}"}) for i, g in enumerate(good)], f"f{n}"


def _assert_landed(store: Store, good: list[Skill]) -> None:
    for g in good:
        got = store.get_skill(g.id)
        assert (got.name, got.description) == (g.name, g.description)


def _junk_line(value: Any, deep: int | None) -> str:
    if deep is not None:
        return _deep(deep)
    return json.dumps(value, ensure_ascii=False)


@FUZZ
@given(good=good_skills(), junk=st.lists(st.tuples(JUNK_JSON, st.none() | st.integers(33, 3_000)), max_size=6),
       raw=st.lists(TEXT.filter(lambda s: "\n" not in s), max_size=3), seed=st.randoms(use_true_random=False))
def test_ndjson_import_never_crashes_and_good_lines_land(shared: tuple[Store, Path], good: list[Skill], junk: list,
                                                         raw: list[str], seed: Any) -> None:
    (store, d), (good, name) = shared, _fresh(good)
    lines = [(json.dumps({"type": "skill", "data": g.model_dump()}, ensure_ascii=False), g) for g in good]
    lines += [(_junk_line(v, d), None) for v, d in junk] + [(r, None) for r in raw]
    seed.shuffle(lines)
    f = d / f"{name}.ndjson"
    f.write_text("\n".join(text for text, _ in lines), encoding="utf-8")
    rep = import_files(store, [f])
    good_lines = {n for n, (_, g) in enumerate(lines, start=1) if g is not None}
    assert not good_lines & {e.line for e in rep.rejected}
    assert all(1 <= e.line <= len(lines) for e in rep.rejected)
    _assert_landed(store, good)


@FUZZ
@given(good=good_skills(), junk=st.lists(st.tuples(JUNK_JSON, st.none() | st.integers(33, 3_000)), max_size=5),
       layout=st.sampled_from(["array", "sections"]), seed=st.randoms(use_true_random=False))
def test_json_import_never_crashes_and_good_records_land(shared: tuple[Store, Path], good: list[Skill], junk: list,
                                                         layout: str, seed: Any) -> None:
    (store, d), (good, name) = shared, _fresh(good)
    items = [(json.dumps(g.model_dump(), ensure_ascii=False), True) for g in good]
    items += [(_junk_line(v, d), False) for v, d in junk]
    seed.shuffle(items)
    body = ",\n".join(text for text, _ in items)
    text = f"[\n{body}\n]\n" if layout == "array" else f'{{"skills": [\n{body}\n], "extra": {_deep(50)}}}\n'
    f = d / name / "skills.json"
    f.parent.mkdir()
    f.write_text(text, encoding="utf-8")
    rep = import_files(store, [f])
    _assert_landed(store, good)
    assert all(e.line >= 1 for e in rep.rejected)


@FUZZ
@given(good=good_skills(), prefix=st.sampled_from(["[", '{"skills": [', "{", ""]), tail=TEXT)
def test_broken_json_files_report_an_error_not_a_traceback(shared: tuple[Store, Path], good: list[Skill], prefix: str,
                                                           tail: str) -> None:
    (store, d), (good, name) = shared, _fresh(good)
    body = ",".join(json.dumps(g.model_dump()) for g in good)
    f = d / name / "skills.json"
    f.parent.mkdir()
    f.write_text(prefix + body + "," + tail, encoding="utf-8")
    rep = import_files(store, [f])  # must not raise, whatever the tail
    assert all(e.line >= 1 and e.error for e in rep.rejected)


@FUZZ
@given(good=good_skills(), junk=st.lists(st.lists(TEXT, min_size=1, max_size=5), max_size=6),
       seed=st.randoms(use_true_random=False))
def test_csv_import_never_crashes_and_good_rows_land(shared: tuple[Store, Path], good: list[Skill],
                                                     junk: list[list[str]], seed: Any) -> None:
    (store, d), (good, name) = shared, _fresh(good)
    rows = [([g.id, g.name, g.description], True) for g in good] + [(j, False) for j in junk]
    seed.shuffle(rows)
    out = io.StringIO()
    writer = csv.writer(out)  # quotes cells holding ",", quotes, "\r" or "\n", as spreadsheets do
    writer.writerow(["id", "name", "description"])
    for cells, _ in rows:
        writer.writerow(cells)
    f = d / name / "skills.csv"
    f.parent.mkdir()
    f.write_bytes(out.getvalue().encode("utf-8"))
    rep = import_files(store, [f])
    for g in good:  # descriptions that are blank come back as the default ""
        got = store.get_skill(g.id)
        assert (got.name, got.description.strip()) == (g.name, g.description.strip())
    assert all(e.line >= 2 for e in rep.rejected)


@FUZZ
@given(text=st.text(max_size=400), suffix=st.sampled_from([".ndjson", ".json", ".csv"]),
       name=st.sampled_from(["batch", "skills", "employees", "roles"]))
def test_any_text_in_any_format_is_at_worst_rejected_lines(shared: tuple[Store, Path], text: str, suffix: str,
                                                           name: str) -> None:
    store, d = shared
    f = d / f"any-{next(_run)}" / f"{name}{suffix}"
    f.parent.mkdir()
    f.write_bytes(text.encode("utf-8", "surrogatepass"))
    rep = import_files(store, [f])
    assert all(e.line >= 0 and e.error for e in rep.rejected)
