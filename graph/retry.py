"""How a writer's batches are retried, and when they stop.

Two kinds of failure are retried, each with its own budget:

- a transient error of the server (a lock conflict between concurrent batches, say): per
  batch, for up to ``transient_budget`` seconds, with the driver's usual backoff;
- the server out of reach (stopped, killed, a dropped connection): one clock for all of the
  writer's batches (an :class:`Outage`). The first batch that fails to reach the server
  starts it, any batch that commits stops it, and once it has run ``budget`` seconds every
  batch gives up at its next turn, its wait cut to what is left.

So a load whose server dies stops after the outage budget and one more attempt, however many
batches were in flight; the driver's own retries (per batch, each with its own clock, the last
wait up to twice the budget) stopped anywhere from the budget to three times it.

A commit whose outcome is unknown (:class:`~neo4j.exceptions.IncompleteCommit`) and any error
the server does not call transient are raised at once.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from threading import Lock
from typing import TypeVar

from neo4j.exceptions import (
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

__all__ = ["Outage", "backoff", "with_retries"]

T = TypeVar("T")

OUTAGE_BUDGET = 10.0  # seconds without the server before a load stops
TRANSIENT_BUDGET = 10.0  # seconds one batch keeps retrying lock conflicts


def backoff(first: float = 1.0, factor: float = 2.0, jitter: float = 0.2) -> Iterator[float]:
    """Waits growing by ``factor``, each within ``jitter`` of its nominal value (so that
    batches in conflict do not retry in step)."""
    delay = first
    while True:
        yield delay * (1 - jitter + 2 * jitter * random.random())
        delay *= factor


class Outage:
    """The server's unreachability as all the batches of one writer see it (thread-safe)."""

    def __init__(
        self, budget: float = OUTAGE_BUDGET, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.budget = budget
        self._clock = clock
        self._since: float | None = None
        self._lock = Lock()

    def seen(self) -> float:
        """A batch failed to reach the server: start the clock unless it runs; the seconds
        left of the budget (0 or less: give up)."""
        with self._lock:
            now = self._clock()
            if self._since is None:
                self._since = now
            return self.budget - (now - self._since)

    def cleared(self) -> None:
        """A batch committed: the server is back."""
        with self._lock:
            self._since = None


def with_retries(
    attempt: Callable[[], T],
    outage: Outage,
    transient_budget: float = TRANSIENT_BUDGET,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """``attempt()`` until it returns, retrying as the module says; the last error raised."""
    # one backoff per kind: waits after an outage do not lengthen a lock conflict's
    outage_delays, transient_delays = backoff(), backoff()
    transient_since: float | None = None
    while True:
        try:
            result = attempt()
        except IncompleteCommit:
            raise  # committed or not: only a re-run (idempotent) can tell
        except (ServiceUnavailable, SessionExpired):
            left = outage.seen()
            if left <= 0:
                raise
            sleep(min(next(outage_delays), left))
            continue
        except (Neo4jError, DriverError) as e:
            if not e.is_retryable():
                raise
            now = clock()
            transient_since = now if transient_since is None else transient_since
            if now - transient_since > transient_budget:
                raise
            sleep(next(transient_delays))
            continue
        outage.cleared()
        return result
