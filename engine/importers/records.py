"""Reading record files (JSON, NDJSON, CSV) into validated domain records, with line numbers.

Formats (documented in the README):
- NDJSON: one ``{"type": "role", "data": {...}}`` per line (the HTTP import format). In a file named
  after a type (``roles.ndjson``) bare objects are accepted too.
- JSON: an array of such records, or an object ``{"skills": [...], "roles": [...], ...}``.
- CSV: one type per file, from a ``type`` column or the file name (``employees.csv``); list cells use
  ``;`` and pairs use ``:`` (``requirements = "python:3:0.8;sql:2"``).

Every record is validated strictly, as PUT bodies are (:mod:`engine.importers.strict`); JSON nested
deeper than :data:`~engine.importers.jsontext.MAX_DEPTH` is one bad record, never a crash.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.importers.jsontext import TooDeep, skip_value, too_deep
from engine.importers.jsontext import loads as json_loads
from engine.importers.strict import typed_cells, validate_strict
from engine.models import ENTITY_TYPES

__all__ = [
    "ParsedRecord",
    "RecordError",
    "csv_record",
    "format_validation_error",
    "parse_file",
    "parse_ndjson_text",
    "to_record",
]

# Plural/collection names accepted for types (file names, JSON object keys).
_TYPE_NAMES = {
    **{k: k for k in ENTITY_TYPES},
    "skills": "skill",
    "roles": "role",
    "employees": "employee",
    "learning_items": "learning_item",
    "learning-items": "learning_item",
    "learning": "learning_item",
    "transitions": "transition",
    "openings": "opening",
    "opportunities": "opportunity",
    "opportunity_assignments": "opportunity_assignment",
    "opportunity-assignments": "opportunity_assignment",
    "assignments": "opportunity_assignment",
    "mentorships": "mentorship",
}


@dataclass(frozen=True)
class RecordError:
    file: str
    line: int
    error: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.error}"


@dataclass(frozen=True)
class ParsedRecord:
    file: str
    line: int
    record: BaseModel


def format_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        parts.append(f"field '{loc}': {msg}" if loc else msg)
    return "; ".join(parts)


def _kind(type_name: Any) -> str:
    kind = _TYPE_NAMES.get(type_name) if isinstance(type_name, str) else None
    if kind is None:
        shown = type_name if isinstance(type_name, str | int | float | None) else type(type_name).__name__
        raise ValueError(f"unknown record type {shown!r} (expected one of {', '.join(ENTITY_TYPES)})")
    return kind


def _prefix(kind: str, data: dict[str, Any]) -> str:
    ident = data.get("id")
    return f"{kind} {ident!r}: " if isinstance(ident, str) else f"{kind}: "


def to_record(type_name: Any, data: Any) -> BaseModel:
    """Validate one decoded JSON record strictly; raises ValueError with a readable message."""
    kind = _kind(type_name)
    if not isinstance(data, dict):
        raise ValueError(f"'data' of a {kind} record must be an object")
    try:
        return validate_strict(ENTITY_TYPES[kind], data)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise ValueError(_prefix(kind, data) + format_validation_error(exc)) from None


def csv_record(type_name: Any, data: dict[str, Any]) -> BaseModel:
    """A CSV row's cells (text) as a record: typed columns parsed explicitly, then strict validation."""
    kind = _kind(type_name)
    try:
        typed = typed_cells(ENTITY_TYPES[kind], data)
    except ValueError as exc:
        raise ValueError(_prefix(kind, data) + str(exc)) from None
    return to_record(kind, typed)


def _type_from_name(path: Path) -> str | None:
    return _TYPE_NAMES.get(path.stem.lower())


def _envelope(obj: Any, default_type: str | None) -> BaseModel:
    if isinstance(obj, dict) and "type" in obj and "data" in obj and set(obj) <= {"type", "data"}:
        return to_record(obj["type"], obj["data"])
    if default_type is not None:
        return to_record(default_type, obj)
    raise ValueError('expected {"type": ..., "data": {...}}')


