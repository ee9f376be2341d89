"""Places beyond the registry, for the Chinese pipeline (spaCy components):

- ``innograph_county_alias``: a county's bare short name (武功, 兴平, from
  ``nlp/data/china_areas.jsonl``, generated from jionlp) is an ordinary word too, so it is a
  place only in a list of places (黄陵、武功、兴平) or right after a place (咸阳兴平);
- ``innograph_site_suffix``: named parks, clusters, bases, new cities, basins and plains by
  their suffix (…产业园, …聚集区, …生态岛, …新城, …流域; ``nlp/data/site_suffixes.json``), read
  like organisation names (nlp.suffixes.OrgSuffix) with their own words.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

import jieba
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from nlp.suffixes import OrgSuffix, doc_text

__all__ = ["CountyAliases", "county_aliases", "make_county_alias", "make_site_suffix"]

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
            jieba.add_word(name, freq=2000)  # one token when the text writes it
        self.rx = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        areas = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "AREA"]
        taken = [(e.start_char, e.end_char) for e in doc.ents]
        hits = [
            m.span()
            for m in self.rx.finditer(text)
            if not any(a < m.end() and m.start() < b for a, b in taken)
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
