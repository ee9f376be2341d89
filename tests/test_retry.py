"""graph.retry's policy on a clock of the test's own: an outage has one budget for all the
batches of a writer, a transient error one per batch, and the rest are raised at once. The
real server dying mid-load is tests/test_database_down.py's."""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j.exceptions import (
    ClientError,
    IncompleteCommit,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph.retry import Outage, backoff, with_retries


class Clock:
    """Time that passes only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def failing(errors: list[Exception], then: str = "ok") -> Callable[[], str]:
    """An attempt that raises each of ``errors`` in turn, then returns ``then``."""
    queue = list(errors)

    def attempt() -> str:
        if queue:
            raise queue.pop(0)
        return then

    return attempt


def test_a_short_outage_is_ridden_out_and_the_clock_stops_when_a_batch_commits() -> None:
    clock = Clock()
    outage = Outage(10.0, clock)
    attempt = failing([ServiceUnavailable("refused"), SessionExpired("dropped")])
    assert with_retries(attempt, outage, sleep=clock.sleep, clock=clock) == "ok"
    assert len(clock.sleeps) == 2
    clock.now += 100  # long after: a new outage has a whole budget again
    assert outage.seen() == 10.0


def test_an_outage_stops_within_its_budget_however_many_batches_wait_on_it() -> None:
    clock = Clock()
    outage = Outage(10.0, clock)
    down = [ServiceUnavailable("refused")] * 100
    with pytest.raises(ServiceUnavailable):
        with_retries(failing(down), outage, sleep=clock.sleep, clock=clock)
    assert 10.0 <= clock.now <= 10.0 + 1e-9  # the last wait is cut to what was left
    # a second batch of the same writer, failing after the first gave up: no waiting at all
    before = clock.now
    with pytest.raises(ServiceUnavailable):
        with_retries(failing(down), outage, sleep=clock.sleep, clock=clock)
    assert clock.now == before


def test_a_commit_of_unknown_outcome_and_a_client_error_are_not_retried() -> None:
    clock = Clock()
    for error in (IncompleteCommit("lost during commit"), ClientError("bad query")):
        with pytest.raises(type(error)):
            with_retries(failing([error]), Outage(10.0, clock), sleep=clock.sleep, clock=clock)
    assert clock.sleeps == []


def test_lock_conflicts_are_retried_per_batch_for_their_own_budget() -> None:
    clock = Clock()
    outage = Outage(10.0, clock)
    attempt = failing([TransientError("deadlock")] * 3)
    assert with_retries(attempt, outage, 10.0, sleep=clock.sleep, clock=clock) == "ok"
    endless = failing([TransientError("deadlock")] * 100)
    start = clock.now
    with pytest.raises(TransientError):
        with_retries(endless, outage, 10.0, sleep=clock.sleep, clock=clock)
    # waits of 1, 2, 4, 8 s (each within 20 %): the one that crosses 10 s is the last
    assert 10.0 < clock.now - start <= (1 + 2 + 4 + 8) * 1.2


@given(st.floats(0.1, 5.0), st.floats(1.5, 3.0), st.floats(0.0, 0.5))
def test_backoff_grows_by_its_factor_within_its_jitter(
    first: float, factor: float, jitter: float
) -> None:
    for i, delay in enumerate(islice(backoff(first, factor, jitter), 8)):
        nominal = first * factor**i
        assert nominal * (1 - jitter) - 1e-9 <= delay <= nominal * (1 + jitter) + 1e-9


def test_waits_after_an_outage_do_not_lengthen_a_lock_conflicts() -> None:
    clock = Clock()
    down = [ServiceUnavailable("refused")] * 3
    attempt = failing([*down, TransientError("deadlock")])
    assert with_retries(attempt, Outage(10.0, clock), sleep=clock.sleep, clock=clock) == "ok"
    # the outage's waits grew 1, 2, 4 s; the conflict's first wait starts again at 1 s
    assert clock.sleeps[2] >= 4 * 0.8 and clock.sleeps[3] <= 1 * 1.2
