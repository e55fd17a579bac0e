"""Engine configuration: flags override environment, environment overrides defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_DB_URL", "DEFAULT_HOME", "Config"]

DEFAULT_DB_URL = "sqlite:///./skillgraph.db"
DEFAULT_HOME = "./.skillgraph"


@dataclass(frozen=True)
class Config:
    db_url: str = DEFAULT_DB_URL
    home: Path = Path(DEFAULT_HOME)
    model: str | None = None  # None = the bundled all-MiniLM-L6-v2
    learning_hours_per_week: float = 4.0  # pace used for est_months

    @classmethod
    def resolve(cls, *, db: str | None = None, home: str | Path | None = None, model: str | None = None) -> Config:
        env = os.environ
        return cls(
            db_url=db or env.get("SKILLGRAPH_DATABASE_URL") or DEFAULT_DB_URL,
            home=Path(home or env.get("SKILLGRAPH_HOME") or DEFAULT_HOME),
            model=model or env.get("SKILLGRAPH_MODEL") or None,
            learning_hours_per_week=float(env.get("SKILLGRAPH_LEARNING_HOURS_PER_WEEK") or 4.0),
        )
