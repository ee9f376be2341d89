"""The scope of a figure: the area or organisation it applies to, as the text names it.

- The area (else organisation) its sentence names before it, but not one that is a member of
  what is counted (延安黄陵及咸阳兴平、武功、礼泉4家省级高新区, 玉柴机器股份有限公司等72家) or
  that a count before it in its clause describes (建成100个…的西安市工程实验室).
- A general reference to a place (全省, 我市, 全区) before it in its sentence names no place
  itself: the figure applies to the last place of that level its paragraph named (湖南省…。
  全省… -> 湖南省), else to none (the gold README: null for 全省, 我市).
- An English anaphor (the city's, in the province) takes the last place of that level.
- Places that only locate another ("Hunan Province in central China", "China's Guangdong",
  "Xi'an, capital of Shaanxi province") or partner it ("cooperated with Sichuan Province")
  are no scope.
- Else the last area named before it, else the document's first area.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Protocol

__all__ = ["Scoped", "area_level", "scopes"]


class Scoped(Protocol):
    """A figure's span and a mention's label and span, for ``scopes``."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class _Mention(Scoped, Protocol):
    @property
    def label(self) -> str: ...

    @property
    def text(self) -> str: ...


@cache
def _levels() -> dict[str, str]:
    text = resources.files("nlp").joinpath("data", "china_areas.jsonl").read_text("utf-8")
    rank = {"province": 0, "prefecture": 1, "county": 2}
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip():
            r = json.loads(line)
            old = out.get(r["pattern"])  # a short name shared: the higher division (长沙)
            if old is None or rank.get(r["level"], 3) < rank.get(old, 3):
                out[r["pattern"]] = r["level"]
    return out


# 全省 / 我市 / 本区: the level a general reference names (全区 also a new area: 西咸新区)
_GENERAL = re.compile(r"(?:全|我|本)([省市区县])")
_LEVEL_OF = {
    "省": ("province",),
    "市": ("prefecture",),
    "区": ("county", "zone"),
    "县": ("county",),
}


def area_level(name: str) -> str | None:
    """province, prefecture, county or zone (a new area, park or new city) of an area, by
    the divisions of China (nlp/data/china_areas.jsonl), else by its suffix."""
    level = _levels().get(name)
    if level:
        return level
    if name.endswith("省"):
        return "province"
    if name.endswith("市"):
        return "prefecture"
    if name.endswith(("县", "区")) and not name.endswith(("新区", "园区", "开发区")):
        return "county"
    if name.endswith(("新区", "新城", "园区", "开发区", "高新区")):
        return "zone"
    return None


_CLAUSE = re.compile(r"[，,；;：:。！？!?]")
_PARAGRAPH = re.compile(r"\n\s*\n|(?<=[。！？；])\s*\n")
# a number that counts (not a year, month or day): 100个, 56%
_COUNT = re.compile(r"\d[\d.,]*+(?!\s*(?:年|月|日|号))")
_COUNTED = re.compile(r"\d+\s*(?:个|家|所|项|支|座|批|类|名|户)")
_MEMBER_GAP = re.compile(r"[、和及与\s]*(?:等|共)?\s*")  # …、礼泉4家, …等72家


def _members(text: str, named: list[tuple[int, int, str, str]]) -> set[int]:
    """Indices of mentions that are members of what a figure counts (…、礼泉4家; …等72家)
    or that a count before them in their clause describes (100个…的西安市工程实验室)."""
    out: set[int] = set()
    bounds = [m.end() for m in _CLAUSE.finditer(text)]  # once: a block may be a whole file
    for k, (end, start, _, _) in enumerate(named):
        pos = end
        for j in range(k + 1, len(named)):  # the list the mention opens: its other members
            # (indices, not a slice: a copy of the rest per mention was quadratic in a block)
            if not _MEMBER_GAP.fullmatch(text, pos, named[j][1]):
                break
            pos = named[j][0]
        gap = _MEMBER_GAP.match(text, pos)
        if gap and _COUNT.match(text, gap.end()):
            out.add(k)
            continue
        before = bisect_right(bounds, start)
        clause_start = bounds[before - 1] if before else 0
        if re.search(r"[\u4e00-\u9fff]", text[start:end]) and _COUNTED.search(
            text[clause_start:start]
        ):
            out.add(k)
    return out


# how one place locates another: "Shaanxi Province in northwestern China", "China's
# Guangdong Province", "Xi'an, capital of Shaanxi province", 陕西西安市 (the later one)
_LOCATED_IN = re.compile(r"\s+in\s+(?:the\s+)?|,\s*(?:the\s+)?capital\s+(?:city\s+)?of\s+", re.I)
_LOCATING = re.compile(r"['’]s\s+|\s+|")
_PARTNER = re.compile(r"\b(?:with|and)\s+$", re.I)  # Chongqing cooperated with Sichuan
# "the city's development zones": the last place of that level
_THE_PLACE = re.compile(r"\bthe\s+(city|province|municipality)\b", re.I)
_THE_LEVEL = {"city": ("prefecture",), "province": ("province",), "municipality": ("province",)}


