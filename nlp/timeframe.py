"""A document's own time frame: its date, the plan period it names, and the years its
sentences and clauses set, so that each figure gets the year the text gives it
(shared/data/gold/README.md, "year").

- the document date: the first date written near the top (a dateline, 发布时间, "Updated:",
  "Nov. 25, 2024"), or one given by the caller (``--date``);
- plan periods (十四五, "the 14th Five-Year Plan", 2021-25, 2025—2027年) end in a year: the
  periods are data (``nlp/data/plan_periods.jsonl``);
- relative years (今年, 去年, this year, last year, 目前, currently) resolve against the
  document date, and stay unknown without one;
- base years of a change (比2020年, 较上年, compared with 2005) are never a figure's year.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources

from loaders.dates import find_date

__all__ = [
    "Frame",
    "base_year_spans",
    "deadlines",
    "document_date",
    "headline_line",
    "notice_year",
    "opening_frame",
    "period_end",
    "relative_year",
    "signed_date",
]

_MONTH = r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_EN_DATES = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b"),
)
# March 24, Nov. 25 (no year after it)
_EN_MONTH_DAY = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b"
    r"(?!\s*,?\s*(?:19|20)\d\d)"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
HEAD_CHARS = 400  # a dateline or release date is written this near the top


# 16.07.2023, 16/07/2023 (day first: a European or wire dateline), 2023/07/16, 2023.07.16
_NUMERIC_DATE = re.compile(
    r"(?<![\d.])(?:(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>(?:19|20)\d\d)"
    r"|(?P<y2>(?:19|20)\d\d)[./](?P<m2>\d{1,2})[./](?P<d2>\d{1,2}))(?![\d.])"
)
# a notice signed at its end: …办公室 / 2022年11月18日 (the last thing written, on the
# signature's line or the line under it)
_SIGNED = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[。.]?\s*$")
TAIL_CHARS = 40


def _numeric_date(head: str) -> tuple[int, date] | None:
    """(position, date) of the first dotted or slashed date in ``head``."""
    for m in _NUMERIC_DATE.finditer(head):
        y, mo, d = (int(v) for v in (m["y"] or m["y2"], m["m"] or m["m2"], m["d"] or m["d2"]))
        if m["y"] and mo > 12 and d <= 12:  # 07/16/2023: an American month first
            mo, d = d, mo
        try:
            return m.start(), date(y, mo, d)
        except ValueError:
            continue
    return None


def signed_date(text: str) -> date | None:
    """The date a notice is signed with, when it is the last thing its text says."""
    m = _SIGNED.search(text[-TAIL_CHARS:].rstrip())
    return find_date(m.group()) if m else None


def document_date(text: str) -> date | None:
    """The first calendar date in the first ``HEAD_CHARS`` characters: 2025年5月13日,
    2023-12-29, 16.07.2023, March 24, 2023, Nov. 25, 2024, 19th Feb, 2024; else the date a
    notice is signed with at its end."""
    head = text[:HEAD_CHARS]
    found = [(m.start(), m) for rx in _EN_DATES for m in rx.finditer(head)]
    numeric = find_date(head)
    dotted = _numeric_date(head)
    if dotted and (numeric is None or dotted[0] < head.find(str(numeric.year))):
        numeric = dotted[1]
    english = None
    if found:
        m = min(found, key=lambda f: f[0])[1]
        try:
            english = date(int(m["year"]), _MONTHS.index(m["mon"][:3].lower()) + 1, int(m["day"]))
        except ValueError:
            english = None
    if numeric and english:
        # the one written first
        at = head.find(str(numeric.year))
        return numeric if at <= min(f[0] for f in found) else english
    return numeric or english or signed_date(text)


# a bulleted line: ● 国家级企业技术中心5家, ★ ..., • ...
_BULLET = re.compile(r"^\s*[●○■□◆◇★☆▲△▶►•·]")
HEADLINE_CHARS = 40  # a title or deck line is at most this long


def headline_line(text: str, at: int) -> bool:
    """Whether position ``at`` is on a title, deck or bulleted summary line at the top of
    ``text`` (within ``HEAD_CHARS``): a short line without a sentence end, or a bulleted one.
    Such lines report the news of the document's own date."""
    if at >= HEAD_CHARS:
        return False
    line = text[text.rfind("\n", 0, at) + 1 : (text.find("\n", at) + 1 or len(text) + 1) - 1]
    if _BULLET.match(line):
        return True
    body = line.strip()
    return len(body) <= HEADLINE_CHARS and not re.search(r"[。！？!?]|\.(?:\s|$)", body)


