"""The checks of a reported figure: an indicator of the ledger's vocabulary that the registry
does not count itself, in that indicator's own unit, a value in its range, an area that exists.

Each refusal is an :class:`~api.errors.EditRefusedError` whose message names the field, the
value and what would do, with a stable code (UNKNOWN_INDICATOR, INDICATOR_COUNTED, WRONG_UNIT,
OUT_OF_RANGE, INVALID_DATE; an unknown area UNKNOWN_VALUE).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from api.errors import EditRefusedError, UnknownValueError
from api.graphql.wording import in_words
from loaders.vocabulary import Indicator, vocabulary

__all__ = ["REPORTABLE", "check_area", "check_as_of", "check_value", "reported_indicator"]

# The indicators a figure may be reported for: those the registry does not count itself.
REPORTABLE = tuple(k for k, i in vocabulary().indicators.items() if not i.countable)

# How each unit is checked, and said in words.
_UNIT_RANGE = {"%": (0.0, 100.0), "count": (0.0, None)}


def _find(given: str) -> Indicator | None:
    """The indicator named by its key or by its Chinese or English label (case and spaces
    aside), so "non-fossil energy share" is ``non_fossil_share``."""
    wanted = " ".join(given.split()).casefold()
    for indicator in vocabulary().indicators.values():
        if wanted in (indicator.key.casefold(), indicator.zh.casefold(), indicator.en.casefold()):
            return indicator
    return None


def reported_indicator(given: str) -> Indicator:
    """The indicator a figure is reported for; refused when unknown or counted by the registry."""
    indicator = _find(given)
    if indicator is None:
        raise EditRefusedError(
            f"indicator: {given!r} is not an indicator of the ledger; a figure can be reported "
            f"for {in_words(REPORTABLE)}",
            "UNKNOWN_INDICATOR",
        )
    if indicator.countable:
        raise EditRefusedError(
            f"indicator: {indicator.key} ({indicator.en}) is counted by the registry from its "
            "lists, so a reported figure would contradict the count; a figure can be reported "
            f"for {in_words(REPORTABLE)}",
            "INDICATOR_COUNTED",
        )
    return indicator


def check_value(indicator: Indicator, value: float, unit: str) -> None:
    """The unit is the indicator's own and the value is in its range."""
    if unit.strip() != indicator.unit:
        example = "15 for 15 %" if indicator.unit == "%" else "a whole number, e.g. 12"
        raise EditRefusedError(
            f"unit: {unit!r} is not the unit of {indicator.key}; give the value in "
            f"{indicator.unit!r} ({example})",
            "WRONG_UNIT",
        )
    low, high = _UNIT_RANGE.get(indicator.unit, (None, None))
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise EditRefusedError(
            f"value: {value:g} {indicator.unit} is out of range for {indicator.key}; "
            f"a value in {indicator.unit!r} is {span}",
            "OUT_OF_RANGE",
        )
    if indicator.unit == "count" and not float(value).is_integer():
        raise EditRefusedError(
            f"value: {value:g} is not a whole number; {indicator.key} is a count",
            "OUT_OF_RANGE",
        )


def check_area(area: str | None, known: Collection[str]) -> None:
    """The area is one of the registry's (none: the whole district); else UNKNOWN_VALUE, as
    every argument naming an area (api/graphql/arguments.py)."""
    if area is not None and area not in known:
        raise UnknownValueError("area", area, sorted(known))


def check_as_of(as_of: date, today: date) -> None:
    """A figure states what was, not what will be: its date is not in the future."""
    if as_of > today:
        raise EditRefusedError(
            f"asOf: {as_of} is in the future; a reported figure is dated on the day it "
            "describes, on or before today",
            "INVALID_DATE",
        )
