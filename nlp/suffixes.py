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

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.jieba_dict import word_tags
from nlp.segmenter import segmenter

__all__ = ["OrgSuffix", "SuffixWords", "doc_text", "suffix_words", "word_tag"]

_CJK = re.compile(r"[\u3400-\u9fff]")


def _data(name: str) -> str:
    return resources.files("nlp").joinpath("data", name).read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class SuffixWords:
    """The words of a suffix reader (org_suffixes.json, site_suffixes.json): suffixes, stop
    words a name does not extend over, generic heads (a description, not a name), and the
    suffixes whose bare administrative head is still a name (省政府, 市科技局); kinds an area
    has many of (创新联合体, 实验室: 江苏省创新联合体 is a class), heads that end in a type word
    (任务型, 科技型), and jieba part-of-speech tags a name never extends over (prepositions,
    conjunctions, adverbs, pronouns, particles: 自, 随着, 已经, 各, 以)."""

    suffixes: tuple[str, ...]
    stops: frozenset[str]
    generic: frozenset[str]
    admin_heads: frozenset[str] = frozenset()
    admin_suffixes: frozenset[str] = frozenset()
    class_suffixes: frozenset[str] = frozenset()
    type_endings: tuple[str, ...] = ()
    stop_tags: frozenset[str] = frozenset()
    inner_words: frozenset[str] = frozenset()  # never stops, whatever their tag (…防护用…)
    # words jieba must cut, so that a name ends on its suffix: a news dateline 三秦网|讯
    splits: tuple[tuple[str, str], ...] = ()
    # tokens no name runs over by their shape: ordinals (第十九, of 第十九批), tiers (三级)
    stop_pattern: re.Pattern[str] = re.compile(r"(?!)")
    # levels a class of institution is written with (国家企业技术中心, 省级工程研究中心): like a
    # place before a class suffix, they make it a class, not a name
    class_levels: frozenset[str] = frozenset()
    # jieba tags of common words (nouns, verbal nouns, adjectives): a site's head made only
    # of them (优质清洁能源生产基地) describes, a name has a proper or unknown word
    common_tags: frozenset[str] = frozenset()
    # addresses (…小区, …苑, …大道, …岛): never over the place before them, which anchors a
    # head of common words (秦都区|世纪大道)
    address_suffixes: frozenset[str] = frozenset()
    # 局, 厅, 委 as a token of their own: a body only after a place (咸阳市自然资源局, 市局)
    place_suffixes: frozenset[str] = frozenset()
    # company forms, and verbs that are an industry word right before one (九冶建设有限公司)
    form_suffixes: frozenset[str] = frozenset()
    before_form: frozenset[str] = frozenset()


_OPEN, _CLOSE = frozenset("(（"), frozenset(")）")


@cache
def suffix_words(name: str) -> SuffixWords:
    data = json.loads(_data(name))
    return SuffixWords(
        tuple(sorted(data["suffixes"], key=len, reverse=True)),
        frozenset(data["stops"]),
        frozenset(data["generic"]),
        frozenset(data.get("admin_heads", ())),
        frozenset(data.get("admin_suffixes", ())),
        frozenset(data.get("class_suffixes", ())),
        tuple(data.get("type_endings", ())),
        frozenset(data.get("stop_tags", ())),
        frozenset(data.get("inner_words", ())),
        tuple((a, b) for a, b in data.get("splits", ())),
        re.compile(data.get("stop_pattern", "(?!)")),
        frozenset(data.get("class_levels", ())),
        frozenset(data.get("common_tags", ())),
        frozenset(data.get("address_suffixes", ())),
        frozenset(data.get("place_suffixes", ())),
        frozenset(data.get("form_suffixes", ())),
        frozenset(data.get("before_form", ())),
    )


