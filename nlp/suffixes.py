"""Names read by their suffix in Chinese text: an organisation (…人民政府, …有限公司, …研究院)
or a named site (…产业园, …新城), a suffix token and the name-like tokens before it; the
words are data (``nlp/data/org_suffixes.json``, ``nlp/data/site_suffixes.json``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jieba
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

__all__ = ["OrgSuffix", "SuffixWords", "suffix_words"]

_CJK = re.compile(r"[\u3400-\u9fff]")


def _data(name: str) -> str:
    return resources.files("nlp").joinpath("data", name).read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class SuffixWords:
    """The words of a suffix reader (org_suffixes.json, site_suffixes.json): suffixes, stop
    words a name does not extend over, generic heads (a description, not a name), and the
    suffixes whose bare administrative head is still a name (省政府, 市科技局)."""

    suffixes: tuple[str, ...]
    stops: frozenset[str]
    generic: frozenset[str]
    admin_heads: frozenset[str] = frozenset()
    admin_suffixes: frozenset[str] = frozenset()


@cache
def suffix_words(name: str) -> SuffixWords:
    data = json.loads(_data(name))
    return SuffixWords(
        tuple(sorted(data["suffixes"], key=len, reverse=True)),
        frozenset(data["stops"]),
        frozenset(data["generic"]),
        frozenset(data.get("admin_heads", ())),
        frozenset(data.get("admin_suffixes", ())),
    )


class OrgSuffix:
    """Chinese organisation names (or, with other words, named sites): a suffix token and
    the name-like tokens before it."""

    MAX_TOKENS = 6

    def __init__(self, words: str = "org_suffixes.json", label: str = "ORG") -> None:
        self.words, self.label = suffix_words(words), label
        self.suffixes, self.stops, self.generic = (
            self.words.suffixes,
            self.words.stops,
            self.words.generic,
        )
        for suffix in self.suffixes:
            if len(suffix) >= 3:
                jieba.add_word(suffix)  # a suffix stays one token, so the name ends on it
        for head in self.words.admin_heads:  # 经/市人民政府, not 经市/人民政府
            for suffix in self.words.admin_suffixes:
                jieba.add_word(head + suffix, freq=200000)
        self.suffix_rx = re.compile("|".join(map(re.escape, self.suffixes)))

    def _suffix_tokens(self, doc: Doc) -> Iterator[int]:
        """Indexes of tokens ending in a suffix, found by one regex scan of the text."""
        seen = -1
        for m in self.suffix_rx.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and span.end - 1 > seen and span[-1].text.endswith(self.suffixes):
                seen = span.end - 1
                yield seen

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for i in self._suffix_tokens(doc):
            text = doc[i].text
            suffix = next(s for s in self.suffixes if text.endswith(s))
            j = i
            while (
                j > 0
                and i - j < self.MAX_TOKENS
                and _CJK.fullmatch(doc[j - 1].text[:1] or "x") is not None
                and doc[j - 1].text not in self.stops
                and not doc[j - 1].is_punct
            ):
                j -= 1
            span = doc[j : i + 1]
            head = [t.text for t in doc[j:i]] + [text[: -len(suffix)]]
            # a bare suffix (公司, 政府, 中心) or one after generic words (产业创新中心) is a
            # description, not a name
            if self._is_name(head, suffix, span.text):
                found.append(Span(doc, j, i + 1, label=self.label))
        if found:
            doc.ents = filter_spans([*doc.ents, *found])
        return doc

    def _is_name(self, head: list[str], suffix: str, text: str) -> bool:
        # a bare administrative head with a government suffix is a short name (省政府)
        if "".join(head) in self.words.admin_heads and suffix in self.words.admin_suffixes:
            return True
        return not all(not h or h in self.generic for h in head) and len(text) >= 3
