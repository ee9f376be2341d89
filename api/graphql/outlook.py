"""A counted recognition target projected to its deadline from the expiry schedule.

projected = actual − at_risk × (1 − renewal rate) + entrants per year × years to the deadline

where at_risk is the holders on asOf whose every certificate of the counted kinds ends by
the deadline, the renewal rate is the share of the certificates that ended in the last
five years followed by a new one within a year (graph/reads/renewals.py; none ended: no
renewal is assumed), and entrants per year is the average number of first-time holders
of the last three years. Before the deadline and not yet met, the target is on track when
the projection meets it, else behind. Other targets keep the linear trend (assess.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from api.graphql.assess import Judgement, Point, Status, assess, deadline_day
from graph.reads.renewals import OUTLOOK_ENTRANT_YEARS

__all__ = ["Outlook", "on_schedule"]


@dataclass(frozen=True, slots=True)
class Outlook:
    at_risk: int
    renewal_rate: float | None
    entrants_per_year: float
    projected: float | None


def on_schedule(
    judged: Judgement,
    outlook: dict[str, Any] | None,
    *,
    comparator: str,
    target: float,
    deadline: int | None,
    as_of: date,
) -> tuple[Judgement, Outlook | None]:
    """The judgement with the schedule's projection (and the status it gives) in place of
    the linear one, and the outlook; unchanged without an outlook."""
    if not outlook:
        return judged, None
    ended, renewed = int(outlook["ended"]), int(outlook["renewed"])
    rate = renewed / ended if ended else None
    per_year = int(outlook["entrants"]) / OUTLOOK_ENTRANT_YEARS
    due = deadline_day(deadline)
    projected = None
    if judged.value is not None and due is not None:
        years = max((due - as_of).days / 365.25, 0.0)
        lapses = int(outlook["at_risk"]) * (1 - (rate or 0.0))
        projected = judged.value - lapses + per_year * years
    result = Outlook(int(outlook["at_risk"]), rate, per_year, projected)
    if projected is None or judged.status not in (Status.ON_TRACK, Status.BEHIND):
        return judged, result
    meets = assess([Point(as_of, projected)], comparator, target, None)[0] is Status.MET
    status = Status.ON_TRACK if meets else Status.BEHIND
    return replace(judged, status=status, projected=projected), result