# 各区、县人民政府, 各市县政府: bare administrative heads governed by 各 name every such body
_EACH = re.compile(r"各[省市县区州镇乡]?(?:[、，,和及与][省市县区州镇乡])*[、，,和及与]?$")


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per doc (spaCy's getter joins every token on each read; the
    components that scan the text share it)."""
    text: str | None = doc.user_data.get("innograph_text")
    if text is None:
        text = doc.user_data["innograph_text"] = doc.text
    return text


def word_tag(word: str) -> str | None:
    """jieba's dictionary part-of-speech tag of ``word`` (None: not a dictionary word)."""
    return word_tags().get(word)


class OrgSuffix:
    """Chinese organisation names (or, with other words, named sites): a suffix token and
    the name-like tokens before it."""

    MAX_TOKENS = 8

    def __init__(self, words: str = "org_suffixes.json", label: str = "ORG") -> None:
        self.words, self.label = suffix_words(words), label
        self.suffixes, self.stops, self.generic = (
            self.words.suffixes,
            self.words.stops,
            self.words.generic,
        )
        for suffix in self.suffixes:
            if len(suffix) >= 3:
                segmenter.add_word(suffix)  # a suffix stays one token, so the name ends on it
        for head in self.words.admin_heads:  # 经/市人民政府, not 经市/人民政府
            for suffix in self.words.admin_suffixes:
                segmenter.add_word(head + suffix, freq=200000)
        for pair in self.words.splits:
            segmenter.split(*pair)
        self.suffix_rx = re.compile("|".join(map(re.escape, self.suffixes)))
        # the suffixes ending in each character, in the list's order: a token's suffix is
        # the first of those it ends with (the first of the whole list it ends with)
        self.by_last: dict[str, tuple[str, ...]] = {}
        for suffix in self.suffixes:
            self.by_last[suffix[-1]] = (*self.by_last.get(suffix[-1], ()), suffix)

    def _suffix_tokens(self, doc: Doc) -> Iterator[int]:
        """Indexes of tokens ending in a suffix, found by one regex scan of the text."""
        seen = -1
        for m in self.suffix_rx.finditer(doc_text(doc)):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and span.end - 1 > seen and span[-1].text.endswith(self.suffixes):
                seen = span.end - 1
                yield seen

    def _extends(self, doc: Doc, j: int, stop_at_orgs: bool, address: bool = False) -> bool:
        """Whether the name goes on over token ``j`` (leftwards); ``stop_at_orgs``: not over an
        organisation; ``address``: not over a place either."""
        tok = doc[j]
        return (
            not (address and tok.ent_type_ == "AREA")
            and _CJK.fullmatch(tok.text[:1] or "x") is not None
            and tok.text not in self.stops
            and not self.words.stop_pattern.match(tok.text)
            and not tok.is_punct
            and not tok.whitespace_  # a Chinese name has no space inside
            and (
                tok.text in self.words.inner_words or word_tag(tok.text) not in self.words.stop_tags
            )
            and not (stop_at_orgs and tok.ent_type_ == "ORG")
            # one site's name does not run over another site's suffix (…水电站白鹤滩水电站)
            and not (stop_at_orgs and tok.text in self.suffixes)
        )

    def __call__(self, doc: Doc) -> Doc:
        hits = list(self._suffix_tokens(doc))
        if not hits:
            return doc
        found = []
        # a site's name does not run over an organisation before it (同力重工 | 西坡基地);
        # it may run over a place or a technology (泾河双碳光伏产业园). Token entity types,
        # not doc.ents (whose getter walks the whole doc).
        stop_at_orgs = self.label == "AREA"
        for i in hits:
            text = doc[i].text
            suffix = next(s for s in self.by_last[text[-1]] if text.endswith(s))
            j = i
            address = suffix in self.words.address_suffixes
            if address and doc[i].ent_type_:
                continue  # a place word ending in one (青岛) is that place, not a suffix
            # 市局, 省委: a short name runs over a place or a body before it only (陕西省委,
            # 中共重庆市委, 国家税务总局陕西省税务局; not 贯彻省委)
            short = text[:1] in self.words.admin_heads and (
                text[1:] in self.words.admin_suffixes or text[1:] in self.words.place_suffixes
            )
            while j > 0 and i - j < self.MAX_TOKENS:
                if short:
                    before = doc[j - 1]
                    if before.whitespace_ or not (
                        before.ent_type_ in ("AREA", "ORG") or before.text == "中共"
                    ):
                        break
                    j -= 1
                elif self._extends(doc, j - 1, stop_at_orgs, address) or self._industry(
                    doc, j - 1, i, suffix
                ):
                    j -= 1
                elif self._bracketed_place(doc, j):
                    j -= 3  # 中石化绿源地热能(陕西)公司: the firm's place in brackets
                else:
                    break
            if suffix in self.words.place_suffixes and not self._after_place(doc, j, i):
                continue
            span = doc[j : i + 1]
            head = [t.text for t in doc[j:i]] + [text[: -len(suffix)]]
            places = [doc[k].ent_type_ == "AREA" for k in range(j, i)] + [False]
            anchored = address and j > 0 and doc[j - 1].ent_type_ == "AREA"
            if self._is_name(head, places, suffix, span.text, anchored) and not self._each(
                doc, span
            ):
                found.append(Span(doc, j, i + 1, label=self.label))
        if found:
            doc.ents = filter_spans([*doc.ents, *found])
        return doc

    def _industry(self, doc: Doc, j: int, i: int, suffix: str) -> bool:
        """An industry word that is otherwise a verb, right before a company form (建设 of
        九冶建设有限公司)."""
        return (
            j == i - 1
            and doc[i].text == suffix
            and suffix in self.words.form_suffixes
            and doc[j].text in self.words.before_form
        )

    def _bracketed_place(self, doc: Doc, j: int) -> bool:
        """``(place)`` right before token ``j``, inside an organisation's name."""
        return (
            self.label == "ORG"
            and j >= 4
            and doc[j - 1].text in _CLOSE
            and doc[j - 3].text in _OPEN
            and doc[j - 2].ent_type_ == "AREA"
            and self._extends(doc, j - 4, False)
        )

    def _after_place(self, doc: Doc, j: int, i: int) -> bool:
        """局, 厅, 委 as a whole token (not the end of 格局, 布局) after a place or an
        administrative head (咸阳市自然资源局, 省水利厅, 市局)."""
        text = doc[i].text
        if text in self.words.place_suffixes:
            return j < i and doc[j].ent_type_ == "AREA"
        return text[:-1] in self.words.admin_heads

    def _each(self, doc: Doc, span: Span) -> bool:
        """各区、县人民政府: a bare administrative head governed by 各 is every such body."""
        head = span.text[:1]
        return head in self.words.admin_heads and bool(
            _EACH.search(doc[max(0, span.start - 4) : span.start].text[-8:])
        )

    def _is_name(
        self, head: list[str], places: list[bool], suffix: str, text: str, anchored: bool = False
    ) -> bool:
        """A bare suffix (公司, 中心) or one after generic words (产业创新中心) is a description;
        a kind an area has many of after places and generic words (江苏省创新联合体), or after
        a type word (任务型创新联合体), is a class. A bare administrative head with a
        government suffix is a short name (省政府)."""
        joined = "".join(head)
        if joined in self.words.admin_heads and suffix in self.words.admin_suffixes:
            return True
        if text[:1] in self.words.admin_heads and text[1:] in self.words.admin_suffixes:
            return True  # 市委, 省委: a suffix word that is itself the short name
        if suffix in self.words.class_suffixes and (
            joined.endswith(self.words.type_endings)
            or all(
                not h or h in self.generic or h in self.words.class_levels or p
                for h, p in zip(head, places, strict=True)
            )
        ):
            return False
        if (
            self.words.common_tags
            and not anchored
            and all(
                not h or h in self.generic or (word_tag(h) in self.words.common_tags and not p)
                for h, p in zip(head, places, strict=True)
            )
        ):
            return False  # 优质清洁能源生产基地: common words only, a description
        return not all(not h or h in self.generic for h in head) and len(text) >= 3
