"""Progress toward a target: met, on track or behind, from a linear projection of the trend;
once its deadline has passed, met or missed as it stood on the deadline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["ABOUT_TOLERANCE", "Judgement", "Point", "Status", "assess", "deadline_day", "judge"]

# "About 16%" is met from 97.5% of the stated value up.
ABOUT_TOLERANCE = 0.025


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"  # the deadline has passed and the target was not met on it
    NO_DATA = "no_data"
    CONTRIBUTION = "contribution"  # an area's part of a larger area's target: not compared


@dataclass(frozen=True, slots=True)
class Point:
    day: date
    value: float | None


def _meets(value: float, comparator: str, target: float) -> bool:
    if comparator in ("<=", "<"):
        return value <= target if comparator == "<=" else value < target
    if comparator == ">":
        return value > target
    if comparator == "~":
        return value >= target * (1 - ABOUT_TOLERANCE)
    return value >= target  # ">=" and "=": a target is a minimum


def assess(
    trend: Sequence[Point], comparator: str, target: float, deadline: int | None
) -> tuple[Status, float | None, float | None]:
    """(status, progress = actual / target, value projected at the deadline)."""
    known = [p for p in trend if p.value is not None]
    if not known:
        return Status.NO_DATA, None, None
    actual = float(known[-1].value)  # type: ignore[arg-type]
    progress = actual / target if target else None
    if _meets(actual, comparator, target):
        return Status.MET, progress, actual
    if deadline is None or len(known) < 2:
        return Status.BEHIND, progress, None
    first, last = known[0], known[-1]
    years = (last.day - first.day).days / 365.25
    slope = (float(last.value) - float(first.value)) / years if years > 0 else 0.0  # type: ignore[arg-type]
    remaining = max((date(deadline, 12, 31) - last.day).days / 365.25, 0.0)
    projected = actual + slope * remaining
    status = (
        Status.ON_TRACK
        if remaining > 0 and _meets(projected, comparator, target)
        else Status.BEHIND
    )
    return status, progress, projected


@dataclass(frozen=True, slots=True)
class Judgement:
    status: Status
    progress: float | None  # the judged value / the target
    projected: float | None  # the value projected at the deadline (before it)
    judged_on: date  # the deadline once it has passed, else the as-of date
    value: float | None  # the value the status is judged by (on judged_on)


def _share(value: float | None, target: float) -> float | None:
    return value / target if value is not None and target else None


def deadline_day(deadline: int | None) -> date | None:
    """A target's deadline year as the day it ends on (31 December)."""
    return date(int(deadline), 12, 31) if deadline is not None else None


def judge(
    trend: Sequence[Point],
    comparator: str,
    target: float,
    deadline: int | None,
    *,
    as_of: date,
    at_deadline: float | None = None,
    contribution: bool = False,
) -> Judgement:
    """The status of a target on ``as_of`` (the last point of ``trend``).

    An area's contribution to a larger area's target is not judged against it (progress is
    its share of the target). A deadline that has passed on ``as_of`` is judged by the value
    on the deadline (``at_deadline``): met or missed, no data without one. Before it, no
    value on ``as_of`` (a day after the data) is no data; else :func:`assess` decides.
    """
    current = trend[-1].value if trend and trend[-1].day == as_of else None
    if contribution:
        return Judgement(Status.CONTRIBUTION, _share(current, target), None, as_of, current)
    end = deadline_day(deadline)
    if end is not None and end < as_of:
        if at_deadline is None:
            return Judgement(Status.NO_DATA, None, None, end, None)
        met = _meets(at_deadline, comparator, target)
        return Judgement(
            Status.MET if met else Status.MISSED,
            _share(at_deadline, target),
            None,
            end,
            at_deadline,
        )
    if current is None:
        return Judgement(Status.NO_DATA, None, None, as_of, None)
    status, progress, projected = assess(trend, comparator, target, deadline)
    return Judgement(status, progress, projected, as_of, current)
