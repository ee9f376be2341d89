"""Reading maintained count cells the way graph.reads.counted.bucket_count sums them, for
the tally tests."""

from __future__ import annotations

from collections import Counter
from datetime import date


def count_on(cells: Counter[str], bucket: str, day: date) -> int:
    """A bucket's count on ``day``: the year cells before its year, the month cells of its
    year before its month, the day cells of its month up to it."""
    total = 0
    y0, m0 = date(day.year, 1, 1), date(day.year, day.month, 1)
    for key, n in cells.items():
        cell, when = key.rsplit("|", 1)
        b, grain = cell.rsplit("|", 1)
        d = date.fromisoformat(when)
        if b == bucket and (
            (grain == "Y" and d < y0)
            or (grain == "M" and y0 <= d < m0)
            or (grain == "D" and m0 <= d <= day)
        ):
            total += n
    return total