def parse_ndjson_text(text: str, file: str, default_type: str | None = None) -> Iterator[ParsedRecord | RecordError]:
    # Lines end at "\n" only (a trailing "\r" is dropped): str.splitlines() would also split on
    # U+2028, U+0085 and friends, which are valid inside JSON strings.
    for n, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            obj = json_loads(line)
        except json.JSONDecodeError as exc:
            yield RecordError(file, n, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except ValueError as exc:  # nested too deep, NaN / Infinity
            yield RecordError(file, n, f"invalid JSON: {exc}")
            continue
        try:
            yield ParsedRecord(file, n, _envelope(obj, default_type))
        except ValueError as exc:
            yield RecordError(file, n, str(exc))


class _Lines:
    """Line number of an offset; offsets are asked for in increasing order, so count forward."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def __call__(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


class _Deep(Exception):
    def __init__(self, end: int) -> None:
        self.end = end


class _JsonReader:
    """Walks a JSON document value by value, so one bad record costs only itself."""

    WS = " \t\r\n"

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file, self.line_of = text, file, _Lines(text)
        self.constants: list[str] = []
        self.dec = json.JSONDecoder(parse_constant=self._constant)

    def _constant(self, name: str) -> None:
        self.constants.append(name)

    def ws(self, i: int) -> int:
        n, text = len(self.text), self.text
        while i < n and text[i] in self.WS:
            i += 1
        return i

    def expect(self, i: int, char: str, what: str) -> int:
        i = self.ws(i)
        if i >= len(self.text) or self.text[i] != char:
            raise json.JSONDecodeError(f"expected {what}", self.text, i)
        return self.ws(i + 1)

    def value(self, i: int) -> tuple[Any, int]:
        """One value at ``i``; _Deep(end) when it nests deeper than the limit."""
        try:
            value, end = self.dec.raw_decode(self.text, i)
        except RecursionError:
            raise _Deep(skip_value(self.text, i)) from None
        if self.text[i] in "[{" and too_deep(self.text, start=i, end=end):
            raise _Deep(end)
        return value, end

    def skip(self, i: int) -> int:
        try:
            return self.value(i)[1]
        except _Deep as deep:
            return deep.end

    def array(self, start: int, kind: str | None) -> Generator[ParsedRecord | RecordError, None, int]:
        """The records of the array at ``start`` ('['); returns the offset after its ']'."""
        i = self.ws(start + 1)
        first = True
        while True:
            if i >= len(self.text):
                raise json.JSONDecodeError("unterminated array", self.text, i)
            if self.text[i] == "]":
                return i + 1
            if not first:
                i = self.expect(i, ",", "',' or ']'")
            first = False
            line = self.line_of(i)
            self.constants.clear()
            try:
                value, end = self.value(i)
            except _Deep as deep:
                yield RecordError(self.file, line, f"invalid JSON: {TooDeep()}")
                i = self.ws(deep.end)
                continue
            i = self.ws(end)
            if self.constants:
                yield RecordError(self.file, line, f"invalid JSON: {self.constants[0]} is not a JSON number")
                continue
            try:
                yield ParsedRecord(self.file, line, _envelope(value, kind))
            except ValueError as exc:
                yield RecordError(self.file, line, str(exc))

    def sections(self, start: int) -> Generator[ParsedRecord | RecordError, None, int]:
        """``{"skills": [...], "roles": [...]}``: each section's records, in file order."""
        i = self.ws(start + 1)
        first = True
        while True:
            if i >= len(self.text):
                raise json.JSONDecodeError("unterminated object", self.text, i)
            if self.text[i] == "}":
                return i + 1
            if not first:
                i = self.expect(i, ",", "',' or '}'")
            first = False
            if self.text[i] != '"':
                raise json.JSONDecodeError("expected a section name", self.text, i)
            key, i = self.dec.raw_decode(self.text, i)
            i = self.expect(i, ":", "':'")
            kind = _TYPE_NAMES.get(key)
            if kind is None or i >= len(self.text) or self.text[i] != "[":
                why = (f"unknown section {key!r} (expected e.g. 'skills', 'roles')" if kind is None
                       else f"section {key!r} must be an array of records")
                yield RecordError(self.file, self.line_of(i), why)
                i = self.ws(self.skip(i))
                continue
            i = self.ws((yield from self.array(i, kind)))


def _parse_json(text: str, file: str, default_type: str | None) -> Iterator[ParsedRecord | RecordError]:
    reader = _JsonReader(text, file)
    i = reader.ws(0)
    if i >= len(text):
        return
    try:
        if text[i] == "[":
            end = yield from reader.array(i, default_type)
        elif text[i] == "{":
            end = yield from reader.sections(i)
        else:
            yield RecordError(file, reader.line_of(i), "expected a JSON array or object")
            return
        end = reader.ws(end)
        if end < len(text):
            raise json.JSONDecodeError("extra data after the document", text, end)
    except json.JSONDecodeError as exc:
        yield RecordError(file, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")


def _pairs(cell: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for part in cell.split(";"):
        part = part.strip()
        if not part:
            continue
        values = [v.strip() for v in part.split(":")]
        if len(values) > len(names):
            raise ValueError(f"'{part}' has more than {len(names)} ':'-separated parts ({':'.join(names)})")
        out.append(dict(zip(names, values, strict=False)))
    return out


def _csv_row(kind: str, row: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in row.items() if k and k != "type" and v not in (None, "")}
    lists = {"aliases", "next_role_ids"}
    for key in lists & data.keys():
        data[key] = [v.strip() for v in data[key].split(";") if v.strip()]
    if kind == "role" and "requirements" in data:
        data["requirements"] = _pairs(data["requirements"], ("skill_id", "level", "weight"))
    if kind == "employee":
        if "skills" in data:
            data["skills"] = _pairs(data["skills"], ("skill_id", "level"))
        prot = {k: data.pop(k) for k in ("sex", "race_ethnicity", "age_band") if k in data}
        if prot:
            data["protected"] = prot
        mob: dict[str, Any] = {}
        if "open_to_move" in data:
            mob["open_to_move"] = data.pop("open_to_move")
        if "preferred_families" in data:
            mob["families"] = [v.strip() for v in data.pop("preferred_families").split(";") if v.strip()]
        if mob:
            data["mobility"] = mob
    if kind in ("learning_item", "opportunity") and "skills" in data:
        data["skills"] = _pairs(data["skills"], ("skill_id", "to_level"))
    list_key = {"mentorship": "skill_ids", "opportunity": "families"}.get(kind)
    if list_key and list_key in data:
        data[list_key] = [v.strip() for v in data[list_key].split(";") if v.strip()]
    return data


def _parse_csv(text: str, file: str, default_type: str | None) -> Iterator[ParsedRecord | RecordError]:
    # csv.reader, not DictReader: a record's line is where it starts (quoted cells may span lines),
    # and a malformed row (csv.Error) costs only itself.
    reader = csv.reader(io.StringIO(text, newline=""))  # rows end at \n, \r\n or \r; cells keep theirs
    header: list[str] | None = None
    end = 0
    while True:
        line = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            yield RecordError(file, line, f"bad CSV row: {exc}")
            if header is None:
                return
            continue
        end = reader.line_num
        if not cells:
            continue
        if header is None:
            header = [h.strip() for h in cells]
            if "type" not in header and default_type is None:
                yield RecordError(file, line, "CSV needs a 'type' column or a file name like roles.csv / employees.csv")
                return
            continue
        if len(cells) > len(header):
            yield RecordError(file, line, "more cells than header columns")
            continue
        row = dict(zip(header, cells, strict=False))
        kind = _TYPE_NAMES.get((row.get("type") or "").strip()) or default_type
        try:
            if kind is None:
                raise ValueError(f"unknown record type {row.get('type')!r}")
            yield ParsedRecord(file, line, csv_record(kind, _csv_row(kind, row)))
        except ValueError as exc:
            yield RecordError(file, line, str(exc))


def parse_file(path: Path) -> Iterator[ParsedRecord | RecordError]:
    """Parse one file by extension; unreadable files give one RecordError at line 0."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in {".json", ".ndjson", ".jsonl", ".csv"}:
        yield RecordError(name, 0, f"unsupported file type '{suffix}' (use .json, .ndjson or .csv)")
        return
    try:
        # Bytes, then decode: text mode would turn a "\r" inside a quoted CSV cell into "\n".
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        yield RecordError(name, 0, f"cannot read file: {exc}")
        return
    default_type = _type_from_name(path)
    if suffix == ".csv":
        yield from _parse_csv(text, name, default_type)
    elif suffix == ".json":
        yield from _parse_json(text, name, default_type)
    else:
        yield from parse_ndjson_text(text, name, default_type)
