"""Strict JSON request bodies.

FastAPI validates bodies in pydantic's lax Python mode, which turns ``false`` into ``0``, ``"3"``
into ``3`` and ``0`` into ``False``. The API promises the documented JSON Schema types instead, so
bodies are parsed here, after authentication, exactly as the importers read records
(:mod:`engine.importers.strict`): integral numbers such as ``3.0`` are JSON Schema integers and
become ints, NaN / Infinity and nesting deeper than 32 levels are refused, and the rest is validated
with ``validate_json(strict=True)`` (strict JSON mode still reads ISO date-times from strings). The
body schemas are published under ``components`` by :mod:`service.openapi`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, TypeAdapter, ValidationError

from engine.importers.jsontext import TooDeep
from engine.importers.jsontext import loads as json_loads
from engine.importers.strict import validate_strict
from service.problems import UnsupportedMediaType

__all__ = ["body_openapi", "component_schemas", "json_body", "json_error", "validation_errors"]


def validation_errors(exc: ValidationError, *prefix: str | int) -> RequestValidationError:
    """A pydantic error as FastAPI's request validation error (input values left out)."""
    return RequestValidationError(
        [{**e, "loc": (*prefix, *e["loc"])} for e in exc.errors(include_url=False, include_input=False)]
    )


def json_body(tp: Any) -> Callable[[Request], Awaitable[Any]]:
    """Dependency: the request body parsed as JSON and validated strictly against ``tp``."""
    adapter: TypeAdapter[Any] = TypeAdapter(tp)

    async def dependency(request: Request) -> Any:
        media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
            raise UnsupportedMediaType(f"send JSON (application/json), not {media or 'no content type'!r}")
        raw = await request.body()
        try:
            data = json_loads(raw)
        except TooDeep as exc:
            raise json_error(str(exc), "json_too_deep") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise json_error(f"JSON decode error: {exc}") from None
        try:
            return validate_strict(adapter, data)
        except ValidationError as exc:
            raise validation_errors(exc, "body") from None

    return dependency


def json_error(msg: str, type_: str = "json_invalid") -> RequestValidationError:
    return RequestValidationError([{"type": type_, "loc": ("body",), "msg": msg}])


def body_openapi(*models: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` declaring a required JSON body of one of ``models`` (see service.openapi)."""
    refs = [{"$ref": f"#/components/schemas/{m.__name__}"} for m in models]
    schema: dict[str, Any] = refs[0] if len(refs) == 1 else {"oneOf": refs}
    example = _example(models[0])
    content: dict[str, Any] = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"requestBody": {"required": True, "content": {"application/json": content}}}


def _example(model: type[BaseModel]) -> Any:
    examples = model.model_json_schema().get("examples")
    return examples[0] if examples else None


def component_schemas(models: Sequence[type[BaseModel]]) -> dict[str, Any]:
    """JSON schemas of body models (and everything they use), keyed by component name."""
    from pydantic.json_schema import models_json_schema

    _, top = models_json_schema([(m, "validation") for m in models], ref_template="#/components/schemas/{model}")
    return dict(top.get("$defs", {}))
