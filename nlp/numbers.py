"""Numbers as policy texts write them, to values: the first building block of quantity extraction.

Handles Arabic digits (with thousands separators, full-width forms, and digits spaced out
as in ``4 0 5``), Chinese numerals (``二十五``, ``三千五百``), magnitude words folded in
(万 = 10^4, 亿 = 10^8, 千/百; thousand, million, billion) and English number words up to
the tens (``ten``, ``twenty-five``), following shared/data/gold/README.md.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAGNITUDES", "NUMBER", "parse_number"]

MAGNITUDES = {
    "万": 10**4,
    "亿": 10**8,
    "万亿": 10**12,
    "千": 10**3,
    "百": 10**2,
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}

_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_EN_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}

# Digits with optional thousands separators, spaced digits, or a decimal.
NUMBER = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?|\d(?: \d)+")


def _zh_integer(text: str) -> int:
    """二十五 -> 25, 三千五百 -> 3500, 十 -> 10, 一百零五 -> 105."""
    total, current = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            total += (current or 1) * _ZH_UNITS[ch]
            current = 0
        else:
            raise ValueError(f"{text!r} is not a Chinese numeral")
    return total + current


def _en_words(text: str) -> int:
    parts = re.split(r"[\s-]+", text.lower().strip())
    total = 0
    for p in parts:
        if p == "hundred":
            total = (total or 1) * 100
        elif p in _EN_WORDS:
            total += _EN_WORDS[p]
        elif p != "and":
            raise ValueError(f"{text!r} is not an English number")
    return total


def parse_number(text: str) -> float:
    """The value ``text`` states, magnitude words folded in.

    ``1.6万`` -> 16000, ``717.49亿`` -> 71749000000, ``45.2-billion`` -> 45200000000,
    ``3,500`` -> 3500, ``4 0 5`` -> 405, ``二十五`` -> 25, ``twenty-five`` -> 25.
    Raises ValueError naming the text when it is not a number.
    """
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        raise ValueError("empty number")
    lowered = raw.lower()
    multiplier = 1
    for word in sorted(MAGNITUDES, key=len, reverse=True):
        if lowered.endswith(word):
            head = lowered[: -len(word)].rstrip(" -")
            # 千 and 百 inside a Chinese numeral are its own place values (三千五百)
            zh_place = word in ("千", "百") and not head[-1:].isdigit()
            if (
                head
                and not zh_place
                and (
                    head[-1].isdigit()
                    or head[-1] in _ZH_DIGITS
                    or head[-1] in _ZH_UNITS
                    or head.split()[-1] in _EN_WORDS
                )
            ):
                multiplier = MAGNITUDES[word]
                lowered = head
                break
    if re.fullmatch(r"\d(?: \d)+", lowered):
        value = float(lowered.replace(" ", ""))
    elif re.fullmatch(r"\d[\d,]*(?:\.\d+)?", lowered):
        value = float(lowered.replace(",", ""))
    elif all(ch in _ZH_DIGITS or ch in _ZH_UNITS for ch in lowered):
        value = float(_zh_integer(lowered))
    else:
        value = float(_en_words(lowered))
    result = value * multiplier
    return float(round(result, 6))
