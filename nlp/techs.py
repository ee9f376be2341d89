"""A technology's extent, for the Chinese pipeline (spaCy component ``innograph_tech_extent``):
a technology word followed by the way it is applied (地热能 + 集中供热, 地热能 + 利用 + 技术) is
one mention, the longest (the gold's flat-span rule: 地热能集中供热, not 地热能). The words are
data (``nlp/data/tech_heads.json``)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

__all__ = ["TechExtent", "make_tech_extent", "tech_heads"]


@cache
def tech_heads() -> frozenset[str]:
    text = resources.files("nlp").joinpath("data", "tech_heads.json").read_text("utf-8")
    return frozenset(json.loads(text)["heads"])


class TechExtent:
    """Each TECH entity runs on over the application words right after it."""

    MAX_HEADS = 3

    def __init__(self) -> None:
        self.heads = tech_heads()

    def __call__(self, doc: Doc) -> Doc:
        changed = []
        for ent in doc.ents:
            if ent.label_ != "TECH":
                continue
            end = ent.end
            while (
                end < len(doc)
                and end - ent.end < self.MAX_HEADS
                and not doc[end - 1].whitespace_
                and not doc[end].ent_type_
                and doc[end].text in self.heads
            ):
                end += 1
            if end > ent.end:
                changed.append(Span(doc, ent.start, end, label="TECH"))
        if changed:
            doc.ents = filter_spans([*changed, *doc.ents])
        return doc


@Language.factory("innograph_tech_extent")
def make_tech_extent(nlp: Language, name: str) -> TechExtent:
    return TechExtent()
