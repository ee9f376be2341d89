"""Keyset cursors (api/graphql/relay.py) and the condition a page after one reads
(graph/reads/keyset.py), without a database; the paging itself is checked against Neo4j in
tests/test_export_query.py."""

from __future__ import annotations

import base64

import pytest

from api.errors import InputError
from api.graphql.relay import cursor_at, key_after, offset_after
from graph.reads.keyset import after_params, after_sort_key, sort_key_list


def test_the_condition_seeks_on_the_first_key_and_breaks_ties_on_the_next() -> None:
    order = [("o.name", False), ("o.id", False)]
    assert after_sort_key(order) == ("(o.name >= $after0 AND (o.name > $after0 OR o.id > $after1))")
    assert after_sort_key([("o.name", True), ("o.id", False)]) == (
        "(o.name <= $after0 AND (o.name < $after0 OR o.id > $after1))"
    )
    assert after_sort_key([("o.id", True)]) == "(o.id < $after0)"
    assert after_params(["名", "org-1"]) == {"after0": "名", "after1": "org-1"}
    assert sort_key_list(order) == "[o.name, o.id]"


def test_a_key_cursor_carries_its_offset_order_and_key() -> None:
    cursor = cursor_at(41, ("NAME", ["丰东 光伏", "org-9"]))
    assert offset_after(cursor) == 42
    assert key_after(cursor, "NAME", 2) == ["丰东 光伏", "org-9"]
    # another order (the sort changed between pages) or an offset cursor: paged by offset
    assert key_after(cursor, "NAME-DESC", 2) is None
    assert key_after(cursor_at(41), "NAME", 2) is None and offset_after(cursor_at(41)) == 42
    assert key_after(None, "NAME", 2) is None and offset_after(None) == 0


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "text",
    [
        "key:3:NAME:not json",
        "key:3:NAME:[1]",  # one value where the order has two
        'key:3:NAME:[true, "x"]',
        'key:3:NAME:{"a": 1}',
        'key:3:NAME:[["nested"], "x"]',
        'key:-1:NAME:["a", "b"]',
        'key: 3:NAME:["a", "b"]',
    ],
)
def test_a_forged_key_cursor_is_named_as_such(text: str) -> None:
    with pytest.raises(InputError, match="is not a cursor from this API"):
        key_after(_b64(text), "NAME", 2)
