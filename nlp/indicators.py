"""Which indicator of the ledger a stated quantity measures (word lists are data)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

__all__ = ["indicator_key"]


@cache
def _table() -> list[tuple[str, tuple[str, ...]]]:
    text = resources.files("nlp").joinpath("data", "indicators.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [(r["key"], tuple(w.lower() for w in r["words"])) for r in rows]


def indicator_key(phrase: str) -> str | None:
    """The first indicator (most specific first in the data) whose words occur in ``phrase``."""
    lowered = " ".join(phrase.lower().split())
    for key, words in _table():
        if any(w in lowered for w in words):
            return key
    return None
