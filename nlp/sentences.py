"""Sentence spans in Chinese and English text, shared by the quantity and relation readers."""

from __future__ import annotations

import re

__all__ = ["sentence_spans"]

# Chinese and English sentence ends, and blank lines; a line wrap inside a sentence is not an end.
_END = re.compile(r"[。！？；!?;]|\n\n|(?<![A-Z]\.[A-Z])\.(?=\s+[A-Z\"“])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, covering the whole text."""
    bounds = []
    start = 0
    for m in _END.finditer(text):
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds
