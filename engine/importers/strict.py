"""One validation mode for every way in: strict JSON-mode validation.

Pydantic's lax mode turns ``"12"`` into 12, ``true`` into 1 and ``0`` into False; the API promises
the documented JSON types instead, for PUT bodies and imports alike. Strict JSON mode still reads
ISO dates and date-times from strings. Integral numbers such as ``3.0`` are JSON Schema integers
and become ints first. CSV cells are text by nature: :func:`typed_cells` converts the typed
columns explicitly (and names the field when a cell is not a number or a boolean).
"""

from __future__ import annotations

import json
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter

__all__ = ["integral", "typed_cells", "validate_strict"]


def integral(value: Any) -> Any:
    """3.0 -> 3, recursively (callers bound the nesting first: engine.importers.jsontext)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [integral(v) for v in value]
    if isinstance(value, dict):
        return {k: integral(v) for k, v in value.items()}
    return value


def validate_strict(tp: type[BaseModel] | TypeAdapter[Any], data: Any) -> Any:
    """Validate decoded JSON strictly; raises pydantic.ValidationError."""
    text = json.dumps(integral(data))
    if isinstance(tp, TypeAdapter):
        return tp.validate_json(text, strict=True)
    return tp.model_validate_json(text, strict=True)


# -- CSV cells --------------------------------------------------------------------------------------
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_BOOLS = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}


def _base(annotation: Any) -> Any:
    """int for ``int | None``, ``Annotated[int, ...]`` and the like; list[X] stays a list."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _cell(value: str, tp: Any, where: str) -> Any:
    text = value.strip()
    if tp is bool:
        if text.lower() in _BOOLS:
            return _BOOLS[text.lower()]
        raise ValueError(f"field '{where}': expected true or false, got {value!r}")
    if tp is int:
        if _INT.fullmatch(text):
            return int(text)
        raise ValueError(f"field '{where}': expected an integer, got {value!r}")
    if tp is float:
        if _FLOAT.fullmatch(text):
            return float(text)
        raise ValueError(f"field '{where}': expected a number, got {value!r}")
    return value


def typed_cells(model: type[BaseModel], data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Text cells of ``data`` converted to the int / float / bool the model's fields declare.

    Nested objects and lists of objects (``requirements``, ``skills``, ``mobility``) are converted
    by their own models; unknown fields are left for validation to reject.
    """
    out = dict(data)
    for name, value in data.items():
        field = model.model_fields.get(name)
        if field is None:
            continue
        tp = _base(field.annotation)
        where = f"{prefix}{name}"
        if isinstance(value, str):
            out[name] = _cell(value, tp, where)
        elif isinstance(value, dict) and isinstance(tp, type) and issubclass(tp, BaseModel):
            out[name] = typed_cells(tp, value, f"{where}.")
        elif isinstance(value, list) and typing.get_origin(tp) is list:
            item = _base(typing.get_args(tp)[0]) if typing.get_args(tp) else Any
            out[name] = [
                typed_cells(item, v, f"{where}.{i}.")
                if isinstance(v, dict) and isinstance(item, type) and issubclass(item, BaseModel)
                else _cell(v, item, f"{where}.{i}") if isinstance(v, str)
                else v
                for i, v in enumerate(value)
            ]
    return out
