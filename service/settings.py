"""Service settings: environment (prefix ``SKILLGRAPH_``) over defaults; the CLI passes flags in."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from engine.config import DEFAULT_DB_URL, DEFAULT_HOME, Config

__all__ = ["HARD_MAX_LIMIT", "MAX_ITEMS", "Settings"]

HARD_MAX_LIMIT = 100  # no setting can raise a page / result size above this
MAX_ITEMS = 100  # longest array accepted in a request body (texts, titles)
MiB = 1024 * 1024


class Settings(BaseSettings):
    """Everything the HTTP app reads at start-up. ``Settings()`` reads the environment."""

    model_config = SettingsConfigDict(env_prefix="SKILLGRAPH_", extra="ignore")

    database_url: str = Field(DEFAULT_DB_URL, description="store URL (sqlite:///... or postgresql+psycopg://...)")
    home: Path = Field(Path(DEFAULT_HOME), description="index / data directory")
    model: str | None = Field(None, description="embedding model directory; None = bundled MiniLM")
    learning_hours_per_week: float = Field(4.0, gt=0)
    max_body_bytes: int = Field(1 * MiB, ge=1024, description="largest JSON request body (413 above)")
    max_import_bytes: int = Field(32 * MiB, ge=1024, description="largest POST /v1/import body (413 above)")
    rate_limit_per_minute: int = Field(600, ge=0, description="requests per minute per API key; 0 = unlimited")
    rate_limit_burst: int | None = Field(None, ge=1, description="bucket size; default = rate_limit_per_minute")
    anonymous_rate_limit_per_minute: int = Field(
        60, ge=0, description="requests without a valid API key per minute per client address; 0 = unlimited"
    )
    max_limit: int = Field(HARD_MAX_LIMIT, ge=1, le=HARD_MAX_LIMIT, description="largest `limit` accepted")
    load_on_startup: bool = Field(True, description="load / build the indexes when the app starts")
    web_session_hours: float = Field(8.0, gt=0, le=24 * 30, description="web app sign-in lifetime (hours)")

    def to_config(self) -> Config:
        return Config(
            db_url=self.database_url,
            home=Path(self.home),
            model=self.model,
            learning_hours_per_week=self.learning_hours_per_week,
        )

    @classmethod
    def from_config(cls, config: Config, **overrides: object) -> Settings:
        """Settings from the environment, with the engine config (CLI flags already applied) on top."""
        values: dict[str, object] = {
            "database_url": config.db_url,
            "home": config.home,
            "model": config.model,
            "learning_hours_per_week": config.learning_hours_per_week,
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
