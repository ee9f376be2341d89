"""A figure's comparator (>=, <=, >, <, =, ...) from the words around it; the words are data
(nlp/data/comparators.jsonl: where each stands, inside, after or before the figure)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

__all__ = ["comparator"]


@cache
def _comparator_words() -> tuple[tuple[tuple[str, str, str], ...], tuple[tuple[str, str], ...]]:
    """The comparators.jsonl words once: (where, word, comparator) for the words inside the
    figure or after it, in file order; (word lowered, comparator) for those before it."""
    text = resources.files("nlp").joinpath("data", "comparators.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    ends = tuple(
        (c["where"], c["word"], str(c["comparator"]))
        for c in rows
        if c["where"] in ("inside", "after")
    )
    before = tuple(
        (c["word"].lower(), str(c["comparator"])) for c in rows if c["where"] == "before"
    )
    return ends, before


def comparator(text: str, start: int, end: int, evidence: str, kind: str) -> str:
    """The comparator of the figure ``text[start:end]`` (``evidence``: its words): a word
    inside the figure or just after it, else the longest word just before it; "reach" or
    none is ">=" for a target and "=" otherwise."""
    window_before = text[max(0, start - 16) : start].lower().rstrip()
    window_after = text[end : end + 4]
    ends, before = _comparator_words()
    for where, word, comparator in ends:  # the first that applies, in the file's order
        if word in evidence if where == "inside" else window_after.startswith(word):
            return comparator
    found, found_word = None, ""
    for word, comparator in before:
        # the longest word: 不低于, not its 低于
        if window_before.endswith(word) and len(word) > len(found_word):
            found, found_word = comparator, word
    if found is None and window_before.endswith("to"):  # "increase ... to"
        ahead = window_before[:-2].rstrip()
        found = next((c for word, c in before if ahead.endswith(word)), None)
    if found == "reach" or found is None:
        return ">=" if kind == "target" else "="
    return found
