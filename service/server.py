"""Running the app with uvicorn (``skillgraph serve``)."""

from __future__ import annotations

import logging
import os
import sys

from fastapi import FastAPI

from engine.config import Config
from service.app import create_app
from service.settings import Settings

__all__ = ["app_factory", "configure_logging", "serve", "uvicorn_options"]


def configure_logging(level: int = logging.INFO) -> None:
    """One line per record on stderr; access records are already JSON (logger skillgraph.access)."""
    root = logging.getLogger("skillgraph")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False


def app_factory() -> FastAPI:
    """Import-string factory for multi-worker runs: each worker reads the environment."""
    configure_logging()
    return create_app(Settings())


def _export(config: Config) -> None:
    # Worker processes build their app from the environment; pass the resolved config (flags) on.
    os.environ["SKILLGRAPH_DATABASE_URL"] = config.db_url
    os.environ["SKILLGRAPH_HOME"] = str(config.home)
    os.environ["SKILLGRAPH_LEARNING_HOURS_PER_WEEK"] = str(config.learning_hours_per_week)
    if config.model:
        os.environ["SKILLGRAPH_MODEL"] = config.model


def uvicorn_options(host: str, port: int) -> dict[str, object]:
    """How ``serve`` runs uvicorn (also used by tests that start a real server).

    proxy_headers: the client address comes from X-Forwarded-For only when the peer is a trusted
    proxy (uvicorn's FORWARDED_ALLOW_IPS, default 127.0.0.1 and ::1); rate limits for requests
    without a valid key are per that address. No ``server`` header; unreadable requests get
    problem+json (service.protocol).
    """
    from service.protocol import ProblemH11Protocol

    return {"host": host, "port": port, "access_log": False, "proxy_headers": True, "server_header": False,
            "http": ProblemH11Protocol}


def serve(config: Config, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve the API. Rate limits are per worker process (in-memory buckets)."""
    import uvicorn

    configure_logging()
    common = uvicorn_options(host, port)
    if workers <= 1:
        uvicorn.run(create_app(Settings.from_config(config)), **common)  # type: ignore[arg-type]
    else:
        _export(config)
        uvicorn.run("service.server:app_factory", factory=True, workers=workers, **common)  # type: ignore[arg-type]
