"""Per-process request accounting: token buckets (rate) and in-flight counters (concurrency).

Both live in memory in one worker process: with N uvicorn workers a client gets N times the
rate. They are plain objects, used from the event loop only (no locks needed).
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator

from api.errors import LimitError

__all__ = ["InFlight", "TokenBuckets"]

MAX_KEYS = 100_000  # buckets kept at most; idle (full) ones are dropped first


class TokenBuckets:
    """``rate`` requests a second per key, up to ``burst`` at once."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst, self.clock = rate, float(burst), clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)

    def take(self, key: str) -> None:
        """Spend one token of ``key``'s bucket; LimitError 429 (with Retry-After) when empty."""
        now = self.clock()
        tokens, when = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - when) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            wait = max(1, math.ceil((1.0 - tokens) / self.rate))
            raise LimitError(429, f"too many requests; retry in {wait}s", retry_after=wait)
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > MAX_KEYS:
            self._prune(now)

    def _prune(self, now: float) -> None:
        full = [k for k, (t, w) in self._buckets.items() if t + (now - w) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) > MAX_KEYS:  # a flood of distinct keys: forget the oldest half
            by_age = sorted(self._buckets, key=lambda k: self._buckets[k][1])
            for key in by_age[: len(by_age) // 2]:
                del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)


class InFlight:
    """Requests in progress, in all (``total``) and per client address (``per_client``)."""

    def __init__(self, total: int, per_client: int) -> None:
        self.total, self.per_client = total, per_client
        self.count = 0
        self._by_client: dict[str, int] = {}

    @contextlib.contextmanager
    def hold(self, client: str) -> Iterator[None]:
        """One request of ``client`` in progress; 429 over its share, 503 over the total."""
        mine = self._by_client.get(client, 0)
        if mine >= self.per_client:
            raise LimitError(429, "too many requests at once from this address", retry_after=1)
        if self.count >= self.total:
            raise LimitError(503, "the server is busy; retry shortly", retry_after=1)
        self.count += 1
        self._by_client[client] = mine + 1
        try:
            yield
        finally:
            self.count -= 1
            left = self._by_client[client] - 1
            if left:
                self._by_client[client] = left
            else:
                del self._by_client[client]
