"""Entity mentions (ORG, TECH, STANDARD, AREA) in Chinese and English text, with spaCy.

Pipelines are ``spacy.blank("zh")`` with the jieba segmenter (its dictionary extended with
the seed's names; ``nlp.segmenter``) and ``spacy.blank("en")``. The registry's names stay on disk
(``nlp.registry_index``): the zh tokenizer (:class:`RegistryTokenizer`) makes each registry
name found in the text one token, as a jieba word would be, and cuts the rest with jieba.
Each pipeline runs these pieces, whose patterns are data, not code:

- ``innograph_seed_names``: the seed's names found in the text (one Aho-Corasick pass,
  lower-cased, kept on token boundaries; ``nlp.seed_names``);
- ``innograph_registry``: the registry's names found in the text (longest first, on token
  boundaries: never inside a word);
- ``innograph_regex_entities``: regular expressions from ``nlp/data/entity_rules.jsonl``
  (standard codes; English organisation and place shapes);
- ``innograph_org_suffix`` (Chinese): a token ending in an organisation suffix from
  ``nlp/data/org_suffixes.json`` (人民政府, 有限公司, 研究院, ...), extended leftwards over
  name-like tokens up to a stop word or punctuation.
- ``innograph_firm_name``, ``innograph_site_suffix`` and ``innograph_county_alias``
  (Chinese): firms as trade name + industry word (``nlp.firms``), parks, clusters and new
  cities, and bare county names in a list of places (``nlp.places``);
  ``innograph_tech_extent``: a technology runs over how it is applied (地热能集中供热,
  ``nlp.techs``).

Where mentions overlap the longest wins (the gold's flat-span rule). Nothing is downloaded.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import (
    compile_infix_regex,
    compile_prefix_regex,
    compile_suffix_regex,
    filter_spans,
    get_words_and_spaces,
)

from nlp.firms import ShortNames, make_firm_name  # registers innograph_firm_name
from nlp.gazetteer import Gazetteer, Link
from nlp.places import CountyAliases  # its module registers the place components
from nlp.registry_index import RegistryIndex
from nlp.seed_names import SeedNames  # registers innograph_seed_names
from nlp.segmenter import segmenter
from nlp.suffixes import OrgSuffix, SuffixWords, doc_text, suffix_words
from nlp.techs import TechExtent  # registers innograph_tech_extent

__all__ = [
    "EXTRACTOR",
    "CountyAliases",
    "Mention",
    "OrgSuffix",
    "Pipelines",
    "RegexEntities",
    "RegistryEntities",
    "RegistryTokenizer",
    "SuffixWords",
    "TechExtent",
    "detect_lang",
    "make_firm_name",
    "make_org_suffix",
    "make_regex_entities",
    "make_registry_entities",
    "paragraphs",
    "suffix_words",
    "words_and_spaces",
]

jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not for users

EXTRACTOR = "nlp:entities@1"
_CJK = re.compile(r"[\u3400-\u9fff]")
# Capitalised words a sentence starts with, not part of a name.
_LEADING = re.compile(
    r"^(?:The|A|An|In|On|At|By|For|From|With|And|Of|To|As|This|That|Its|Their)\s+"
)


@dataclass(frozen=True, slots=True)
class Mention:
    label: str
    text: str
    start: int
    end: int
    link: Link
    lang: str

    def shifted(self, delta: int) -> Mention:
        """The same mention, its offsets moved by ``delta`` (cheaper than dataclasses.replace)."""
        return Mention(
            self.label, self.text, self.start + delta, self.end + delta, self.link, self.lang
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": "entity",
            "label": self.label,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "link": self.link.node,
            "link_method": self.link.method,
            "confidence": self.link.confidence,
            "lang": self.lang,
        }


def _data(name: str) -> str:
    return resources.files("nlp").joinpath("data", name).read_text(encoding="utf-8")


@cache
def _rules() -> tuple[tuple[str, str | None, re.Pattern[str]], ...]:
    rows = [json.loads(line) for line in _data("entity_rules.jsonl").splitlines() if line.strip()]
    return tuple((r["label"], r.get("lang"), re.compile(r["regex"])) for r in rows)


class RegexEntities:
    """Spans from the regular expressions of entity_rules.jsonl for this language."""

    def __init__(self, lang: str) -> None:
        self.rules = [(label, rx) for label, lang_, rx in _rules() if lang_ in (None, lang)]

    def __call__(self, doc: Doc) -> Doc:
        found = []
        text = doc_text(doc)
        for label, rx in self.rules:
            for m in rx.finditer(text):
                start, end = m.span()
                lead = _LEADING.match(m.group())
                if lead:
                    start += lead.end()
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                if span is not None:
                    found.append(span)
        if found:
            doc.ents = filter_spans([*doc.ents, *found])
        return doc


def _eligible(index: RegistryIndex, name: str, lang: str) -> str | None:
    """The label a registry name gets in a ``lang`` pipeline, None when it is not sought
    there: Chinese names in zh, the others in en, areas in both (as the patterns were)."""
    cjk = _CJK.search(name) is not None
    hits = index.hits(name)
    label = next((h.label for h in hits if (lang == "zh") == cjk or h.label == "AREA"), None)
    return label


class RegistryTokenizer:
    """The zh tokenizer: registry names found in the text (leftmost, longest, Chinese ones)
    are one token each; the text between them is cut by the jieba tokenizer it wraps."""

    def __init__(self, inner: Any, index: RegistryIndex) -> None:
        self.inner, self.index = inner, index
        self.vocab = inner.vocab

    def names(self, text: str) -> list[tuple[int, int]]:
        taken: list[tuple[int, int]] = []
        best: dict[int, int] = {}
        for start, end, name in self.index.find(text):
            if _CJK.search(name) and end > best.get(start, start):
                best[start] = end
        reach = 0
        for start in sorted(best):
            if start >= reach:
                taken.append((start, best[start]))
                reach = best[start]
        return taken

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        at = 0
        for start, end in self.names(text):
            words += segmenter.cut(text[at:start])
            words.append(text[start:end])
            at = end
        words += segmenter.cut(text[at:])
        words, spaces = words_and_spaces([w for w in words if w], text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["innograph_text"] = text  # what doc.text would join again
        return doc


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """spaCy's ``get_words_and_spaces(words, text)``, the same answer, in linear time when
    ``words`` cut ``text`` into pieces (as jieba's words do): spaCy's copies the rest of the
    text for each word, quadratic in a long paragraph."""
    if "".join(words) != text:
        return get_words_and_spaces(words, text)  # it checks, and says what does not fit
    out: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for word in words:
        if word.isspace():
            continue  # whitespace is a token only where no space flag can hold it
        start = text.index(word, pos)
        if start > pos:
            out.append(text[pos:start])
            spaces.append(False)
        out.append(word)
        pos = start + len(word)
        space = pos < len(text) and text[pos] == " "
        spaces.append(space)
        pos += space
    if pos < len(text):
        out.append(text[pos:])
        spaces.append(False)
    return out, spaces


class RegistryEntities:
    """Registry names in the text as entities, where they fall on token boundaries;
    overlapping mentions: the longest wins."""

    def __init__(self, lang: str, index: RegistryIndex | None = None) -> None:
        self.lang = lang
        self.index = index or RegistryIndex.from_entries(())

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for start, end, name in self.index.find(doc_text(doc)):
            label = _eligible(self.index, name, self.lang)
            span = doc.char_span(start, end, label=label) if label else None
            if span is not None:
                found.append(span)
        if found:
            doc.ents = filter_spans([*doc.ents, *found])
        return doc


@Language.factory("innograph_registry")
def make_registry_entities(nlp: Language, name: str) -> RegistryEntities:
    """Empty until :class:`Pipelines` gives it the gazetteer's index."""
    return RegistryEntities(nlp.lang or "en")


@Language.factory("innograph_regex_entities")
def make_regex_entities(nlp: Language, name: str) -> RegexEntities:
    return RegexEntities(nlp.lang or "en")


@Language.factory("innograph_org_suffix")
def make_org_suffix(nlp: Language, name: str) -> OrgSuffix:
    return OrgSuffix()


_LATIN_WORD = re.compile(r"[A-Za-z]+")


def detect_lang(text: str) -> str:
    """zh when the text has more CJK characters than Latin words (a CJK character carries
    about a word), else en: a Chinese name glossed in an English sentence stays English."""
    return "zh" if len(_CJK.findall(text)) > len(_LATIN_WORD.findall(text)) else "en"


def paragraphs(text: str, offset: int = 0) -> Iterator[tuple[int, str]]:
    """(start, paragraph) for each non-blank line block; starts index ``text`` (+ offset)."""
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        if m.group().strip():
            yield offset + m.start(), m.group()


def _split_slashes(nlp: Language) -> None:
    """A wire's dateline names its agencies between slashes (/Xinhua=KYODO JBN/--): the
    English tokenizer splits on / and = and cuts a trailing --."""
    tokenizer: Any = nlp.tokenizer  # spaCy's Cython Tokenizer has no stubs
    defaults = nlp.Defaults
    tokenizer.infix_finditer = compile_infix_regex([*(defaults.infixes or ()), r"[/=]"]).finditer
    tokenizer.prefix_search = compile_prefix_regex([*(defaults.prefixes or ()), r"/"]).search
    tokenizer.suffix_search = compile_suffix_regex(
        [*(defaults.suffixes or ()), r"/", r"-{2}"]
    ).search


class Pipelines:
    """The zh and en pipelines over one gazetteer; ``mentions`` reads a text in either."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        for e in gazetteer.names():
            if _CJK.search(e.text):
                segmenter.add_word(e.text, freq=200000)  # a seed name stays one token
        self.nlp = {"zh": self._build("zh"), "en": self._build("en")}
        self._area_names = frozenset(e.text.lower() for e in gazetteer.names("AREA"))

    def _build(self, lang: str) -> Language:
        if lang == "zh":
            nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
            nlp.tokenizer = RegistryTokenizer(nlp.tokenizer, self.gazetteer.index)
        else:
            nlp = spacy.blank("en")
            _split_slashes(nlp)
        seed = nlp.add_pipe("innograph_seed_names")
        assert isinstance(seed, SeedNames)
        seed.add(
            (e.label, e.text)
            for e in self.gazetteer.names()
            if (lang == "zh") == bool(_CJK.search(e.text)) or e.label == "AREA"
        )
        registry = nlp.add_pipe("innograph_registry")
        assert isinstance(registry, RegistryEntities)
        registry.index = self.gazetteer.index
        nlp.add_pipe("innograph_regex_entities")
        if lang == "zh":
            nlp.add_pipe("innograph_org_suffix")
            nlp.add_pipe("innograph_firm_name")
            nlp.add_pipe("innograph_site_suffix")
            nlp.add_pipe("innograph_county_alias")
            nlp.add_pipe("innograph_geo_feature")
            nlp.add_pipe("innograph_tech_extent")
        return nlp

    def mentions(self, text: str, lang: str = "auto", batch_size: int = 64) -> Iterator[Mention]:
        """Every mention in ``text``; offsets index ``text``."""
        yield from self.mentions_in(paragraphs(text), lang, batch_size)

    def mentions_in(
        self,
        parts: Iterable[tuple[int, str]],
        lang: str = "auto",
        batch_size: int = 64,
        langs: Counter[str] | None = None,
    ) -> Iterator[Mention]:
        """Mentions in (offset, paragraph) pairs, streamed through ``nlp.pipe`` in batches;
        ``langs`` (if given) counts the characters read in each language."""
        batch: dict[str, list[tuple[str, int]]] = {"zh": [], "en": []}
        short = ShortNames(self._area_names)

        def flush(which: str) -> Iterator[Mention]:
            items = batch[which]
            # a line break inside a sentence must not split a name: same length, one space
            texts = (t.replace("\n", " ") for t, _ in items)
            for doc, (part, offset) in zip(
                self.nlp[which].pipe(texts, batch_size=batch_size), items, strict=True
            ):
                yield from self._doc_mentions(doc, part, offset, which, short)
            items.clear()

        for offset, part in parts:
            which = detect_lang(part) if lang == "auto" else lang
            if langs is not None:
                langs[which] += len(part)
            batch[which].append((part, offset))
            if len(batch[which]) >= batch_size:
                yield from flush(which)
        for which in ("zh", "en"):
            if batch[which]:
                yield from flush(which)

    def _doc_mentions(
        self, doc: Doc, part: str, offset: int, lang: str, short: ShortNames
    ) -> Iterator[Mention]:
        spans: list[tuple[str, int, int]] = []
        for ent in doc.ents:
            # the text as given (line breaks kept); no trailing punctuation or space
            stripped = part[ent.start_char : ent.end_char].rstrip(" ，,。、\n")
            spans.append((ent.label_, ent.start_char, ent.start_char + len(stripped)))
            short.learn(ent.label_, stripped, ent.kb_id_)
        # a firm's trade name alone, once the document has named the firm (隆基, LONGi)
        spans += [("ORG", a, b) for a, b in short.find(part, [(a, b) for _, a, b in spans])]
        for label, start, end in sorted(spans, key=lambda s: s[1]):
            text = part[start:end]
            yield Mention(
                label, text, offset + start, offset + end, self.gazetteer.link(label, text), lang
            )
