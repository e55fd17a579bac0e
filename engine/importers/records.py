"""Reading record files (JSON, NDJSON, CSV) into validated domain records, with line numbers.

Formats (documented in the README):
- NDJSON: one ``{"type": "role", "data": {...}}`` per line (the HTTP import format). In a file named
  after a type (``roles.ndjson``) bare objects are accepted too.
- JSON: an array of such records, or an object ``{"skills": [...], "roles": [...], ...}``.
- CSV: one type per file, from a ``type`` column or the file name (``employees.csv``); list cells use
  ``;`` and pairs use ``:`` (``requirements = "python:3:0.8;sql:2"``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.models import ENTITY_TYPES

__all__ = ["ParsedRecord", "RecordError", "format_validation_error", "parse_file", "parse_ndjson_text", "to_record"]

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


def to_record(type_name: Any, data: Any) -> BaseModel:
    """Validate one record; raises ValueError with a readable message."""
    kind = _TYPE_NAMES.get(str(type_name)) if isinstance(type_name, str) else None
    if kind is None:
        raise ValueError(f"unknown record type {type_name!r} (expected one of {', '.join(ENTITY_TYPES)})")
    if not isinstance(data, dict):
        raise ValueError(f"'data' of a {kind} record must be an object")
    try:
        return ENTITY_TYPES[kind].model_validate(data)
    except ValidationError as exc:
        ident = data.get("id")
        prefix = f"{kind} {ident!r}: " if isinstance(ident, str) else f"{kind}: "
        raise ValueError(prefix + format_validation_error(exc)) from None


def _type_from_name(path: Path) -> str | None:
    return _TYPE_NAMES.get(path.stem.lower())


def _envelope(obj: Any, default_type: str | None) -> BaseModel:
    if isinstance(obj, dict) and "type" in obj and "data" in obj and set(obj) <= {"type", "data"}:
        return to_record(obj["type"], obj["data"])
    if default_type is not None:
        return to_record(default_type, obj)
    raise ValueError('expected {"type": ..., "data": {...}}')


def parse_ndjson_text(text: str, file: str, default_type: str | None = None) -> Iterator[ParsedRecord | RecordError]:
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RecordError(file, n, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        try:
            yield ParsedRecord(file, n, _envelope(obj, default_type))
        except ValueError as exc:
            yield RecordError(file, n, str(exc))


def _json_array_items(text: str, start: int) -> Iterator[tuple[int, Any]]:
    """Yield (offset, value) of each element of the JSON array starting at text[start] == '['."""
    dec = json.JSONDecoder()
    i = start + 1
    n = len(text)
    while True:
        while i < n and text[i] in " \t\r\n,":
            i += 1
        if i >= n:
            raise json.JSONDecodeError("unterminated array", text, i)
        if text[i] == "]":
            return
        value, end = dec.raw_decode(text, i)
        yield i, value
        i = end


def _parse_json(text: str, file: str, default_type: str | None) -> Iterator[ParsedRecord | RecordError]:
    def line_of(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    stripped = text.lstrip()
    if not stripped:
        return
    offset = len(text) - len(stripped)
    try:
        if stripped[0] == "[":
            groups: list[tuple[str | None, int]] = [(default_type, offset)]
        elif stripped[0] == "{":
            # {"skills": [...], ...}: find each array with its offset by decoding key by key.
            obj = json.loads(text)
            groups = []
            for key in obj:
                kind = _TYPE_NAMES.get(key)
                if kind is None:
                    yield RecordError(file, 1, f"unknown section {key!r} (expected e.g. 'skills', 'roles')")
                    continue
                pos = text.find(json.dumps(key), offset)
                arr = text.find("[", pos)
                groups.append((kind, arr))
        else:
            yield RecordError(file, line_of(offset), "expected a JSON array or object")
            return
        for kind, start in groups:
            for off, value in _json_array_items(text, start):
                try:
                    yield ParsedRecord(file, line_of(off), _envelope(value, kind))
                except ValueError as exc:
                    yield RecordError(file, line_of(off), str(exc))
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
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        return
    if "type" not in reader.fieldnames and default_type is None:
        yield RecordError(file, 1, "CSV needs a 'type' column or a file name like roles.csv / employees.csv")
        return
    for row in reader:
        line = reader.line_num
        if None in row:
            yield RecordError(file, line, "more cells than header columns")
            continue
        kind = _TYPE_NAMES.get((row.get("type") or "").strip()) or default_type
        try:
            if kind is None:
                raise ValueError(f"unknown record type {row.get('type')!r}")
            yield ParsedRecord(file, line, to_record(kind, _csv_row(kind, row)))
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
        text = path.read_text(encoding="utf-8-sig")
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
