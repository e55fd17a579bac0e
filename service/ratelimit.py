"""Token buckets per key or client address (in memory, per process)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """``per_minute`` requests per minute per key, bursts up to ``burst``; 0 per minute = unlimited."""

    def __init__(
        self, per_minute: int, burst: int | None = None, *, clock: Callable[[], float] = time.monotonic,
        max_buckets: int = 100_000,
    ) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(burst or per_minute)
        self.max_buckets = max_buckets
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill time)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def hit(self, key: str) -> float:
        """Take one token. Returns 0 when allowed, else the seconds until a token is available."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            if len(self._buckets) >= self.max_buckets and key not in self._buckets:
                self._prune(now)
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        # Memory stays bounded however many addresses show up: full buckets are the same as
        # absent ones; if that is not enough (a flood of fresh addresses), start over.
        self._buckets = {
            k: (tok, last) for k, (tok, last) in self._buckets.items()
            if tok + (now - last) * self.rate < self.capacity
        }
        if len(self._buckets) >= self.max_buckets:
            self._buckets.clear()

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
