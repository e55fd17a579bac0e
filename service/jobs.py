"""Background index rebuilds: one at a time, in a thread; the state is what GET /v1/index/status shows."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from engine.errors import SkillgraphError

__all__ = ["IndexJobs"]

log = logging.getLogger("skillgraph.index")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class IndexJobs:
    def __init__(self, engine: Any, on_done: Any = None) -> None:
        self.engine = engine
        self._on_done = on_done
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._status: dict[str, Any] = {"state": "idle", "started_at": None, "finished_at": None, "error": None}

    def status(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._status)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> dict[str, Any]:
        """Start a rebuild unless one is running; returns the job status either way."""
        with self._lock:
            if not self.running:
                self._status = {"state": "running", "started_at": _now(), "finished_at": None, "error": None}
                self._thread = threading.Thread(target=self._run, name="skillgraph-index-rebuild", daemon=True)
                self._thread.start()
            return dict(self._status)

    def _run(self) -> None:
        error: str | None = None
        try:
            self.engine.build_index()
        except SkillgraphError as exc:
            error = str(exc)
            log.error("index rebuild failed: %s", exc)
        except Exception:
            error = "internal error; the server log has details"
            log.exception("index rebuild failed")
        with self._lock:
            self._status.update(
                state="failed" if error else "succeeded", finished_at=_now(), error=error
            )
        if self._on_done is not None:
            self._on_done(error is None)

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
