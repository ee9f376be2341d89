"""Text normalisation shared by validation and entity resolution."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean_text", "name_key", "normalize_doc_number", "normalize_standard_code"]

_SPACE = re.compile(r"\s+")
_TRAILING_PUNCT = "。，、；;,.：:"
# Legal-form suffixes that do not tell two organisations apart; longest first.
_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "co.,ltd.",
    "co.,ltd",
    "co.ltd.",
    "co.ltd",
    "co.,limited",
    "limited",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
    "corporation",
    "corp.",
)


# Cached: a load cleans each cell and name several times (parse, resolve, index).
@lru_cache(maxsize=1 << 16)
def clean_text(value: str) -> str:
    """Full-width digits, letters and punctuation to half-width; whitespace collapsed."""
    text = unicodedata.normalize("NFKC", value)
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The comparison form of an organisation name.

    Half-width, lower case, brackets and spaces removed (so 沈阳机床(集团)有限责任公司 and
    沈阳机床（集团）有限责任公司 agree), trailing punctuation and legal-form suffixes dropped.
    """
    text = clean_text(name).lower().rstrip(_TRAILING_PUNCT)
    text = re.sub(r"[\s()\[\]【】\"'“”‘’]", "", text)
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text = text[: -len(suffix)].rstrip(",.")
                changed = True
    return text


# Issuer (T/CPIA, GB/T, T/SXH2: digits end a society code only before a space), number, year.
_CODE = re.compile(r"^([A-Z]+(?:/[A-Z]+(?:[0-9]+(?=\s))?)*)\s*([0-9][0-9.]*)\s*[-—–]\s*(\d{4})$")


def normalize_standard_code(code: str) -> str | None:
    """Canonical standard code: ``T/CPIA 0028.2—2024`` -> ``T/CPIA 0028.2-2024``; None if not one."""
    m = _CODE.match(clean_text(code).upper())
    if not m:
        return None
    issuer, number, year = m.groups()
    return f"{issuer} {number}-{year}"


# A document number's year in any bracket a list writes it in (ASCII or full-width round or
# square, 【】, 〔〕, also mismatched, as typed or as OCR reads the hexagonal ones).
_DOC_YEAR = re.compile(r"\s*[(（\[［【〔〖]\s*((?:19|20)\d{2})\s*[)）\]］】〕〗]\s*")


def normalize_doc_number(text: str) -> str:
    """A document number (发文字号) as GB/T 9704-2012 writes it: the year in hexagonal
    brackets, ``国科发火(2016)32号`` -> ``国科发火〔2016〕32号``; other text as it is."""
    return _DOC_YEAR.sub(r"〔\1〕", clean_text(text))
