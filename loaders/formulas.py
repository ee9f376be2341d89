"""Text a spreadsheet would run as a formula: ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return at the start of a cell (OWASP's CSV-injection list). The registry keeps such values
as data, as they were stated; the loader flags them and every export neutralises them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["FORMULA_STARTS", "formula_cells", "looks_like_formula", "neutralised"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """A text a spreadsheet would read as a formula (a number, even negative, is not)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralised(value: str) -> str:
    """The text with a leading apostrophe, which spreadsheets show as text, never run."""
    return "'" + value if looks_like_formula(value) else value


def formula_cells(
    rows: Iterable[tuple[int, Mapping[str, str]]],
) -> list[tuple[int, str, str]]:
    """(row, column, value) of every cell of ``rows`` that looks like a formula."""
    return [
        (line, column, value)
        for line, row in rows
        for column, value in row.items()
        if looks_like_formula(value)
    ]
