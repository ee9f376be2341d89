"""Dates in the forms official lists use."""

from __future__ import annotations

import re
from datetime import date

from loaders.normalize import clean_text

__all__ = ["find_date", "parse_date"]

_FORMS = (
    re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: str) -> date:
    """``2023-12-12``, ``2023年12月12日``, ``2023.12.12``, ``2023/12/12``, ``20231212``.

    Full-width digits are accepted. Raises ValueError naming the value otherwise.
    """
    text = clean_text(value)
    for form in _FORMS:
        m = form.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return date(y, mo, d)
            except ValueError as e:
                raise ValueError(f"{value!r} is not a calendar date ({e})") from e
    raise ValueError(
        f"{value!r} is not a date in a known form (2023-12-12, 2023年12月12日, 2023.12.12)"
    )


_IN_TEXT = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"|(\d{4})-(\d{1,2})-(\d{1,2})"
    r"|(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{1,2}),\s*(\d{4})"
)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def find_date(text: str) -> date | None:
    """The first calendar date written in ``text`` (2023年3月24日, 2023-03-24, March 24, 2023)."""
    for m in _IN_TEXT.finditer(clean_text(text)):
        g = m.groups()
        try:
            if g[0]:
                return date(int(g[0]), int(g[1]), int(g[2]))
            if g[3]:
                return date(int(g[3]), int(g[4]), int(g[5]))
            return date(int(g[8]), _MONTHS.index(g[6]) + 1, int(g[7]))
        except ValueError:
            continue
    return None
