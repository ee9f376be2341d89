"""Unified social credit codes (统一社会信用代码), GB 32100-2015."""

from __future__ import annotations

from loaders.normalize import clean_text

__all__ = ["USCC_CHARS", "check_char", "is_valid_uscc", "uscc_problem"]

# The code's alphabet: digits and capitals without I, O, S, V, Z.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_char(first17: str) -> str:
    """The 18th character for the first 17 (which must be in the alphabet)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid USCC, or None when it is."""
    text = clean_text(code).upper()
    if len(text) != 18:
        return f"has {len(text)} characters, a USCC has 18"
    bad = sorted({c for c in text if c not in _VALUE})
    if bad:
        return f"contains {''.join(bad)!r}, not in the USCC alphabet (no I, O, S, V, Z)"
    if not text[2:8].isdigit():
        return f"region code {text[2:8]!r} (characters 3-8) must be digits"
    expected = check_char(text[:17])
    if text[17] != expected:
        return f"check digit is {text[17]!r}, GB 32100-2015 gives {expected!r}"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None
