"""Shapes of numbers in policy text that decide whether a number is a figure at all, and
in which language a stretch of a sentence is read: years, dates, ordinals, document numbers
and plan periods are not figures; a bilingual sentence is read as its language runs."""

from __future__ import annotations

import re

__all__ = ["is_cjk", "language_runs", "not_a_figure", "not_a_statement"]


_HAN = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"(19|20)\d\d")
_SMALL_NUMERAL = re.compile(r"[一二两三四五六七八九]")


def is_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character."""
    return _HAN.search(text) is not None


# 2023-12-25, 2023/12/25, 16.07.2023, 08:12, 16:43:51: dates and clock times
_DATE_OR_TIME = re.compile(
    r"(?<![\d.])(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
    r"|\d{1,2}:\d{2}(?::\d{2})?)(?![\d.:])"
)


def _in_date(text: str, start: int, end: int) -> bool:
    lo = max(0, start - 10)
    return any(
        m.start() <= start and end <= m.end() for m in _DATE_OR_TIME.finditer(text, lo, end + 10)
    )


def not_a_figure(text: str, start: int, end: int, raw: str, has_unit: bool) -> bool:
    """Numbers that are not quantities: years, dates, clock times, ordinals, document numbers,
    periods, and small Chinese numerals with a classifier, which are idioms (三项改革), not
    counts."""
    if _in_date(text, start, end):
        return True
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    if _YEAR.fullmatch(raw) and (after.startswith("年") or not has_unit):
        return True
    if _SMALL_NUMERAL.fullmatch(raw):
        return True
    if before.endswith(("第", "〔", "[", "(20")) or after.startswith(
        ("月", "日", "号", "〕", "年", "th", "st", "nd", "rd")
    ):
        return True
    if before.endswith("前") and after[:1] in ("名", "位", "强"):
        return True  # 前10名, 前五强: a rank
        # plan periods: 十四五, 十三五
    return bool(re.match(r"[十百千]*[一二三四五]五", raw) or raw in ("十四", "十三", "十二"))


# An English run inside a Chinese sentence (a bilingual text gives each statement twice): four
# or more Latin words with their numbers, up to the next Chinese character.
_LATIN_RUN = re.compile(r"[A-Za-z$\d][^\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]*")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def language_runs(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of ``sentence`` in one language each: the whole sentence
    unless it mixes Chinese with a run of English words, which is then read as English."""
    if not is_cjk(sentence):
        return [(0, len(sentence))]
    cuts = [
        m.span() for m in _LATIN_RUN.finditer(sentence) if len(_LATIN_WORD.findall(m.group())) >= 4
    ]
    if not cuts:
        return [(0, len(sentence))]
    out, at = [], 0
    for a, b in cuts:
        if sentence[at:a].strip():
            out.append((at, a))
        out.append((a, b))
        at = b
    if sentence[at:].strip():
        out.append((at, len(sentence)))
    return out


# 千万千瓦级水电站, 万吨级码头, 百亿级产业集群: a capacity class written into a noun (a name)
_CLASS = re.compile(r"\s?级")
# 10个工作日, 3个小时, 2个季度: a duration, not a count
_DURATION = re.compile(r"(?:工作|自然|交易)日|小时|季度|星期|学期")
# 低于150人 / 不低于2000万元 as the condition of an eligibility or a grading (…等原因，评为不合格;
# 申报企业须…): a criterion, not a figure the text reports or sets
_CRITERION_CMP = re.compile(r"(?:不)?(?:低于|高于|少于|多于|大于|小于|不足)\s*$")
_CONDITION = re.compile(r"原因|条件|标准(?!煤|化)|门槛|资格|申报|申请|评为|须|应当")


def not_a_statement(sentence: str, start: int, end: int) -> bool:
    """A number with a unit that states nothing: a capacity class, a duration, or the
    threshold of a criterion (``start``/``end``: the figure's span in ``sentence``)."""
    if _CLASS.match(sentence, end):
        return True
    if sentence[end - 1 : end] == "个" and _DURATION.match(sentence, end):
        return True
    return bool(
        _CRITERION_CMP.search(sentence, max(0, start - 4), start) and _CONDITION.search(sentence)
    )
