"""Quantities and targets in Chinese and English policy text: a first, rule-based cut.

Units, count nouns and comparator words are data (nlp/data/*.jsonl); the rules here are
general (number shapes, magnitude words, target/actual cues, deadline years), following the
conventions of shared/data/gold/README.md. Output offsets index the text as given.
"""

from __future__ import annotations

import dataclasses
import json
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from nlp.comparators import comparator
from nlp.figure_shapes import is_cjk, language_runs, not_a_figure, not_a_statement
from nlp.figure_years import FigureTime, actual_year, clause_year, target_year
from nlp.indicators import indicator_key
from nlp.kinds import (
    clause_target,
    goal_before,
    nearest_cue_kind,
    planned_before,
)
from nlp.kinds import sentence_kind as sentence_kind_of
from nlp.numbers import parse_number
from nlp.phrases import en_phrase, respective, zh_phrase, zh_subject
from nlp.scopes import scopes
from nlp.sentences import sentence_spans
from nlp.timeframe import (
    Frame,
    base_year_spans,
    deadlines,
    document_date,
    headline_line,
    notice_year,
    opening_frame,
    period_end,
)

__all__ = ["Quantity", "extract_quantities", "with_scopes"]


@dataclass(frozen=True, slots=True)
class Quantity:
    kind: str  # target | actual
    indicator: str
    value: float
    unit: str
    comparator: str
    year: int | None
    scope: str | None
    start: int
    end: int
    evidence: str
    sentence: str = ""  # the whole sentence it was read from
    indicator_key: str | None = None  # the ledger's indicator (loaders/data/vocabulary.json)

    def shifted(self, delta: int) -> Quantity:
        """The same figure, its offsets moved by ``delta``."""
        return self._copy(self.scope, self.start + delta, self.end + delta)

    def scoped(self, scope: str | None) -> Quantity:
        """The same figure with ``scope``."""
        return self._copy(scope, self.start, self.end)

    def _copy(self, scope: str | None, start: int, end: int) -> Quantity:
        # written out: dataclasses.replace costs 6 us, and figures are copied per block
        q = self
        return Quantity(
            q.kind, q.indicator, q.value, q.unit, q.comparator, q.year,
            scope, start, end, q.evidence, q.sentence, q.indicator_key,
        )  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        return {"type": "quantity", **asdict(self)}


def _jsonl(name: str) -> list[dict[str, Any]]:
    text = resources.files("nlp").joinpath("data", name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@dataclass(frozen=True, slots=True)
class _Patterns:
    zh: re.Pattern[str]
    en: re.Pattern[str]
    units: dict[str, tuple[str, float]]


_ZH_NUM = r"(?:\d(?:[\d,，]*\d)?(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_EN_NUM = (
    r"(?:\d(?:[\d,]*\d)?(?:\.\d+)?|(?:ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
)


@cache
def _patterns() -> _Patterns:
    units = {
        u["word"].lower(): (u["unit"], float(u.get("scale", 1))) for u in _jsonl("units.jsonl")
    }
    zh_units = sorted(
        (u["word"] for u in _jsonl("units.jsonl") if u["lang"] in ("zh", "any")),
        key=len,
        reverse=True,
    )
    en_units = sorted(
        (u["word"] for u in _jsonl("units.jsonl") if u["lang"] in ("en", "any")),
        key=len,
        reverse=True,
    )
    nouns = sorted((n["noun"] for n in _jsonl("count_nouns.jsonl")), key=len, reverse=True)
    zh = re.compile(
        rf"(?P<num>{_ZH_NUM})(?P<more>多|余)?(?P<mag>万亿|万|亿)?(?P<unit>{'|'.join(map(re.escape, zh_units))})?"
    )
    en = re.compile(
        rf"(?:(?P<dollar>\$)|\b)(?P<num>{_EN_NUM})(?:[\s-]?(?P<mag>million|billion|trillion))?"
        rf"(?:[\s-]?(?P<unit>{'|'.join(map(re.escape, en_units))})(?![A-Za-z])"
        rf"|(?P<counted>(?:\s+[^\s.,;:()]+){{0,5}}?\s+(?:{'|'.join(nouns)})\b))?",
        re.IGNORECASE,
    )
    return _Patterns(zh, en, units)


