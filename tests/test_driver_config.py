"""The web app's driver gives up retrying early enough to say "unavailable" in time."""

from __future__ import annotations

import itertools

import pytest
from neo4j._conf import WorkspaceConfig  # the retry defaults live here

from graph.driver import api_driver_config


def _latest_answer(
    config: dict[str, object], jitter: float = 0.2, multiplier: float = 2.0
) -> float:
    """The latest moment (seconds after the first failed attempt, attempts themselves taken
    as instant) the driver's managed-transaction loop gives up, over every jitter: it
    checks the elapsed time against max_transaction_retry_time before each wait, and
    waits initial * multiplier**n * (1 +- jitter)."""
    limit = float(config["max_transaction_retry_time"])  # type: ignore[arg-type]
    initial = float(config["initial_retry_delay"])  # type: ignore[arg-type]
    latest = 0.0
    for signs in itertools.product((1 - jitter, 1 + jitter), repeat=12):
        t, delay = 0.0, initial
        for sign in signs:
            if t > limit:
                break
            t += delay * sign
            delay *= multiplier
        latest = max(latest, t)
    return latest


def test_the_driver_backs_off_as_the_schedule_assumes() -> None:
    # the driver's own defaults (not set by api_driver_config): doubling, +-20%
    work = WorkspaceConfig()  # type: ignore[no-untyped-call]
    assert (work.retry_delay_multiplier, work.retry_delay_jitter_factor) == (2.0, 0.2)


@pytest.mark.parametrize("deadline", [0.5, 1.0, 3.0, 10.0, 30.0])
def test_retries_end_well_before_the_request_deadline(deadline: float) -> None:
    # a quarter of the deadline left for the attempts themselves and the answer
    assert _latest_answer(api_driver_config(deadline)) <= 0.75 * deadline


def test_half_of_the_deadline_as_retry_time_could_end_past_it() -> None:
    # the configuration the web app had: its last wait could end at the deadline itself
    config = {**api_driver_config(3.0), "max_transaction_retry_time": 1.5}
    assert _latest_answer(config) >= 3.0
