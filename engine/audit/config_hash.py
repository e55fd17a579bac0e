"""A fingerprint of the scoring configuration, so each logged answer says which rules made it.

The configuration is read from the scoring modules themselves (weights, thresholds, scales), so a
change to any of them changes the hash of every later decision; an auditor comparing two periods
sees whether the rules moved between them.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

__all__ = ["config_hash", "scoring_config"]

# (module, names): module-level constants that decide scores, readiness and eligibility.
_SOURCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("engine.scoring", ("COST_SCALE_HOURS", "ROLE_SIM_SHARE", "WORDING_SHARE", "READY_NOW_HOURS",
                        "READY_NOW_COVERAGE", "READY_SOON_MONTHS", "READY_SOON_COVERAGE", "STRETCH_MONTHS",
                        "STRETCH_COVERAGE")),
    ("engine.catalog", ("DEFAULT_HOURS_PER_LEVEL",)),
    ("engine.shortlist", ("RECALL", "MAX_LEVEL_JUMP", "FINALIST_MARGIN")),
)


def _plain(value: Any) -> Any:
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return repr(value)


@cache
def _static() -> dict[str, Any]:
    import importlib

    out: dict[str, Any] = {}
    for module_name, names in _SOURCES:
        module = importlib.import_module(module_name)
        for name in names:
            if hasattr(module, name):  # tolerate renames: the hash then simply changes
                out[f"{module_name}.{name}"] = _plain(getattr(module, name))
    recommender = importlib.import_module("engine.recommender")
    out["engine.recommender.WEIGHTS"] = _plain(getattr(recommender, "WEIGHTS", None))
    return out


def scoring_config(hours_per_week: float) -> dict[str, Any]:
    """Every setting that shapes an answer, as plain JSON values."""
    return {**_static(), "learning_hours_per_week": float(hours_per_week)}


@cache
def config_hash(hours_per_week: float) -> str:
    """sha256 (first 16 hex digits) of :func:`scoring_config`, stable across processes."""
    payload = json.dumps(scoring_config(hours_per_week), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