# "revenue of 20 million yuan and above", 年主营业务收入2000万元及以上: a threshold that
# defines a class of firms belongs to the indicator, it states no amount.
_THRESHOLD = re.compile(r"\s*(?:and|or)\s+(?:above|more)\b|\s*(?:及|或)?以上(?:的)?(?:工业)?企业")
_REVENUE = re.compile(r"(?:revenue|income|收入)\s*(?:of)?\s*$", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


_LEAD = re.compile(r"^(?:(?:and|with|while|the|a total of|of|in)\b|其中|并|和|及)\s*", re.I)
_LEVEL = re.compile(r"\s+(?:at or above|above|at) the [\w-]+ level", re.I)
_TRAIL = re.compile(
    r"(?:\s*(?:will|reach(?:ing)?|exceed(?:ing)?|be|is|are|was|were|has|have|of|about|around|"
    r"more than|to|达到|超过|约|达|为|增长|提高|下降|增至))+\s*$",
    re.I,
)


def _indicator(
    text: str, sent_start: int, start: int, end: int, counted: str | None
) -> tuple[str, str]:
    """What is counted: the noun after an English count, else the noun phrase of the clause
    before the number (nlp/phrases.py; '' when the clause names nothing); and that clause."""
    if counted:
        # "at or above the municipal level" belongs to what is counted (the gold README)
        level = _LEVEL.match(text, end)
        counted += level.group() if level else ""
        return re.sub(r"\s+", " ", counted).strip(), ""
    before = text[sent_start:start]
    seps = r"[，,：:；;、(（]" if is_cjk(before[-30:]) else r"[，,：:；;]"
    clause = re.split(seps, before)[-1].strip(' \n"“”')
    for _ in range(3):
        stripped = _TRAIL.sub("", _LEAD.sub("", clause)).strip()
        if stripped == clause:
            break  # nothing more to take off: another pass would give the same
        clause = stripped
    if is_cjk(clause) or (not clause and is_cjk(text[start:end])):
        return zh_phrase(clause, text[end : end + 30]), clause
    # 20% of the total energy use: the whole a share is of, not what it measures
    share = re.search(r"(?:%|percent|per cent)$", text[start:end])
    return en_phrase(clause, "" if share else text[end : end + 80]), clause


def _amount(m: re.Match[str], zh: bool, pats: _Patterns) -> tuple[float, str] | None:
    """The value (magnitude and unit scale applied) and unit of a match; None if no number."""
    raw, unit_word, mag = m.group("num"), m.group("unit"), m.group("mag")
    if zh and mag == "亿" and not unit_word:
        unit_word = "元"  # 30亿: 元 left implicit
    try:
        value = parse_number(raw.replace("，", ","))
    except ValueError:
        return None
    unit, scale = pats.units.get(unit_word.lower(), ("count", 1.0)) if unit_word else ("count", 1.0)
    if m.groupdict().get("dollar"):
        unit = "USD"
    if mag:
        value *= _MAGNITUDES[mag.lower()]
    return round(value * scale, 6), unit


_MAGNITUDES = {
    "万": 1e4,
    "亿": 1e8,
    "万亿": 1e12,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}


def _dated_report(sentence: str, at: int, t: FigureTime) -> str:
    """该比重2022年达到45%，预计2027年超过60%: a Chinese figure with no goal word or deadline
    before it, dated by a year of its own clause, is a report; the goal comes after it."""
    if goal_before(sentence, at) or any(p < at for p, _ in t.deadlines):
        return "target"
    return "actual" if clause_year(sentence, at, t.bases) is not None else "target"


def _is_quantity(text: str, s_start: int, m: re.Match[str], zh: bool, sentence: str) -> bool:
    """Not a year, date or ordinal; a bare number only where the clause says what it counts."""
    counted = None if zh else m.groupdict().get("counted")
    has_unit = bool(m.group("unit") or counted or m.group("mag"))
    if not_a_figure(
        text, s_start + m.start("num"), s_start + m.end("num"), m.group("num"), has_unit
    ):
        return False
    if _THRESHOLD.match(sentence, m.end()) and _REVENUE.search(sentence, 0, m.start()):
        return False
    if zh and not_a_statement(sentence, m.start(), m.end()):
        return False
    return has_unit or bool(
        re.search(r"number of|\btotal\b|数量|总数|总量", sentence[: m.start()], re.I)
    )


def _sentence_quantities(text: str, s_start: int, s_end: int, time: FigureTime) -> list[Quantity]:
    """The quantities of one sentence, dated by ``time``."""
    pats = _patterns()
    sentence = text[s_start:s_end]
    zh = is_cjk(sentence)
    matches = list((pats.zh if zh else pats.en).finditer(sentence))
    if not matches:
        return []  # most sentences state no number: their time and kind are not needed
    # nor those whose numbers are none of its figures (进一步, 一批): read at the first figure
    t: FigureTime | None = None
    sentence_kind = ""
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []  # sentences never overlap: overlaps are within one
    for k, m in enumerate(matches):
        start, end = s_start + m.start(), s_start + m.end()
        upper = _upper_bound(sentence, m, matches[k + 1] if k + 1 < len(matches) else None)
        if upper is None and not _is_quantity(text, s_start, m, zh, sentence):
            continue
        amount = _amount(m, zh, pats) if upper is None else _lower_amount(m, upper, zh, pats)
        if amount is None or any(a < end and start < b for a, b in taken):
            continue
        taken.append((start, end))
        if t is None:
            bases = base_year_spans(sentence)
            t = time.of_sentence(deadlines(sentence, time.doc_year, bases), bases)
            sentence_kind = sentence_kind_of(
                sentence, zh, t.deadlines[0][0] if t.deadlines else None, t.frame
            )
        clause = clause_target(sentence, m.start(), m.end()) if sentence_kind == "actual" else None
        planned = planned_before(sentence, m.start())
        kind = "target" if clause or planned else sentence_kind
        if not zh and not (clause or planned):
            kind = nearest_cue_kind(sentence, m.start(), kind)
        elif kind == "target" and not (clause or planned or t.frame.target):
            kind = _dated_report(sentence, m.start(), t)
        if kind == "target" and _FROM.search(sentence, max(0, m.start() - 8), m.start()):
            kind = "actual"  # "up from 3.2 billion yuan", 从3000家增加到: where a change starts
        year = (
            target_year(sentence, m, t, clause) if kind == "target" else actual_year(sentence, m, t)
        )
        evidence = text[start:end]
        # a clause starts after a figure that closes one ("by 40 million hectares and …")
        indicator, clause_text = _indicator(
            text,
            out[-1].end if out and _CLOSES.match(text, out[-1].end) else s_start,
            start,
            end,
            None if zh else m.groupdict().get("counted"),
        )
        # 同比增长8%, accounting for 75 percent: what the figure before it measures; so does
        # an amount restated in another currency, "460 billion yuan (about $64.8 billion)"
        if out and _RESTATED.fullmatch(text, out[-1].end, start):
            indicator = out[-1].indicator
        if not indicator and zh:  # 高新技术企业数量迅猛增长，从2020年的6000多家: the
            # subject of a clause before it that states no figure
            since = text[out[-1].end if out else s_start : start]
            parts = re.split(r"[，,；;：:]", since)[1 if out else 0 : -1]  # not the tail of one
            for part in reversed(parts):
                if re.search(r"\d", part):
                    break
                indicator = zh_subject(part)
                if indicator:
                    break
        indicator = indicator or (out[-1].indicator if out else "")
        if zh and out and indicator.startswith("占") and clause_text.startswith("占"):
            # …增加值达到1000亿元，占GDP的比重达到15%: the share of what the figure before it
            # measures
            indicator = out[-1].indicator.split("占")[0] + indicator
        out.append(
            Quantity(
                kind=kind,
                indicator=indicator,
                value=amount[0],
                unit=amount[1],
                comparator=comparator(text, start, end, evidence, kind),
                year=year,
                scope=None,
                start=start,
                end=end,
                evidence=evidence,
                sentence=sentence.strip(),
                # the clause's words too: 有研发活动的企业占比 is the R&D-activity share
                indicator_key=indicator_key(f"{indicator} {evidence} {clause_text}"),
            )
        )
    return _ranges(text, _respectively(text, s_start, out))


# 高新技术企业、科技型中小企业数量分别增长1.9倍和1.6倍; X, Y and Z grew by 8, 9 and 10
# percent respectively: one listed quantity per figure
_LIST_JOIN = re.compile(r"\s*(?:[、，,]\s*(?:and\s+)?|和|及|与|以及|and)\s*", re.I)
_LIST_OPEN = re.compile(r"[，,：:；;]|\s--\s")


def _respectively(text: str, s_start: int, found: list[Quantity]) -> list[Quantity]:
    out = list(found)
    i = 0
    while i < len(out):
        j = i + 1
        while j < len(out) and _LIST_JOIN.fullmatch(text, out[j - 1].end, out[j].start):
            j += 1
        tail = text[out[j - 1].end : out[j - 1].end + 40]
        before = text[out[i - 1].end if i else s_start : out[i].start]
        clause = _LIST_OPEN.split(before)[-1]
        if j - i > 1 and ("分别" in clause or re.match(r"[^.;]*\brespectively\b", tail)):
            zh = is_cjk(clause)
            if zh:
                phrase = zh_phrase(clause.split("分别")[0])
            else:
                whole = " ".join(re.split(r"[;:]|\s--\s", before)[-1].split())
                # …, which saw its X, Y and Z grow by: the subject of the clause after saw
                phrase = en_phrase(re.sub(r"^.*?\b(?:saw|sees|see)\s+(?:its|their)\s+", "", whole))
            parts = respective(phrase, j - i)
            if parts:
                out[i:j] = [
                    dataclasses.replace(q, indicator=p, indicator_key=indicator_key(p))
                    for q, p in zip(out[i:j], parts, strict=True)
                ]
        i = j
    return out


# 40%-45%, 40% to 45%, 3至5个: a range; "from 12% to 15%" / 从…到 is a change, not a range
_RANGE_JOIN = re.compile(r"\s*(?:-|—|–|~|～|至|到|to)\s*", re.I)
_FROM = re.compile(r"(?:\bfrom|从|由)\s*$", re.I)


def _upper_bound(
    sentence: str, m: re.Match[str], after: re.Match[str] | None
) -> re.Match[str] | None:
    """The next figure when ``m`` is a bare number opening a range whose upper bound carries
    the unit (25 to 30 percent, 3至5个, 2-3亿元); else None."""
    if (
        after is None
        or m.group("unit")
        or m.group("mag")
        or m.groupdict().get("counted")
        or not (after.group("unit") or after.group("mag") or after.groupdict().get("counted"))
        or re.fullmatch(r"(19|20)\d\d", m.group("num"))
        or not _RANGE_JOIN.fullmatch(sentence, m.end(), after.start())
        or _FROM.search(sentence, max(0, m.start() - 8), m.start())
    ):
        return None
    return after


def _lower_amount(
    m: re.Match[str], upper: re.Match[str], zh: bool, pats: _Patterns
) -> tuple[float, str] | None:
    """A range's bare lower bound in the unit and magnitude of its upper bound."""
    high = _amount(upper, zh, pats)
    try:
        low, high_raw = (parse_number(g.group("num").replace("，", ",")) for g in (m, upper))
    except ValueError:
        return None
    if high is None or not high_raw:
        return None
    return round(low * high[0] / high_raw, 6), high[1]


def _ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """A range's two bounds: the lower one ``>=``, the upper one ``<=``, with the lower
    bound's indicator, kind and year (the gold README's judgement call)."""
    out = list(found)
    for i in range(len(out) - 1):
        low, high = out[i], out[i + 1]
        if (
            low.unit == high.unit
            and low.value < high.value
            and _RANGE_JOIN.fullmatch(text, low.end, high.start)
            and not _FROM.search(text, max(0, low.start - 8), low.start)
        ):
            out[i] = dataclasses.replace(low, comparator=">=")
            out[i + 1] = dataclasses.replace(
                high,
                comparator="<=",
                indicator=low.indicator,
                indicator_key=low.indicator_key,
                kind=low.kind,
                year=low.year,
            )
        elif low.unit != high.unit and _CONVERSION.fullmatch(text, low.end, high.start):
            # 700亿元($98亿), "70 billion yuan ($9.8 billion)": the same amount restated
            out[i + 1] = dataclasses.replace(
                high, comparator=out[i].comparator, kind=low.kind, year=low.year
            )
    return out


_CONVERSION = re.compile(r"\s*[(（]\s*")
_RESTATED = re.compile(
    r"\s*[(（]\s*(?:(?:about|around|approximately|some|nearly|约|合)\s*)?(?:US)?", re.I
)
_CLOSES = re.compile(r"\s*(?:[,，、;；]|(?:and|while|with)\b|和|及|并)", re.I)


def extract_quantities(
    text: str, published: date | None = None, sentences: list[tuple[int, int]] | None = None
) -> list[Quantity]:
    """Every quantity stated in ``text`` (offsets into ``text``); ``published`` is the
    document's date when the caller knows it, else the date written near its top;
    ``sentences``: ``sentence_spans(text)``, when the caller has them."""
    when = published or document_date(text)
    doc_year = when.year if when else None
    base = FigureTime(
        doc_year, period_end(text[:300]), Frame(None), report_year=notice_year(text, doc_year)
    )
    out: list[Quantity] = []
    frame = Frame(None)  # the year the text last set
    paragraph_quantities = 0
    breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    paragraph = 0
    for s_start, s_end in sentence_spans(text) if sentences is None else sentences:
        while paragraph < len(breaks) and breaks[paragraph] <= s_start:
            # a paragraph that stated nothing ends the run of figures the frame dated
            if paragraph_quantities == 0:
                frame = Frame(None)
            paragraph += 1
            paragraph_quantities = 0
        found, deck = [], False
        for a, b in language_runs(text[s_start:s_end]):
            frame = opening_frame(text[s_start + a : s_start + b], frame, doc_year)
            # a title or deck line reports the news of the document's date
            deck = doc_year is not None and headline_line(text, s_start + a)
            time = base.framed(Frame(doc_year, news=True) if deck else frame)
            found += _sentence_quantities(text, s_start + a, s_start + b, time)
        paragraph_quantities += len(found)
        out += found
        if not deck and found and found[-1].kind == "actual" and found[-1].year is not None:
            # a year a sentence states goes on dating the figures after it (全省…较上年增长)
            frame = Frame(found[-1].year)
    return out


def with_scopes(
    text: str,
    quantities: list[Quantity],
    mentions: Iterable[Any],
    sentences: list[tuple[int, int]] | None = None,
) -> list[Quantity]:
    """``quantities`` with ``scope`` set from the areas and organisations ``mentions`` found
    in ``text`` (same offsets): see nlp.scopes.scopes. ``sentences`` as for
    extract_quantities."""
    starts = [a for a, _ in (sentence_spans(text) if sentences is None else sentences)]
    figures = [(q.start, starts[bisect_right(starts, q.start) - 1]) for q in quantities]
    return [
        q.scoped(scope)
        for q, scope in zip(quantities, scopes(figures, mentions, text), strict=True)
    ]
