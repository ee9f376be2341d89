"""Progress toward a target: met, on track or behind, from a linear projection of the trend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["ABOUT_TOLERANCE", "Point", "Status", "assess"]

# "About 16%" is met from 97.5% of the stated value up.
ABOUT_TOLERANCE = 0.025


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NO_DATA = "no_data"


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
