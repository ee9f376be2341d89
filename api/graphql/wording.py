"""The API's words: why a partner is suggested, in English and Chinese (the reason texts and
the recognition kinds in words, from the vocabulary), and the valid keys of an argument that
takes a vocabulary key, in words for its description and its error."""

from __future__ import annotations

from typing import Any

from loaders.vocabulary import vocabulary

__all__ = [
    "KIND_WORDS",
    "KIND_WORDS_ZH",
    "REASON_TEXT",
    "REASON_TEXT_ZH",
    "in_words",
    "one_of",
    "reason_text",
]


REASON_TEXT = {
    "consortium": "both are members of the innovation consortium {via}",
    "standard": "both drafted the group standard {via}",
    "technology": "both work on {via}",
    "complementary": "works on the neighbouring technology {via}",
    "area": "located in the same new city ({via})",
    "recognition": "is currently recognised as {via}",
}

REASON_TEXT_ZH = {
    "consortium": "同为创新联合体“{via}”成员",
    "standard": "共同起草团体标准 {via}",
    "technology": "都从事{via}",
    "complementary": "从事相邻技术{via}",
    "area": "位于同一新城（{via}）",
    "recognition": "当前为{via}",
}

# Recognition kinds in the words a sentence uses ("is currently recognised as ...").
_RECOGNITIONS = vocabulary().terms["recognition_kinds"]
KIND_WORDS = {key: term.phrase("en") for key, term in _RECOGNITIONS.items()}
KIND_WORDS_ZH = {key: term.phrase("zh") for key, term in _RECOGNITIONS.items()}


def reason_text(why: dict[str, Any], texts: dict[str, str], kinds: dict[str, str]) -> str:
    """One reason (its kind and what it goes via) in ``texts``; a recognition kind in ``kinds``."""
    via = str(why["via"])
    return texts[why["kind"]].format(
        via=kinds.get(via, via) if why["kind"] == "recognition" else via
    )


def in_words(keys: tuple[str, ...], last: str = "or") -> str:
    """``a, b or c``: keys as a sentence names them."""
    return keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} {last} {keys[-1]}"


def one_of(section: str) -> str:
    """``one of a, b, c``, for an argument's description: the keys of a vocabulary section."""
    return "one of " + ", ".join(vocabulary().keys(section))
