"""The API's words: why a partner is suggested, in English and Chinese (the reason texts and
the recognition kinds in words, from the vocabulary), and the valid keys of an argument that
takes a vocabulary key, in words for its description and its error."""

from __future__ import annotations

from typing import Any

from loaders.vocabulary import vocabulary

__all__ = [
    "CAPPED_TEXT",
    "CAPPED_TEXT_ZH",
    "KIND_WORDS",
    "KIND_WORDS_ZH",
    "REASON_TEXT",
    "REASON_TEXT_ZH",
    "in_words",
    "one_of",
    "reason_text",
]


# A reason in words; {n} is how many organisations share what it goes via, {capped} the
# cap's words (CAPPED_TEXT) where a technology was too broad to walk whole, else nothing.
REASON_TEXT = {
    "consortium": "both are members of {via} ({n} members)",
    "standard": "both drafted the group standard {via} ({n} drafters)",
    "technology": "both work on {via} ({n} organisations do{capped})",
    "complementary": "works on {via}, a neighbouring technology under {under} ({n} organisations do{capped})",
    "area": "is also located in {via}",
    "recognition": "is currently recognised as {via}",
}

REASON_TEXT_ZH = {
    "consortium": "同为创新联合体“{via}”成员（共 {n} 家成员）",
    "standard": "共同起草团体标准 {via}（共 {n} 家起草单位）",
    "technology": "都从事{via}（共 {n} 家机构{capped}）",
    "complementary": "从事相邻技术{via}（同属{under}，共 {n} 家机构{capped}）",
    "area": "同在{via}",
    "recognition": "当前为{via}",
}

# Said of a technology with more organisations than a candidate walk takes (the cap).
CAPPED_TEXT = "; a field this broad brings in at most {fan} candidates"
CAPPED_TEXT_ZH = "；领域较宽，最多从中比较 {fan} 家"

# Recognition kinds in the words a sentence uses ("is currently recognised as ...").
_RECOGNITIONS = vocabulary().terms["recognition_kinds"]
KIND_WORDS = {key: term.phrase("en") for key, term in _RECOGNITIONS.items()}
KIND_WORDS_ZH = {key: term.phrase("zh") for key, term in _RECOGNITIONS.items()}


def reason_text(why: dict[str, Any], lang: str, fan: int) -> str:
    """One reason (its kind, what it goes via, how many share it) in ``lang`` (en or zh),
    a recognition kind in words; a technology wider than ``fan`` says it was capped."""
    zh = lang == "zh"
    kind = why["kind"]
    via = str(why["via_zh"] if zh else why["via_en"] or why["via_zh"])
    if kind == "recognition":
        via = (KIND_WORDS_ZH if zh else KIND_WORDS).get(via, via)
    under = why.get("under_zh") if zh else why.get("under_en") or why.get("under_zh")
    n = why.get("shared_by")
    capped = ""
    if kind in ("technology", "complementary") and n is not None and n > fan:
        capped = (CAPPED_TEXT_ZH if zh else CAPPED_TEXT).format(fan=f"{fan:,}")
    return (REASON_TEXT_ZH if zh else REASON_TEXT)[kind].format(
        via=via, under=under or "", n=f"{n:,}" if n is not None else "", capped=capped
    )


def in_words(keys: tuple[str, ...], last: str = "or") -> str:
    """``a, b or c``: keys as a sentence names them."""
    return keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} {last} {keys[-1]}"


def one_of(section: str) -> str:
    """``one of a, b, c``, for an argument's description: the keys of a vocabulary section."""
    return "one of " + ", ".join(vocabulary().keys(section))