def _locators(text: str, named: list[tuple[int, int, str, str]]) -> set[int]:
    """Indices of areas that only locate the area next to them, or a partner of the area
    before them (… cooperated with Sichuan Province)."""
    out: set[int] = set()
    areas = [i for i, m in enumerate(named) if m[2] == "AREA"]
    for a, b in pairwise(areas):
        (a_end, _, _, _), (_, b_start, _, _) = named[a], named[b]
        if a_end > b_start:
            continue
        if _LOCATED_IN.fullmatch(text, a_end, b_start):
            out.add(b)
        elif _LOCATING.fullmatch(text, a_end, b_start):
            out.add(a)
    for i in areas:
        line = text.rfind("\n", 0, named[i][1]) + 1
        gap = text[max(line, named[i][1] - 40) : named[i][1]]
        if _PARTNER.search(gap) and re.search(r"\b(?:cooperat|partner|work)\w*\s+with\s+$", gap):
            out.add(i)
    return out


_STOP = re.compile(r"[.。!?！？]\s")


def _back(named: list[tuple[int, int, str, str]], k: int, floor: int) -> Iterator[int]:
    """Indices of the mentions before ``k``, nearest first, while they end after ``floor``
    (sorted by end: the earlier ones cannot start after it either)."""
    for i in range(k - 1, -1, -1):
        if named[i][0] <= floor:
            return
        yield i


def scopes(
    figures: Sequence[tuple[int, int]], mentions: Iterable[_Mention], text: str = ""
) -> list[str | None]:
    """Per figure (start, its sentence's start): see the module's docstring. Without
    ``text`` only the mentions' positions are read (no members, paragraphs or 全省)."""
    named = sorted(
        ((m.end, m.start, m.label, m.text) for m in mentions if m.label in ("AREA", "ORG")),
        key=lambda m: m[0],
    )
    ends = [m[0] for m in named]
    members = _members(text, named) | _locators(text, named) if text else set()
    first_area = next(
        (t for _, _, label, t in sorted(named, key=lambda m: m[1]) if label == "AREA"), None
    )
    breaks = [m.end() for m in _PARAGRAPH.finditer(text)]
    last_area: list[str | None] = [None]  # [k]: the last area (not a member) of named[:k]
    for i, m in enumerate(named):
        last_area.append(m[3] if m[2] == "AREA" and i not in members else last_area[-1])
    out: list[str | None] = []
    for start, sentence in figures:
        k = bisect_right(ends, start)  # the mentions that end before the figure
        paragraph = breaks[bisect_right(breaks, start) - 1] if bisect_right(breaks, start) else 0
        general = None  # 全省 governs its sentence unless a place is named after it
        for g in _GENERAL.finditer(text, sentence, start):
            if not any(
                g.end() <= named[i][1] and i not in members for i in _back(named, k, g.end())
            ):
                general = g
        levels: tuple[str, ...] = _LEVEL_OF[general.group(1)] if general else ()
        stop = _STOP.search(text, start, start + 400)  # bounded: no copy of the rest
        the = _THE_PLACE.search(text, sentence, stop.start() if stop else start + 120)
        if the and not any(
            named[i][1] >= sentence and named[i][2] == "AREA" and i not in members
            for i in _back(named, k, sentence)
        ):
            general, levels = the, _THE_LEVEL[the.group(1).lower()]
            paragraph = 0  # an English anaphor reaches back over paragraphs
        if general is not None:
            pick = next(
                (
                    named[i][3]
                    for i in _back(named, k, paragraph)
                    if named[i][2] == "AREA"
                    and paragraph <= named[i][1]
                    and area_level(named[i][3]) in levels
                ),
                None,
            )
            if pick or general.re is _GENERAL:  # 全省 unresolved: none; "the city": read on
                out.append(pick)
                continue
        clause = max((c.end() for c in _CLAUSE.finditer(text, sentence, start)), default=sentence)
        pick = next(  # named in its clause: the nearest
            (
                named[i][3]
                for i in _back(named, k, clause)
                if named[i][1] >= clause and i not in members
            ),
            None,
        )
        for label in ("AREA", "ORG") if pick is None else ():  # in its sentence before it
            for i in range(k - 1, -1, -1):
                m = named[i]
                if m[0] <= sentence:
                    break
                if m[2] == label and m[1] >= sentence and i not in members:
                    pick = m[3]
                    break
            if pick:
                break
        if pick is None:  # else the last area named before it
            pick = last_area[k] or first_area
        out.append(pick)
    return out
