"""Dates in the forms official lists use."""

from __future__ import annotations

import re
from datetime import date

from loaders.normalize import clean_text

__all__ = ["parse_date"]

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
