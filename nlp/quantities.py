"""Quantities and targets in Chinese and English policy text: a first, rule-based cut.

Units, count nouns and comparator words are data (nlp/data/*.jsonl); the rules here are
general (number shapes, magnitude words, target/actual cues, deadline years), following the
conventions of shared/data/gold/README.md. Output offsets index the text as given.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Any

from nlp.numbers import parse_number
from nlp.sentences import sentence_spans

__all__ = ["Quantity", "extract_quantities"]


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
    comparators: list[dict[str, Any]]


_ZH_NUM = r"(?:\d(?:[\d,，]*\d)?(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_EN_NUM = (
    r"(?:\d(?:[\d,]*\d)?(?:\.\d+)?|(?:ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
)


@cache
def _patterns() -> _Patterns:
    units = {u["word"]: (u["unit"], float(u.get("scale", 1))) for u in _jsonl("units.jsonl")}
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
        rf"(?P<num>{_ZH_NUM})(?P<more>多)?(?P<mag>万亿|万|亿)?(?P<unit>{'|'.join(map(re.escape, zh_units))})?"
    )
    en = re.compile(
        rf"\b(?P<num>{_EN_NUM})(?:[\s-]?(?P<mag>million|billion|trillion))?"
        rf"(?:[\s-]?(?P<unit>{'|'.join(map(re.escape, en_units))})(?![A-Za-z])"
        rf"|(?P<counted>(?:\s+[^\s.,;:()]+){{0,5}}?\s+(?:{'|'.join(nouns)})\b))?",
        re.IGNORECASE,
    )
    return _Patterns(zh, en, units, _jsonl("comparators.jsonl"))


_TARGET_ZH = re.compile(r"到20\d\d年|力争|目标|规划|计划|将|预计|确保|拟|十四五.{0,2}末|20\d\d年前")
_ACTUAL_ZH = re.compile(r"已|累计|同比|增至|较上年|比上年|去年|完成|实现了")
_TARGET_EN = re.compile(
    r"\bby 20\d\d\b|\bwill\b|\bplan(?:ned|s)?\b|\btarget|\baim|\bexpected\b|\bto be built\b|\bdesigned\b",
    re.I,
)
_ACTUAL_EN = re.compile(
    r"\b(?:increased|grew|reached|rose|was|were|had|has|have|last year|year-on-year)\b", re.I
)
_DEADLINE = re.compile(r"(?:[Bb]y|到|至)\s?(20\d\d)|(20\d\d)年(?:前|底前)|十四五.{0,2}末")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
# A sentence opening with its reference year ("In 2022, ...", "2022年，...", "2022年以来") sets
# the year that later statements without a year of their own refer to.
_TIME_FRAME = re.compile(r"^\s*(?:In\s+(20\d\d)\s*,|(20\d\d)\s*年\s*(?:[，,]|以来|全年))")
# An opening with a relative time (this year, 今年, since ...) ends it: those have no year.
_RELATIVE_FRAME = re.compile(
    r"^\s*(?:In\s+\w+\s+(?:this|last)\s+year|This year|Last year|Since|Over the past|In recent years|"
    r"So far|今年|去年|近年来|近[一二三四五六七八九十几]年|截至目前|目前|以来)",
    re.IGNORECASE,
)
_RELATIVE_YEAR = re.compile(r"去年|今年|前年|上年|last year|this year|the previous year", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _is_cjk(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def _skip(text: str, start: int, end: int, raw: str, has_unit: bool) -> bool:
    """Numbers that are not quantities: years, dates, ordinals, document numbers, periods,
    and small Chinese numerals with a classifier, which are idioms (三项改革), not counts."""
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    if re.fullmatch(r"(19|20)\d\d", raw) and (after.startswith("年") or not has_unit):
        return True
    if re.fullmatch(r"[一二两三四五六七八九]", raw):
        return True
    if before.endswith(("第", "〔", "[", "(20")) or after.startswith(
        ("月", "日", "号", "〕", "年", "th", "st", "nd", "rd")
    ):
        return True
    # plan periods: 十四五, 十三五
    return bool(re.match(r"[十百千]*[一二三四五]五", raw) or raw in ("十四", "十三", "十二"))


def _comparator(text: str, start: int, end: int, evidence: str, kind: str) -> str:
    window_before = text[max(0, start - 16) : start].lower()
    window_after = text[end : end + 4]
    found = None
    for c in _patterns().comparators:
        word = c["word"]
        if c["where"] == "inside" and word in evidence:
            return str(c["comparator"])
        if c["where"] == "after" and window_after.startswith(word):
            return str(c["comparator"])
        if c["where"] == "before" and window_before.rstrip().endswith(word.lower()):
            found = c["comparator"]
    if found is None:
        for c in _patterns().comparators:
            if c["where"] == "before" and re.search(
                rf"{re.escape(c['word'].lower())}\s*(?:to\s*)?$", window_before.strip()
            ):
                found = c["comparator"]
                break
    if found == "reach" or found is None:
        return ">=" if kind == "target" else "="
    return str(found)


_LEAD = re.compile(r"^(?:and|with|while|the|a total of|of|in|其中|并|和|及)\s*", re.I)
_TRAIL = re.compile(
    r"(?:\s*(?:will|reach(?:ing)?|exceed(?:ing)?|be|is|are|was|were|has|have|of|about|around|"
    r"more than|to|达到|超过|约|达|为|增长|提高|下降|增至))+\s*$",
    re.I,
)


def _indicator(text: str, sent_start: int, start: int, counted: str | None) -> str:
    """What is counted (the noun after an English count) or the clause before the number."""
    if counted:
        return re.sub(r"\s+", " ", counted).strip()
    clause = re.split(r"[，,：:；;]", text[sent_start:start])[-1].strip(' \n"“”')
    for _ in range(3):
        clause = _TRAIL.sub("", _LEAD.sub("", clause)).strip()
    return re.sub(r"\s+", " ", clause)


_CLAUSE = re.compile(r"[，,；;：:]")
# Within its own clause, a figure named as a goal is a target, whatever the sentence reports:
# 提前完成“十四五”末达到1万家的目标.
_CLAUSE_TARGET = re.compile(r"^[^，,；;]{0,4}的?目标|^\S{0,2}\s*(?:target|goal)\b", re.I)


def _clause_kind(
    sentence: str, start: int, end: int, kind: str, deadline: re.Match[str] | None
) -> tuple[str, re.Match[str] | None]:
    if kind == "target":
        return kind, deadline
    if _CLAUSE_TARGET.search(sentence[end : end + 12]):
        clause_start = max((m.end() for m in _CLAUSE.finditer(sentence, 0, start)), default=0)
        own = _DEADLINE.search(sentence, clause_start, end)
        return "target", own
    return kind, deadline


def _sentence_kind(sentence: str, zh: bool) -> str:
    """target when the sentence states a goal (in Chinese, unless it reports first)."""
    target_cue = (_TARGET_ZH if zh else _TARGET_EN).search(sentence)
    actual_cue = (_ACTUAL_ZH if zh else _ACTUAL_EN).search(sentence)
    if target_cue and not (actual_cue and actual_cue.start() < target_cue.start() and zh):
        return "target"
    return "actual"


def _amount(m: re.Match[str], zh: bool, pats: _Patterns) -> tuple[float, str] | None:
    """The value (magnitude and unit scale applied) and unit of a match; None if no number."""
    raw, unit_word, mag = m.group("num"), m.group("unit"), m.group("mag")
    if zh and mag == "亿" and not unit_word:
        unit_word = "元"  # 30亿: 元 left implicit
    try:
        value = parse_number(raw.replace("，", ","))
    except ValueError:
        return None
    unit, scale = pats.units.get(unit_word or "", ("count", 1.0)) if unit_word else ("count", 1.0)
    if unit_word and unit_word.lower() in pats.units:
        unit, scale = pats.units[unit_word.lower()]
    elif unit_word:
        unit, scale = pats.units.get(unit_word, ("count", 1.0))
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


def _year(
    sentence: str, m: re.Match[str], kind: str, deadline: re.Match[str] | None, frame: int | None
) -> int | None:
    """A target's deadline; an actual figure's year (the sentence's, else the text's frame)."""
    if kind == "target":
        return int(deadline.group(1) or deadline.group(2) or 2025) if deadline else None
    years = [y for y in _YEAR.finditer(sentence) if y.start() < m.start()]
    year = int(years[-1].group(1)) if years else frame
    clause_at = max((c.end() for c in _CLAUSE.finditer(sentence, 0, m.start())), default=0)
    since = max(years[-1].end() if years else 0, clause_at)
    if _RELATIVE_YEAR.search(sentence, since, m.start()):
        return None  # 从2020年的6000家增长到去年的1.6万家: the text fixes no year
    return year


def _is_quantity(text: str, s_start: int, m: re.Match[str], zh: bool, sentence: str) -> bool:
    """Not a year, date or ordinal; a bare number only where the clause says what it counts."""
    counted = None if zh else m.groupdict().get("counted")
    has_unit = bool(m.group("unit") or counted or m.group("mag"))
    if _skip(text, s_start + m.start("num"), s_start + m.end("num"), m.group("num"), has_unit):
        return False
    return has_unit or bool(re.search(r"number of|数量|总数", sentence[: m.start()], re.I))


def _sentence_quantities(text: str, s_start: int, s_end: int, frame: int | None) -> list[Quantity]:
    """The quantities of one sentence; ``frame`` is the year the text last set."""
    pats = _patterns()
    sentence = text[s_start:s_end]
    zh = _is_cjk(sentence)
    # a figure a clause names as a goal turns the rest of the sentence into targets too
    kind, deadline = _sentence_kind(sentence, zh), _DEADLINE.search(sentence)
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []  # sentences never overlap: overlaps are within one
    for m in (pats.zh if zh else pats.en).finditer(sentence):
        start, end = s_start + m.start(), s_start + m.end()
        if not _is_quantity(text, s_start, m, zh, sentence):
            continue
        amount = _amount(m, zh, pats)
        if amount is None or any(a < end and start < b for a, b in taken):
            continue
        taken.append((start, end))
        kind, deadline = _clause_kind(sentence, m.start(), m.end(), kind, deadline)
        evidence = text[start:end]
        out.append(
            Quantity(
                kind=kind,
                indicator=_indicator(
                    text, s_start, start, None if zh else m.groupdict().get("counted")
                ),
                value=amount[0],
                unit=amount[1],
                comparator=_comparator(text, start, end, evidence, kind),
                year=_year(sentence, m, kind, deadline, frame),
                scope=None,
                start=start,
                end=end,
                evidence=evidence,
                sentence=sentence.strip(),
            )
        )
    return out


def extract_quantities(text: str) -> list[Quantity]:
    """Every quantity stated in ``text`` (offsets into ``text``)."""
    out: list[Quantity] = []
    frame: int | None = None  # the reference year the text last set
    paragraph_quantities = 0
    breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    paragraph = 0
    for s_start, s_end in sentence_spans(text):
        while paragraph < len(breaks) and breaks[paragraph] <= s_start:
            # a paragraph that stated nothing ends the run of figures the frame dated
            if paragraph_quantities == 0:
                frame = None
            paragraph += 1
            paragraph_quantities = 0
        sentence = text[s_start:s_end]
        opening = _TIME_FRAME.match(sentence)
        if opening:
            frame = int(opening.group(1) or opening.group(2))
        elif _RELATIVE_FRAME.match(sentence):
            frame = None
        found = _sentence_quantities(text, s_start, s_end, frame)
        paragraph_quantities += len(found)
        out += found
    return out
