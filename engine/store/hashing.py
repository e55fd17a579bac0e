"""Content hashes of records: equal records hash equal, so re-imports of equal data write nothing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel

__all__ = ["content_hash"]


def content_hash(record: BaseModel) -> str:
    payload = json.dumps(_canonical(record.model_dump(mode="json")), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _canonical(value: Any) -> Any:
    # Lists of per-skill entries (skills, requirements, skills taught) are sets keyed by skill id:
    # the store loads them sorted, so a record read back (GET, then PUT) must hash as it was written.
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        if items and all(isinstance(v, dict) and isinstance(v.get("skill_id"), str) for v in items):
            items.sort(key=lambda v: v["skill_id"])
        return items
    return value
