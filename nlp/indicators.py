"""Which indicator of the ledger a stated quantity measures (the words are data, in the
registry's vocabulary: loaders/data/vocabulary.json)."""

from __future__ import annotations

from functools import cache

from loaders.vocabulary import vocabulary

__all__ = ["indicator_key"]


@cache
def _table() -> list[tuple[str, tuple[str, ...]]]:
    v = vocabulary()
    return [
        (key, tuple(w.lower() for w in v.indicators[key].words)) for key in v.indicator_match_order
    ]


def indicator_key(phrase: str) -> str | None:
    """The first indicator (most specific first in the data) whose words occur in ``phrase``."""
    lowered = " ".join(phrase.lower().split())
    for key, words in _table():
        if any(w in lowered for w in words):
            return key
    return None
