"""Which year a figure gets: a year after it in its clause, a year opening its clause, the
deadline before it, the frame the text set, a relative time, or the document's own date for
a present state; base years never (shared/data/gold/README.md, "year")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.kinds import CLAUSE
from nlp.timeframe import Frame, period_end, relative_year

__all__ = ["FigureTime", "actual_year", "clause_year", "target_year"]

# a year, not an amount written with a magnitude or unit (2000万元, 2000家, 2000 yuan)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d|\.\d|\s*(?:[万亿千百元多余家个人项%]|yuan|percent))")
_BY = re.compile(
    r"(?:(?<!\d年)(?:到|(?<![截直])至)|\bby(?:\s+the\s+end\s+of)?)\s*$", re.I
)  # 到2025年, by 2030: a deadline (2020年至2022年 is a span)
# "12 percent in 2023 and 15 percent in 2026", "about 20% of the total energy use in 2025": a
# year after the figure in its own clause, before any other number, is its own
_YEAR_AFTER = re.compile(
    r"[^,，;；.。\d]*?\b(?:in|by|during|at)\s+(?:the\s+(?:(?:first|second|third|fourth)\s+"
    r"(?:half|quarter|three\s+quarters)|end)\s+of\s+|(?:early|late|mid-?)\s*)?(20\d\d)\b",
    re.I,
)
# present-state words: the figure is as of the document's date
_PRESENT = re.compile(
    r"已|目前|当前|现有|截至目前|\bcurrently\b|\bnow\b|\bhas\s+(?:exceeded|reached)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class FigureTime:
    """What dates the figures of one sentence: the document's year and plan period end, the
    frame the text set, the sentence's deadlines and base-year spans."""

    doc_year: int | None
    plan_end: int | None
    frame: Frame
    deadlines: list[tuple[int, int]] = field(default_factory=list)
    bases: list[tuple[int, int]] = field(default_factory=list)
    report_year: int | None = None  # the year a notice reports on (timeframe.notice_year)

    # Copies with one part changed, written out: dataclasses.replace cost 6 us, twice per
    # sentence (a new field must be added here too: tests/test_nlp_shifted.py)
    def framed(self, frame: Frame) -> FigureTime:
        """The same, under ``frame``."""
        return FigureTime(
            self.doc_year, self.plan_end, frame, self.deadlines, self.bases, self.report_year
        )

    def of_sentence(
        self, deadlines: list[tuple[int, int]], bases: list[tuple[int, int]]
    ) -> FigureTime:
        """The same, with one sentence's deadlines and base-year spans."""
        return FigureTime(
            self.doc_year, self.plan_end, self.frame, deadlines, bases, self.report_year
        )


def target_year(
    sentence: str, m: re.Match[str], t: FigureTime, clause: tuple[int, int] | None
) -> int | None:
    """A target's deadline: a year right after it, else the nearest deadline before it (in
    its clause when the clause names the goal), else the first after it, else the frame's,
    else the end of the plan period the document names."""
    after = _year_after(sentence, m.end(), t.bases)
    if after and clause is None:
        return int(after.group(1))
    own = clause_year(sentence, m.start(), t.bases)
    if own is not None and clause is None:
        return own  # 到2025年达到1000万千瓦，2030年达到2000万千瓦
    lo = clause[0] if clause else 0
    before = [y for p, y in t.deadlines if lo <= p < m.start()]
    if before:
        return before[-1]
    if clause:
        return None
    later = [y for p, y in t.deadlines if p > m.start()]
    if later:
        return later[0]
    frame = t.frame
    if frame.year and (frame.target or (frame.fresh and _GOAL_CUE.search(sentence))):
        return frame.year  # 2024年，力争…; 今年，将…: the year the text opened with
    return t.plan_end


# a goal stated as such (not a planned capacity or investment, which has no year of its own)
_GOAL_CUE = re.compile(
    r"力争|争取|目标|确保|预期|计划|将|\bwill\b|\bplans?\b|\baims?\b|\btargets?\b|\bexpects?\b",
    re.I,
)


# "founded in 2015", "set up in 2019": the date of an event the clause names, not its figure's
_PAST_EVENT = re.compile(r"(?:\b\w+ed|\bset up|\bbuilt|\bbegun|\bheld)\s+$", re.I)
# 2025年 (not 2025年以来, since); in English "in 2025" (China intends to cut X in 2025 by …)
_CLAUSE_YEAR = re.compile(r"(?<![\d-])(20\d\d)\s?年(?!以来|来|的)|\b[Ii]n\s+(20\d\d)\b(?![-–]\d)")