@cache
def _periods() -> tuple[tuple[str, str, int], ...]:
    text = resources.files("nlp").joinpath("data", "plan_periods.jsonl").read_text("utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return tuple((r["zh"], r["en"], int(r["end"])) for r in rows)


# 2021-25, 2021—2025, (2025—2027年), 2021 to 2025
_YEAR_RANGE = re.compile(r"(?<!\d)(20\d\d)\s*(?:-|—|–|~|至|到|to)\s*(20)?(\d\d)(?!\d)")


def period_end(text: str) -> int | None:
    """The last year of the first plan period or year range ``text`` names."""
    best: tuple[int, int] | None = None
    for zh, en, end in _periods():
        for word in (zh, en.lower()):
            at = text.lower().find(word)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, end)
    m = _YEAR_RANGE.search(text)
    if m and (best is None or m.start() < best[0]):
        start, end = int(m.group(1)), int(m.group(1)[:2] + m.group(3))
        if end > start:
            best = (m.start(), end)
    return best[1] if best else None


# A deadline: 到2025年 / 至2025年 / 2025年前 / 2025年底前 / by 2025 / by the end of 2025 (for a
# target), the end of a plan period (十四五末). 到2024年的 is a point in a series, not a deadline.
_DEADLINE = re.compile(
    r"(?<!\d年)(?<!\d年\s)(?:到|(?<![截直])至)\s?(?P<a>20\d\d)\s?年(?!的)(?:底|末)?"
    r"|(?P<b>20\d\d)\s?年(?:前|底前|\s?\d{1,2}\s?月(?:底|末)?(?:之?前))"  # 2019年9月前
    # 2019年10月—2020年9月: a stretch of work ending in its last month
    r"|20\d\d\s?年\s?\d{1,2}\s?月\s?(?:-|—|–|~|至|到)\s?(?P<e>20\d\d)\s?年\s?\d{1,2}\s?月"
    r"|(?:预计|计划|力争|争取|将于|将在|拟于|拟在|拟定于)\s?(?P<d>20\d\d)\s?年(?!的)"
    r"|\b[Bb]y\s+(?:the\s+end\s+of\s+)?(?P<c>20\d\d)\b"
    r"|(?P<p>十[一二三四五]五)\S{0,2}末"
)


