"""Keyset paging: a page that starts after the last row of the one before, by its sort key,
instead of skipping the rows before it (``SKIP n`` reads and sorts n rows again for every
page, so walking every page of a long list grows with the square of its length).

A list's order is a sequence of sort keys, each an expression (chosen by code, never null
for a row of the list) and a direction. The condition below is written so that its first
conjunct is a plain range on the first key, which a range index on that property can seek
and give in order; the page then reads only its own rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["Order", "after_params", "after_sort_key", "sort_key_list"]

# The sort keys of a list: (expression, descending), most significant first.
Order = Sequence[tuple[str, bool]]


def after_sort_key(order: Order, param: str = "after") -> str:
    """The WHERE condition: the row comes after the row whose sort key is ``$after0``,
    ``$after1``, ... in ``order``. For keys k1, k2 ascending: ``k1 >= $after0 AND (k1 >
    $after0 OR k2 > $after1)``; descending keys compare the other way."""

    def after(i: int) -> str:
        expr, desc = order[i]
        value = f"${param}{i}"
        strict = f"{expr} {'<' if desc else '>'} {value}"
        if i == len(order) - 1:
            return strict
        return f"{expr} {'<=' if desc else '>='} {value} AND ({strict} OR {after(i + 1)})"

    return "(" + after(0) + ")"


def after_params(values: Sequence[Any], param: str = "after") -> dict[str, Any]:
    """The parameters :func:`after_sort_key` names: ``$after0`` ... the last row's key."""
    return {f"{param}{i}": v for i, v in enumerate(values)}


def sort_key_list(order: Order) -> str:
    """A list expression of a row's sort key (to hand back in its cursor)."""
    return "[" + ", ".join(expr for expr, _ in order) + "]"
