"""Relay: global ids, cursors, and the page (connection) a paged field returns."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from api.errors import InputError

__all__ = [
    "DEFAULT_PAGE",
    "MAX_OFFSET",
    "MAX_PAGE",
    "Connection",
    "Edge",
    "Node",
    "PageInfo",
    "connection",
    "cursor_at",
    "decode_id",
    "global_id",
    "key_after",
    "offset_after",
    "page_size",
]

DEFAULT_PAGE = 20  # a paged field without `first` returns this many
MAX_PAGE = 100  # the largest `first` a paged field takes
MAX_OFFSET = 2**31 - 1  # a cursor past this is not one this API handed out


def global_id(type_name: str, key: str) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{key}".encode()).decode())


def decode_id(value: str) -> tuple[str, str]:
    try:
        type_name, _, key = base64.b64decode(value.encode(), validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError) as e:
        raise InputError(f"id {value!r} is not a global id from this API") from e
    if not key:
        raise InputError(f"id {value!r} is not a global id from this API")
    return type_name, key


@strawberry.interface(description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


T = TypeVar("T")


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    """A Relay-style page; Strawberry names it after its node type (OrganizationConnection)."""

    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int


def connection(
    row: Any,
    offset: int,
    limit: int,
    convert: Callable[[Any], T],
    order: str | None = None,
) -> Connection[T]:
    """A page from one round trip's ``{total, items}`` (``limit`` + 1 items tell if there is
    more; a total not counted, null, is -1: only a page that does not ask totalCount skips
    it). ``order``: the name of the page's order, when each item carries its ``sort_key``;
    then the cursors carry the key too (keyset paging: :func:`key_after`)."""
    items = list(row["items"])
    edges = [
        Edge(
            cursor=cursor_at(offset + i, (order, d["sort_key"]) if order else None),
            node=convert(d),
        )
        for i, d in enumerate(items[:limit])
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(items) > limit,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=-1 if row["total"] is None else int(row["total"]),
    )


def cursor_at(offset: int, key: tuple[str, Sequence[Any]] | None = None) -> str:
    """The cursor of the item at ``offset``: ``offset:N``, or with ``key`` (the order's
    name and the item's sort key) ``key:N:ORDER:[...]``, which a page after it starts from."""
    if key is None:
        return base64.b64encode(f"offset:{offset}".encode()).decode()
    order, values = key
    text = f"key:{offset}:{order}:{json.dumps(list(values), ensure_ascii=False)}"
    return base64.b64encode(text.encode()).decode()


def _forged(cursor: str) -> InputError:
    return InputError(f"after: {cursor[:60]!r} is not a cursor from this API")


def _decoded(cursor: str) -> tuple[int, str | None, str]:
    """A cursor's offset, and for a key cursor its order and sort key's JSON."""
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError) as e:
        raise _forged(cursor) from e
    prefix, _, rest = text.partition(":")
    number, order, key = rest, None, ""
    if prefix == "key":
        number, _, rest = rest.partition(":")
        order, _, key = rest.partition(":")
    # digits only, and few: int() would take " 1", "1_0" or 4000 digits
    value = int(number) if number.isascii() and number.isdigit() and len(number) < 11 else -1
    if prefix not in ("offset", "key") or not 0 <= value <= MAX_OFFSET:
        raise _forged(cursor)
    return value, order, key


def offset_after(cursor: str | None) -> int:
    """The offset of the item after ``cursor`` (0 without one)."""
    return 0 if cursor is None else _decoded(cursor)[0] + 1


def key_after(cursor: str | None, order: str, size: int) -> list[Any] | None:
    """The sort key (``size`` values) a page in ``order`` starts after: the key ``cursor``
    carries, or None (no cursor, an offset cursor, or a key cursor of another order: then
    the page starts at :func:`offset_after`, as before). A key that is not ``size`` strings
    or numbers is refused as forged."""
    if cursor is None:
        return None
    _, named, text = _decoded(cursor)
    if named != order:
        return None
    try:
        key = json.loads(text)
    except ValueError as e:
        raise _forged(cursor) from e
    if not (
        isinstance(key, list)
        and len(key) == size
        and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in key)
    ):
        raise _forged(cursor)
    return key


def page_size(first: int) -> int:
    if not 0 < first <= MAX_PAGE:
        raise InputError(f"first: {first} must be between 1 and {MAX_PAGE}")
    return first