def deadlines(
    sentence: str, doc_year: int | None, bases: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """(position, year) of each deadline in ``sentence``; one before the document's own year
    is a past point, and one inside a base of change (较“十三五”末; ``bases``: the sentence's
    ``base_year_spans``, when read already) is a base, not deadlines."""
    out = []
    bases = base_year_spans(sentence) if bases is None else bases
    for m in _DEADLINE.finditer(sentence):
        if any(a <= m.start() < b for a, b in bases):
            continue
        if m["p"]:
            year = next(end for zh, _, end in _periods() if zh == m["p"])
        else:
            year = int(m["a"] or m["b"] or m["c"] or m["d"] or m["e"])
        if doc_year is None or year >= doc_year:
            out.append((m.start(), year))
    if doc_year is not None:  # 年内, 今年底前: within the document's own year
        out += [(m.start(), doc_year) for m in _WITHIN_YEAR.finditer(sentence)]
    return sorted(out)


# 年内 / 今年内 / 今年底前 / 年底前 (not 三年内, a duration)
_WITHIN_YEAR = re.compile(r"(?<![一二三四五六七八九十两\d])(?:今)?年(?:内|底前|末前)")


# A notice: a title naming itself one (关于…的通知, …公告, …公示), or a salutation opening it
# (各有关单位：, 各设区市…：). What it reports (认定, 评价结果, 拟认定名单) is of the year its
# title or opening names (国家企业技术中心2021年评价结果, 2023年度…), else of its own date.
_NOTICE_TITLE = re.compile(r"(?:通知|公告|公示|通报|决定|批复|名单|结果)\s*$")
_SALUTATION = re.compile(r"^\s*各[^。\n：:]{1,80}[：:]", re.M)
# 2021年评价结果, 2023年度: a year, not a date (2022年11月), an amount (2000万元) or a span
_REPORTED_YEAR = re.compile(r"(?<![\d〔\[(（])((?:19|20)\d\d)\s*年(?:度)?(?!\s*\d|\s*[-—–至到第])")


def notice_year(text: str, doc_year: int | None) -> int | None:
    """The year a notice reports on: one its title or opening sentence names, else its own
    date's year; None for a text that is not a notice."""
    lines = [line.strip() for line in text[:HEAD_CHARS].splitlines() if line.strip()]
    title = lines[0] if lines else ""
    salutation = _SALUTATION.search(text[:HEAD_CHARS])
    if not (_NOTICE_TITLE.search(title) or salutation):
        return None
    opening = text[salutation.end() : salutation.end() + 200] if salutation else ""
    for part in (title, opening.split("。")[0]):
        m = _REPORTED_YEAR.search(part)
        if m:
            return int(m.group(1))
    return doc_year


# 比2020年, 较2020年, 与2020年相比, 较上年, 比上年, 同比, 是上年同期的, compared with 2005, than in 2020,
# from the 2020 level: the base of a change, never the figure's year.
_BASE = re.compile(
    r"(?:比|较|相比|与)\s?(?:20\d\d\s?年|上年|去年|上一年|[“\"]?十[一二三四五]五[”\"]?末)"
    r"|20\d\d\s?年(?:相比|基础上)"
    r"|(?:是|为|相当于)(?:上年|去年|上一年)(?:同期)?的?"  # 是上年同期的1.53倍: the base of a multiple
    r"|(?:compared\s+(?:with|to)|than(?:\s+in)?|over)\s+(?:the\s+)?(?:20\d\d|last\s+year|the\s+previous\s+year)",
    re.I,
)


def base_year_spans(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in _BASE.finditer(sentence)]


_RELATIVE = (
    (
        re.compile(
            r"今年|本年|当年|this\s+year|当天|今天|目前|当前|截至目前|currently|so\s+far"
            # news of the day: 日前, 近日, 至此, recently, and a date without a year (12月22日,
            # March 24) in a document whose own date gives the year
            rf"|日前|近日|至此|\brecently\b|(?<!\d)\d{{1,2}}\s?月\s?\d{{1,2}}\s?日|{_EN_MONTH_DAY}",
            re.I,
        ),
        0,
    ),
    (re.compile(r"去年|上年|上一年|last\s+year|the\s+previous\s+year", re.I), -1),
    (re.compile(r"前年", re.I), -2),
)


def relative_year(text: str, doc_year: int | None) -> tuple[bool, int | None]:
    """(whether ``text`` names a relative year, the year it means given the document's)."""
    for rx, delta in _RELATIVE:
        if rx.search(text):
            return True, (doc_year + delta) if doc_year is not None else None
    return False, None


@dataclass(frozen=True, slots=True)
class Frame:
    """The year the text last set for the figures after it, and whether it set it as a
    deadline (到2025年，…) or as a reference year (2022年，…; 截至2023年底); ``unknown`` when
    the text set a time it does not date (此前, 近年来, since): no present-state year then;
    ``news`` when the year is the document's own date, given to its title and deck lines;
    ``fresh`` in the sentence whose opening set it (2024年，力争…: the goal's year)."""

    year: int | None
    target: bool = False
    unknown: bool = False
    news: bool = False
    fresh: bool = False  # set by the opening of the sentence being read
    reported: bool = False  # set by a past stretch of time (今年1月至5月, 上半年, 去年, 目前)


# A deadline heading the figures after it: 到2025年，… / 到2025年：… / 主要目标：到2025年，… /
# 到2030年的主要目标: … / By 2030, … / By 2030: … / Targets for 2030: …
_OPEN_DEADLINE = re.compile(
    r"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.]\s*)?(?:[^，,。；;：:\n]{0,12}[：:]\s*)?"
    r"(?:到|至)\s?(20\d\d)\s?年(?:底|末)?(?:的?[^，,。；;：:\n]{0,10}目标)?\s*[，,：:]"
    r"|^\s*(?:By\s+(?:the\s+end\s+of\s+)?|(?:Main\s+)?(?:Targets?|Goals?)\s+for\s+)(20\d\d)\s*[,:]",
    re.I,
)
_OPEN_YEAR = re.compile(
    r"^\s*(?:In\s+(?:late|early|mid-?|the\s+first\s+half\s+of\s+|the\s+second\s+half\s+of\s+)?"
    r"(?:[A-Z][a-z]+\s+)?(20\d\d)\b(?!\s*[-—–]\s*\d)"
    r"|截至\s?(20\d\d)\s?年|(20\d\d)\s?年\s?(?:[，,]|以来|全年|上半年|下半年|前三季度|\d{1,2}\s?月)"
    r"|By\s+the\s+end\s+of\s+(20\d\d)\b|As\s+of\s+(?:the\s+end\s+of\s+)?(20\d\d)\b)",
    re.I,
)


@cache
def _open_period() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for zh, en, _ in _periods() for w in (zh, en))
    return re.compile(
        rf"^\s*(?:During|In|Over)?\s*(?:the\s+)?[“\"]?(?:{words})|^\s*In\s+20\d\d\s*[-—–]\s*\d\d",
        re.I,
    )