def _year_after(sentence: str, at: int, bases: list[tuple[int, int]]) -> re.Match[str] | None:
    """'in 2025' / 'by 2030' after position ``at`` in its clause; not a base ('than in 2020')."""
    m = _YEAR_AFTER.match(sentence, at)
    if m is None or any(a <= m.start(1) < b for a, b in bases):
        return None
    return m


def clause_year(sentence: str, at: int, bases: list[tuple[int, int]]) -> int | None:
    """The last year (not a base year) written in the clause before position ``at``."""
    lo = max((c.end() for c in CLAUSE.finditer(sentence, 0, at)), default=0)
    years = [
        int(y.group(1) or y.group(2))
        for y in _CLAUSE_YEAR.finditer(sentence, lo, at)
        if not any(a <= y.start() < b for a, b in bases)
        and not (y.group(2) and _PAST_EVENT.search(sentence, max(0, y.start() - 20), y.start()))
    ]
    return years[-1] if years else None


# a plan period under review inside a sentence: “十二五”期间, 十三五以来, "during the 13th
# Five-Year Plan period"
_PERIOD_REVIEW = re.compile(
    r"[“\"]?(十[一二三四五]五)[”\"]?\s?(?:期间|以来|时期)"
    r"|\b(?:during|over|in)\s+the\s+(1[0-5])th\s+Five-Year\s+Plan(?:\s+period)?",
    re.I,
)


def _periods_before(sentence: str, m: re.Match[str], t: FigureTime) -> list[tuple[int, int]]:
    """(end, last year) of each plan period under review before the figure: never a base
    (较“十三五”末), nor a period not yet over at the document's date (a plan's own)."""
    out = []
    for p in _PERIOD_REVIEW.finditer(sentence, 0, m.start()):
        end = period_end(p.group())
        if end is None or any(a <= p.start() < b for a, b in t.bases):
            continue
        if t.doc_year is None or end <= t.doc_year:
            out.append((p.end(), end))
    return out


_ON_BASIS_BEFORE = re.compile(r"在[^，,。；;]{0,30}$")
_ON_BASIS_AFTER = re.compile(r"[^，,。；;\d]{0,6}?的?基础上")


def actual_year(sentence: str, m: re.Match[str], t: FigureTime) -> int | None:
    """An actual figure's year: a year right after it, else the last year before it in the
    sentence (not a base year), a relative time in its clause, the frame, or the document's
    date for a present state."""
    after = _year_after(sentence, m.end(), t.bases)
    if after:
        return int(after.group(1))
    if _ON_BASIS_BEFORE.search(sentence, 0, m.start()) and _ON_BASIS_AFTER.match(sentence, m.end()):
        return None  # 在投资328亿元的基础上: an earlier amount the news builds on, undated
    in_base = [(a, b) for a, b in t.bases]
    years = [
        y
        for y in _YEAR.finditer(sentence, 0, m.start())
        if not any(a <= y.start() < b for a, b in in_base)
        # a deadline (到2025年), not a point in a series (增长到2024年的30000家)
        and not (
            _BY.search(sentence, max(0, y.start() - 12), y.start())
            and not sentence.startswith(("年的", " 年的"), y.end())
        )
    ]
    # a year or a plan period under review (…，“十二五”期间实现…) written before the figure
    marks = sorted([(y.end(), int(y.group(1))) for y in years] + _periods_before(sentence, m, t))
    clause_at = max((c.end() for c in CLAUSE.finditer(sentence, 0, m.start())), default=0)
    since = max(marks[-1][0] if marks else 0, clause_at)
    between = sentence[since : m.start()]
    for a, b in in_base:  # 较上年增长: the base, not the figure's time
        if a >= since:
            between = between.replace(sentence[a:b], " " * (b - a))
    relative, year = relative_year(between, t.doc_year)
    if relative:
        return year
    if marks:
        return marks[-1][1]
    if t.frame.year is not None and not t.frame.target:  # a deadline dates no report
        return t.frame.year
    if t.report_year is not None and not t.frame.unknown:
        return t.report_year  # a notice's 认定 / 评价结果: of the year it reports on
    if t.doc_year is not None and not t.frame.unknown and _PRESENT.search(sentence):
        return t.doc_year
    return None
