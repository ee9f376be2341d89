"""Relay: global ids, cursors, and the page (connection) a paged field returns."""

from __future__ import annotations

import base64
from collections.abc import Callable
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


def connection(row: Any, offset: int, limit: int, convert: Callable[[Any], T]) -> Connection[T]:
    """A page from one round trip's ``{total, items}`` (``limit`` + 1 items tell if there is more)."""
    items = list(row["items"])
    edges = [
        Edge(cursor=cursor_at(offset + i), node=convert(d)) for i, d in enumerate(items[:limit])
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(items) > limit,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=int(row["total"]),
    )


def cursor_at(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def offset_after(cursor: str | None) -> int:
    """The offset of the item after ``cursor`` (0 without one)."""
    if cursor is None:
        return 0
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        prefix, _, number = text.partition(":")
        # digits only, and few: int() would take " 1", "1_0" or 4000 digits
        value = int(number) if number.isascii() and number.isdigit() and len(number) < 11 else -1
    except (ValueError, UnicodeDecodeError) as e:
        raise InputError(f"after: {cursor[:60]!r} is not a cursor from this API") from e
    if prefix != "offset" or not 0 <= value <= MAX_OFFSET:
        raise InputError(f"after: {cursor[:60]!r} is not a cursor from this API")
    return value + 1


def page_size(first: int) -> int:
    if not 0 < first <= MAX_PAGE:
        raise InputError(f"first: {first} must be between 1 and {MAX_PAGE}")
    return first
