"""The indicator of a figure as the short noun phrase of what is counted, and its scope.

- Chinese: the noun phrase that ends right before the figure (after comparator words and
  verbs: 技术合同交易额突破 -> 技术合同交易额), read leftwards over the words jieba's dictionary
  tags as nominal, through joiners inside a noun phrase (企业研发投入经费占全社会研发投入经费比例,
  A和B); it stops at a verb, adverb, preposition, 的, a number, a place or a general reference
  to one (全省). English: the subject before the first verb (the number of X in Y grew by ->
  X), or the object of a change (reduce X by), or the noun after a unit (6,400 kg of X).
- When a clause names nothing (同比增长8%, accounting for 75 percent), the figure measures
  what the figure before it in the sentence measures.
- ``scope``: the area (else organisation) the sentence names before the figure, else the last
  one the paragraph or the document named before it, else the document's first area.

The words are data (``nlp/data/indicator_words.json``).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol

import jieba

from nlp.suffixes import word_tag

__all__ = ["IndicatorWords", "Scoped", "en_phrase", "indicator_words", "scopes", "zh_phrase"]


@dataclass(frozen=True, slots=True)
class IndicatorWords:
    zh_lead_tags: frozenset[str]
    zh_trail_tags: frozenset[str]
    zh_lead_words: frozenset[str]
    zh_trail_words: frozenset[str]
    zh_place_refs: frozenset[str]
    zh_inner_words: frozenset[str]  # X实现增加值: X's 增加值
    zh_capacity: tuple[str, ...]  # 年产100GW单晶硅片: what is made is counted
    en_verbs: frozenset[str]
    en_openings: tuple[str, ...]


@cache
def indicator_words() -> IndicatorWords:
    raw = resources.files("nlp").joinpath("data", "indicator_words.json").read_text("utf-8")
    d = json.loads(raw)
    return IndicatorWords(
        frozenset(d["zh_lead_tags"]),
        frozenset(d["zh_trail_tags"]),
        frozenset(d["zh_lead_words"]),
        frozenset(d["zh_trail_words"]),
        frozenset(d["zh_place_refs"]),
        frozenset(d["zh_inner_words"]),
        tuple(d["zh_capacity"]),
        frozenset(d["en_verbs"]),
        tuple(sorted(d["en_openings"], key=len, reverse=True)),
    )


def _tag(word: str) -> str | None:
    if re.fullmatch(r"[\u3400-\u9fff]+", word) is None:
        return None if re.fullmatch(r"[A-Za-z&“”\"‘’·-]+", word) else "x"  # R&D, GDP
    return word_tag(word)


_PERIOD = re.compile(r"“?十[一二三四五六七八九]五”?[末期间以来]*")


def zh_phrase(clause: str, after: str = "") -> str:
    """The noun phrase that ends ``clause`` (the text before a figure), or what a capacity
    makes (年产100GW单晶硅片: ``after`` is the text after the figure), or ''."""
    w = indicator_words()
    if clause.strip().endswith(w.zh_capacity):
        made = []
        for t in jieba.lcut(re.split(r"[、，,。；;及和与(（]|项目", after)[0]):
            if _tag(t) in ("v", "p", "d", "c", "r", "uj", "x"):
                break
            made.append(t)
        if made:
            return "".join(made)
    # after a figure before it, without a plan period; after a place's 的 (全省高新园区的…),
    # not a relative clause's (有研发活动的企业占比)
    clause = _PERIOD.sub("", re.split(r"\d", clause)[-1])
    clause = re.split(r"(?:[省市区县]|园区|新区|全国)的", clause)[-1]
    words = [t for t in jieba.lcut(clause.strip()) if t.strip() and t not in w.zh_inner_words]
    while words and (
        words[0] in w.zh_lead_words
        or words[0] in w.zh_place_refs
        or _tag(words[0]) in w.zh_lead_tags
    ):
        words.pop(0)
    while words and (words[-1] in w.zh_trail_words or _tag(words[-1]) in w.zh_trail_tags):
        words.pop()
    phrase = "".join(words).strip("”’")
    if phrase.count("“") > phrase.count("”"):
        phrase = phrase.replace("“", "")  # 新增各类“无废细胞”10个: no half quote
    return phrase


# 6,400 kg of high-purity hydrogen per day: the noun after the unit
_OF = re.compile(
    r"\s+of\s+((?:[\w-]+\s+){0,3}?[\w-]+)"
    r"(?=\s*(?:[,.;:)(]|$)|\s+(?:per|a|an|each|every|daily|to|for|in|from|at|by|on|and)\b)"
)


def en_phrase(clause: str, after: str = "") -> str:
    """What an English figure counts: the noun after its unit (``after`` = ' of X ...'), the
    object of a change (reduce X by), or the subject before the first verb; or ''."""
    w = indicator_words()
    of = _OF.match(after)
    if of:
        return of.group(1)
    text = " ".join(clause.split())
    changed = True
    while changed:
        changed = False
        low = text.lower()
        lead = re.match(
            r"(?:(?:in|by)(?: the end of)? )?(?:19|20)\d\d\b[, ]*|.*?\b(?:said|added|noted) that ",
            low,
        )
        if lead:
            text, changed = text[lead.end() :], True
            continue
        for o in w.en_openings:
            if low.startswith(o + " "):
                text, changed = text[len(o) + 1 :], True
                break
    words = text.split()
    verbs = [i for i, x in enumerate(words) if x.lower() in w.en_verbs]
    if words and words[-1].lower() in ("by", "to", "of") and verbs:
        last = max((i for i in verbs if i < len(words) - 1), default=-1)
        obj = words[last + 1 : -1]
        if obj and not any(x.lower() in w.en_verbs for x in obj):
            return " ".join(obj)
    subject = words[: verbs[0]] if verbs else words
    phrase = " ".join(subject)
    phrase = re.sub(r"\s+in\s+.*$", "", phrase)  # … in the development zones: its scope
    return phrase.strip(' ,;:"“”')


class Scoped(Protocol):
    """A figure's span and a mention's label and span, for ``scopes``."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class _Mention(Scoped, Protocol):
    @property
    def label(self) -> str: ...

    @property
    def text(self) -> str: ...


def scopes(figures: Sequence[tuple[int, int]], mentions: Iterable[_Mention]) -> list[str | None]:
    """Per figure (start, its sentence's start): the area (else organisation) named in its
    sentence before it, else the last area named before it, else the document's first area
    (None without one)."""
    named = sorted(
        ((m.end, m.start, m.label, m.text) for m in mentions if m.label in ("AREA", "ORG")),
        key=lambda m: m[0],
    )
    ends = [m[0] for m in named]
    first_area = next(
        (t for _, _, label, t in sorted(named, key=lambda m: m[1]) if label == "AREA"), None
    )
    out: list[str | None] = []
    for start, sentence in figures:
        k = bisect_right(ends, start)  # the mentions that end before the figure
        pick = None
        for label in ("AREA", "ORG"):  # named in its sentence before it
            for m in reversed(named[:k]):
                if m[0] <= sentence:
                    break
                if m[2] == label and m[1] >= sentence:
                    pick = m[3]
                    break
            if pick:
                break
        if pick is None:  # else the last area named before it
            pick = next((m[3] for m in reversed(named[:k]) if m[2] == "AREA"), first_area)
        out.append(pick)
    return out
