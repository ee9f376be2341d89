"""What a search text may be: short enough to stay one cheap full-text query."""

from __future__ import annotations

from api.errors import InputError

__all__ = ["MAX_SEARCH_CHARS", "MAX_SEARCH_TERMS", "search_text"]

# A name, a USCC or a few words; past these a query is no typeahead (2,000 words hit Lucene's
# clause limit), so it is refused with the limit named rather than cut silently.
MAX_SEARCH_CHARS = 200
MAX_SEARCH_TERMS = 32


def search_text(text: str, argument: str = "text") -> str:
    """``text`` stripped, or an InputError naming the limit it passes."""
    text = text.strip()
    if len(text) > MAX_SEARCH_CHARS:
        raise InputError(f"{argument}: at most {MAX_SEARCH_CHARS} characters (got {len(text)})")
    if len(text.split()) > MAX_SEARCH_TERMS:
        raise InputError(f"{argument}: at most {MAX_SEARCH_TERMS} words (got {len(text.split())})")
    return text
