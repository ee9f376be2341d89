"""Checks of the values a mutation takes; each refusal names the field."""

from __future__ import annotations

import math

from api.errors import InputError

__all__ = ["MAX_NAME_CHARS", "MAX_REASON_CHARS", "finite", "text"]

# A name is indexed (range and full-text): Neo4j refuses to index a value over about 8 KB,
# and 1,000 characters (3 KB of UTF-8 Chinese at most) is far past any real name.
MAX_NAME_CHARS = 1000
# A reason is read by people in the audit trail: a paragraph, not a document.
MAX_REASON_CHARS = 2000


def text(value: str, field: str, limit: int) -> str:
    """``value`` stripped: not empty and at most ``limit`` characters."""
    stripped = value.strip()
    if not stripped:
        raise InputError(f"{field}: must not be empty")
    if len(stripped) > limit:
        raise InputError(f"{field}: at most {limit} characters (got {len(stripped)})")
    return stripped


def finite(value: float, field: str) -> float:
    """A real number: not infinite (1e400 arrives as inf) and not NaN."""
    if not math.isfinite(value):
        raise InputError(f"{field}: {value} is not a finite number")
    return value
