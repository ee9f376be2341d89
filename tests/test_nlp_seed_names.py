"""The seed's names found by one Aho-Corasick pass, on token boundaries (nlp.seed_names)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from nlp.seed_names import SeedNames


def _doc(words: list[str], spaces: list[bool] | None = None) -> Doc:
    return Doc(spacy.blank("zh").vocab, words=words, spaces=spaces or [False] * len(words))


def _ents(doc: Doc) -> list[tuple[str, str]]:
    return [(e.label_, e.text) for e in doc.ents]


def test_a_name_is_found_where_both_its_ends_fall_between_tokens() -> None:
    seed = SeedNames()
    seed.add([("TECH", "光伏"), ("AREA", "西安")])
    doc = seed(_doc(["西安", "建设", "光伏", "电站"]))
    assert _ents(doc) == [("AREA", "西安"), ("TECH", "光伏")]
    # 光伏 inside the token 光伏化 is no mention of it
    assert _ents(seed(_doc(["推进", "光伏化", "改造"]))) == []


def test_overlapping_names_the_longest_wins_then_the_leftmost() -> None:
    seed = SeedNames()
    seed.add([("TECH", "氢能"), ("TECH", "氢能燃料电池"), ("TECH", "燃料电池汽车")])
    doc = seed(_doc(["发展", "氢能", "燃料电池", "汽车"]))
    assert _ents(doc) == [("TECH", "氢能燃料电池")]


def test_english_names_match_in_any_case_and_a_name_keeps_its_first_label() -> None:
    seed = SeedNames()
    assert seed.add([("TECH", "Smart PV Modules"), ("AREA", "smart pv modules")]) == 1
    words = ["The", "smart", "PV", "modules", "line"]
    doc = seed(_doc(words, [True, True, True, True, False]))
    assert _ents(doc) == [("TECH", "smart PV modules")]


def test_an_empty_seed_leaves_the_doc_as_it_is() -> None:
    doc = _doc(["西安", "光伏"])
    assert SeedNames()(doc) is doc and _ents(doc) == []
