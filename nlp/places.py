"""Places beyond the registry, for the Chinese pipeline (spaCy components):

- ``innograph_county_alias``: a county's bare short name (武功, 兴平, from
  ``nlp/data/china_areas.jsonl``, generated from jionlp) is an ordinary word too, so it is a
  place only in a list of places (黄陵、武功、兴平) or right after a place (咸阳兴平);
- ``innograph_geo_feature``: rivers, lakes and mountains jieba's dictionary tags as places
  (金沙江, 乌江, 洞庭湖; 金沙江畔 → 金沙江) and runs of province abbreviations (川滇, 京津冀);
- ``innograph_site_suffix``: named parks, clusters, bases, new cities, basins and plains by
  their suffix (…产业园, …聚集区, …生态岛, …新城, …流域; ``nlp/data/site_suffixes.json``), read
  like organisation names (nlp.suffixes.OrgSuffix) with their own words.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

import marisa_trie
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.segmenter import segmenter
from nlp.suffixes import OrgSuffix, doc_text, word_tag

__all__ = [
    "CountyAliases",
    "GeoFeatures",
    "county_aliases",
    "make_county_alias",
    "make_geo_feature",
    "make_site_suffix",
]

# what may stand between two places of one list
_JOIN = re.compile(r"[、，,和及与以及\s]{0,2}")


@cache
def county_aliases() -> frozenset[str]:
    text = resources.files("nlp").joinpath("data", "china_areas.jsonl").read_text("utf-8")
    rows = (json.loads(line) for line in text.splitlines() if line.strip())
    return frozenset(r["pattern"] for r in rows if r["kind"] == "county_alias")


class CountyAliases:
    """County short names in a list of places or right after a place."""

    def __init__(self) -> None:
        names = county_aliases()
        for name in names:
            segmenter.add_word(name, freq=2000)  # one token when the text writes it
        # leftmost-longest, as an alternation longest first would match, but 5x faster: a
        # regex alternation of 2,683 names tries each of them at every character
        self.trie = marisa_trie.Trie(names)
        self.width = max(map(len, names), default=0)
        starts = "".join(sorted({re.escape(n[0]) for n in names}))
        self.first = re.compile(f"[{starts}]" if starts else "(?!)")

    def find(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each alias in ``text``, leftmost first, the longest at a place,
        none overlapping."""
        found, reach = [], 0
        for m in self.first.finditer(text):
            i = m.start()
            if i < reach:
                continue
            if names := self.trie.prefixes(text[i : i + self.width]):
                reach = i + max(map(len, names))
                found.append((i, reach))
        return found

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        areas = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "AREA"]
        taken = [(e.start_char, e.end_char) for e in doc.ents]
        hits = [
            (start, end)
            for start, end in self.find(text)
            if not any(a < end and start < b for a, b in taken)
        ]
        kept: set[tuple[int, int]] = set()
        changed = True
        while changed:  # a list grows from a known place, or from two aliases side by side
            changed = False
            for hit in hits:
                if hit in kept:
                    continue
                anchors = [*areas, *kept, *(h for h in hits if h != hit)]
                if any(self._joined(text, a, hit) for a in anchors):
                    kept.add(hit)
                    changed = True
        found = [
            span
            for start, end in sorted(kept)
            if (span := doc.char_span(start, end, label="AREA", alignment_mode="contract"))
            is not None
        ]
        if found:
            doc.ents = filter_spans([*doc.ents, *found])
        return doc

    @staticmethod
    def _joined(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
        """Whether spans ``a`` and ``b`` are neighbours in a list (or ``a`` right before
        ``b``)."""
        left, right = (a, b) if a[1] <= b[0] else (b, a)
        between = text[left[1] : right[0]]
        return right[0] >= left[1] and _JOIN.fullmatch(between) is not None


@Language.factory("innograph_county_alias")
def make_county_alias(nlp: Language, name: str) -> CountyAliases:
    return CountyAliases()


@Language.factory("innograph_site_suffix")
def make_site_suffix(nlp: Language, name: str) -> OrgSuffix:
    return OrgSuffix("site_suffixes.json", label="AREA")


class GeoFeatures:
    """Natural features (a place word of jieba's dictionary ending in 江, 河, 湖, 山, …) and
    regions written as runs of province abbreviations (川滇, 京津冀), not yet an entity."""

    def __init__(self) -> None:
        data = json.loads(
            resources.files("nlp").joinpath("data", "site_suffixes.json").read_text("utf-8")
        )
        self.features = tuple(data["natural_features"])
        self.edges = tuple(sorted(data["feature_edges"], key=len, reverse=True))
        self.abbreviations = frozenset(data["province_abbreviations"])
        self.ambiguous = frozenset(data["ambiguous_abbreviations"])
        chars = "".join(self.features)
        self.feature_rx = re.compile(f"[{chars}]")
        self.abbreviation_rx = re.compile(f"[{data['province_abbreviations']}]{{2,5}}")

    def _feature(self, word: str) -> str | None:
        """The feature's name in ``word`` (金沙江 of 金沙江畔), if it is one."""
        base = next((word[: -len(e)] for e in self.edges if word.endswith(e)), word)
        for name in (word, base):
            if len(name) >= 2 and name.endswith(self.features) and word_tag(name) == "ns":
                return name
        return None

    def _abbreviation_runs(self, doc: Doc, text: str) -> list[Span]:
        """Two to five abbreviation characters in a row, on token boundaries, each token one."""
        out = []
        for m in self.abbreviation_rx.finditer(text):
            span = doc.char_span(m.start(), m.end(), label="AREA")
            if span is not None and all(
                self._abbreviation_token(t.text) and not t.ent_type for t in span
            ):
                out.append(span)
        return out

    def _abbreviation_token(self, word: str) -> bool:
        if len(word) == 1:
            return word in self.abbreviations and word not in self.ambiguous
        return 2 <= len(word) <= 4 and all(c in self.abbreviations for c in word)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found: list[Span | None] = []
        for m in self.feature_rx.finditer(text):  # the tokens a feature character ends
            tok = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if tok is None or len(tok) != 1 or tok[0].ent_type:
                continue
            name = self._feature(tok[0].text)
            if name:
                # a span is whole tokens: 金沙江畔 stays one (its name is the 金沙江 in it)
                at = tok[0].idx
                found.append(
                    doc.char_span(at, at + len(name), label="AREA", alignment_mode="expand")
                )
        found += self._abbreviation_runs(doc, text)
        kept = [s for s in found if s is not None]
        if kept:
            doc.ents = filter_spans([*doc.ents, *kept])
        return doc


@Language.factory("innograph_geo_feature")
def make_geo_feature(nlp: Language, name: str) -> GeoFeatures:
    return GeoFeatures()
