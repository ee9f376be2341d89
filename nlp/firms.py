"""Firms named by their short name (words are data: ``nlp/data/firm_words.json``).

- ``innograph_firm_name`` (Chinese): a trade name (字号) before an industry word (行业) — 银邦金属,
  同力重工, 隆基绿能 — is a firm, the order every Chinese enterprise name follows
  (行政区划 + 字号 + 行业 + 组织形式). The trade name is two characters that are not a word of
  jieba's dictionary (or are a proper noun there): 结构金属, 新能源汽车 are not firms.
- ``ShortNames``: once a document has named a firm (隆基绿能, LONGi Green Energy Technology Co.,
  Ltd.), its trade name alone (隆基, LONGi) names the same firm in the rest of the document.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import jieba
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp.suffixes import doc_text, word_tag

__all__ = [
    "FirmNames",
    "FirmWords",
    "ShortNames",
    "firm_words",
    "is_trade_name",
    "make_firm_name",
]

_CJK2 = re.compile(r"[\u4e00-\u9fff]{2}")


@dataclass(frozen=True, slots=True)
class FirmWords:
    industry: tuple[str, ...]
    proper_tags: frozenset[str]
    en_forms: tuple[str, ...]
    function_chars: frozenset[str] = frozenset()  # never open a trade name (等, 和, 的)
    sector_after: tuple[str, ...] = ()  # 能源领域: the industry word as a common noun


@cache
def firm_words() -> FirmWords:
    data = json.loads(resources.files("nlp").joinpath("data", "firm_words.json").read_text("utf-8"))
    return FirmWords(
        tuple(sorted(data["industry"], key=len, reverse=True)),
        frozenset(data["proper_tags"]),
        tuple(data["en_forms"]),
        frozenset(data.get("function_chars", ())),
        tuple(data.get("sector_after", ())),
    )


def is_trade_name(name: str) -> bool:
    """Two CJK characters that jieba's dictionary does not know as a common word."""
    if not _CJK2.fullmatch(name):
        return False
    return not jieba.dt.FREQ.get(name) or word_tag(name) in firm_words().proper_tags


class FirmNames:
    """Trade name + industry word, where the industry word ends a token (重工业 is no firm)."""

    def __init__(self) -> None:
        self.rx = re.compile("|".join(map(re.escape, firm_words().industry)))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        words = firm_words()
        candidates = [
            m
            for m in self.rx.finditer(text)
            if m.start() >= 2
            and is_trade_name(text[m.start() - 2 : m.start()])
            and text[m.start() - 2] not in words.function_chars
            and not text.startswith(words.sector_after, m.end())
        ]
        if not candidates:
            return doc
        found = []
        for m in candidates:
            start, end = m.start() - 2, m.end()
            name = text[start : m.start()]
            # the industry word ends a token (重工业 is no firm) and the name starts one
            span = doc.char_span(start, end, label="ORG", alignment_mode="expand")
            if span is None or any(t.ent_type for t in span):
                continue
            if span.text == text[start:end]:
                span.kb_id_ = name
                found.append(span)
        if found:
            doc.ents = filter_spans([*doc.ents, *found])
        return doc


@Language.factory("innograph_firm_name")
def make_firm_name(nlp: Language, name: str) -> FirmNames:
    return FirmNames()


@dataclass(slots=True)
class ShortNames:
    """The trade names a document has introduced so far, and where it uses them alone."""

    areas: frozenset[str] = frozenset()  # lower-cased place names: never a trade name
    names: set[str] = field(default_factory=set)
    rx: re.Pattern[str] | None = None

    def learn(self, label: str, text: str, trade_name: str = "") -> None:
        if label != "ORG":
            return
        name = trade_name
        if not name:
            first = re.match(r"([A-Z][A-Za-z]+)\s", text)
            if first and any(f in " ".join(text.split()) for f in firm_words().en_forms):
                name = first.group(1)
        if len(name) >= 2 and name.lower() not in self.areas and name not in self.names:
            self.names.add(name)
            if trade_name:  # the whole firm name too, where jieba split it (以隆|基绿能)
                self.names.add(text)
            alts = "|".join(map(re.escape, sorted(self.names, key=len, reverse=True)))
            self.rx = re.compile(rf"(?<![A-Za-z])(?:{alts})(?![A-Za-z])")

    def find(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """(start, end) of each trade name used alone in ``text``, outside ``taken`` spans."""
        if self.rx is None:
            return []
        return [
            m.span()
            for m in self.rx.finditer(text)
            if not any(a < m.end() and m.start() < b for a, b in taken)
        ]