_OPEN_RELATIVE = re.compile(
    r"^\s*(?:[(（][^()（）]{0,12}[)）]\s*)?"  # a byline: (记者 沈谦)
    r"(?:In\s+(?:the\s+first\s+half\s+of\s+|\w+\s+)?(?:this|last)\s+year|This\s+year|Last\s+year|"
    rf"Currently|So\s+far|Recently|On\s+{_EN_MONTH_DAY}|{_EN_MONTH_DAY}\s*,|"
    r"今年|去年|本年|目前|当前|截至目前|日前|近日|至此|\d{1,2}\s?月\s?\d{1,2}\s?日)",
    re.I,
)
# a stretch of time already past: what is written under it is a report
_REPORTED_TIME = re.compile(
    r"^\s*(?:[(（][^()（）]{0,12}[)）]\s*)?(?:(?:今年|本年)(?:\d{1,2}\s?月?\s?(?:至|-|—|到)\s?\d{1,2}"
    r"\s?月|上半年|前[一二三]季度|一季度|以来)|去年|上年|目前|当前|截至目前|日前|近日|至此"
    r"|In\s+the\s+first\s+half\s+of\s+this\s+year|Last\s+year|So\s+far|Recently)",
    re.I,
)
_OPEN_UNKNOWN = re.compile(
    r"^\s*(?:Since|Over\s+the\s+past|In\s+recent\s+years|Previously|Earlier|"
    r"近年来|近[一二三四五六七八九十几]年|以来|此前|之前|以往"
    r"|以[^，,。；;]{1,20}为例)",  # 以…一个采暖季为例: an illustration, of no year
    re.I,
)


# a heading of goals: 主要目标：, 今年发展的主要预期目标是：, The main targets are:
_GOALS_HEADING = re.compile(
    r"^[^，,。；;：:\n]{0,16}目标(?:是|为)?\s*[：:]|^[^,.;:\n]{0,30}\b(?:targets|goals)\s+(?:are|include)\s*:",
    re.I,
)


def opening_frame(sentence: str, frame: Frame, doc_year: int | None) -> Frame:
    """The frame after a sentence's opening: a deadline, a year, a plan period or a relative
    time opening it sets a new one; any other sentence keeps the frame it is in. A heading
    of goals makes targets of the figures under it, dated by the year it opened with."""
    opened = _opening(sentence, doc_year)
    if _GOALS_HEADING.match(sentence):
        return Frame(opened.year if opened else None, target=True)
    if opened is None:
        return replace(frame, fresh=False) if frame.fresh else frame
    return replace(opened, fresh=True)


def _opening(sentence: str, doc_year: int | None) -> Frame | None:
    m = _OPEN_DEADLINE.match(sentence)
    if m:
        year = int(m.group(1) or m.group(2))
        if doc_year is None or year >= doc_year:
            return Frame(year, target=True)
    m = _OPEN_YEAR.match(sentence)
    if m:
        return Frame(int(next(g for g in m.groups() if g)))
    if _open_period().match(sentence):
        end = period_end(sentence[:80])
        # a period still to come when the document was written is a plan's: its figures goals
        return Frame(end, target=end is not None and doc_year is not None and doc_year < end)
    if _OPEN_RELATIVE.match(sentence):
        when = relative_year(sentence[:60], doc_year)[1]
        return Frame(when, reported=bool(_REPORTED_TIME.match(sentence)))
    if _OPEN_UNKNOWN.match(sentence):
        return Frame(None, unknown=True)
    return None
