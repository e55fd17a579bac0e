"""Bulk sync: NDJSON records in, an accepted count and per-line rejections out."""

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from engine.errors import InvalidInput
from engine.importers import import_parsed, parse_ndjson_text
from service.auth import Permission
from service.deps import EngineDep, auth
from service.problems import UnsupportedMediaType
from service.schemas import ImportResult
from service.settings import Settings

__all__ = ["NDJSON_TYPES", "router"]

NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")
EXAMPLE = (
    '{"type": "skill", "data": {"id": "python", "name": "Python"}}\n'
    '{"type": "employee", "data": {"id": "E0042", "display_name": "Ada",'
    ' "skills": [{"skill_id": "python", "level": 3}]}}\n'
)


def _import(engine: Any, text: str) -> dict[str, Any]:
    report = import_parsed(engine.store, parse_ndjson_text(text, "request"))
    if report.accepted:
        engine.refresh()
    return {
        "accepted": report.accepted, "created": report.created, "updated": report.updated,
        "unchanged": report.unchanged, "rejected": [{"line": e.line, "error": e.error} for e in report.rejected],
    }


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["sync"])

    @r.post(
        "/v1/import", response_model=ImportResult, summary="Import NDJSON records",
        description='One `{"type": "skill|role|employee|learning_item|transition", "data": {...}}` per line. '
        "Good records are committed in one transaction; bad ones are reported by line. Loaded indexes "
        "follow the writes incrementally; when none are loaded yet, a background build starts.",
        operation_id="import_records",
        openapi_extra={"requestBody": {"required": True, "content": {NDJSON_TYPES[0]: {
            "schema": {"description": "NDJSON text: one JSON record envelope per line"}, "example": EXAMPLE,
        }}}},
    )
    async def import_records(request: Request, _: auth(Permission.ORG_WRITE), engine: EngineDep) -> Any:  # type: ignore[valid-type]
        media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if media not in NDJSON_TYPES:
            raise UnsupportedMediaType(f"send the records as application/x-ndjson, not {media or 'no content type'!r}")
        raw = await request.body()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("the body is not UTF-8 text") from None
        result = await run_in_threadpool(_import, engine, text)
        if result["accepted"] and not engine.ready:
            request.app.state.jobs.start()  # first data into an empty service: build the indexes
        return result

    return r
