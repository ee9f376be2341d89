"""Which fields a query asked for, so that a resolver reads only those."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from api.graphql.context import Context
from graph import reads

__all__ = ["related", "selected"]


def selected(info: Info[Context, None], *path: str) -> frozenset[str] | None:
    """Names of the fields asked for under ``path`` (e.g. edges, node) of this field; None
    when a fragment makes that unclear (then everything is read)."""
    level: list[Any] = list(info.selected_fields)
    for name in (None, *path):
        children: list[Any] = []
        for field in level:
            if not isinstance(field, SelectedField):
                return None  # a fragment: read everything rather than guess
            if name is None or field.name == name:
                children += field.selections
        level = children
    if any(not isinstance(f, SelectedField) for f in level):
        return None
    return frozenset(f.name for f in level)


# GraphQL fields of Organization that need its merge history read (names include those of
# the entries merged into it).
_MERGE_FIELDS = frozenset({"mergedInto", "merged", "aliases", "formerNames"})


def related(names: frozenset[str] | None) -> frozenset[str] | None:
    """Of those names, the related lists of an organisation (reads.ORG_RELATED) to read."""
    if names is None:
        return None
    return (names & frozenset(reads.ORG_RELATED)) | (
        frozenset({"merges"}) if names & _MERGE_FIELDS else frozenset()
    )
