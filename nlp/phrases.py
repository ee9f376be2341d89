"""The indicator of a figure as the short noun phrase of what is counted, and its scope.

- Chinese: the noun phrase that ends right before the figure (after comparator words and
  verbs: 技术合同交易额突破 -> 技术合同交易额), read leftwards over the words jieba's dictionary
  tags as nominal, through joiners inside a noun phrase (企业研发投入经费占全社会研发投入经费比例,
  A和B); it stops at a verb, adverb, preposition, 的, a number, a place or a general reference
  to one (全省). English: the subject before the first verb (the number of X in Y grew by ->
  X), or the object of a change (reduce X by), or the noun after a unit (6,400 kg of X).
- When a clause names nothing (同比增长8%, accounting for 75 percent), the figure measures
  what the figure before it in the sentence measures.
- ``scope``: nlp/scopes.py.

The words are data (``nlp/data/indicator_words.json``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from nlp.figure_shapes import is_cjk
from nlp.segmenter import cut
from nlp.suffixes import word_tag

__all__ = [
    "IndicatorWords",
    "en_phrase",
    "indicator_words",
    "respective",
    "zh_phrase",
    "zh_subject",
]


@dataclass(frozen=True, slots=True)
class IndicatorWords:
    zh_lead_tags: frozenset[str]
    zh_trail_tags: frozenset[str]
    zh_lead_words: frozenset[str]
    zh_trail_words: frozenset[str]
    zh_place_refs: frozenset[str]
    zh_inner_words: frozenset[str]  # X实现增加值: X's 增加值
    zh_capacity: tuple[str, ...]  # 年产100GW单晶硅片: what is made is counted
    en_verbs: frozenset[str]
    en_openings: tuple[str, ...]
    zh_after_stops: frozenset[str]  # 1万家的目标: the goal names nothing counted
    zh_after_tags: frozenset[str]
    zh_base_times: tuple[str, ...]  # 较上年同期增长: the base of a change
    zh_nominal_tags: frozenset[str]  # 专利授权: a verb after a noun is a verbal noun
    zh_modifier_verbs: frozenset[str]  # 创新联合体: a verb inside a name of a kind
    zh_list_words: frozenset[str]  # …建设名单: a count of a list counts its members
    en_object_verbs: frozenset[str]  # increase the share of X to: its object
    en_after_stops: frozenset[str]  # 100GW monocrystalline silicon wafers and: what ends it
    zh_list_heads: tuple[str, ...]  # 高新技术企业、科技型中小企业数量: a head shared
    zh_per_unit: tuple[str, ...]  # 单位国内生产总值能耗和二氧化碳排放: a rate shared


@cache
def indicator_words() -> IndicatorWords:
    raw = resources.files("nlp").joinpath("data", "indicator_words.json").read_text("utf-8")
    d = json.loads(raw)
    return IndicatorWords(
        frozenset(d["zh_lead_tags"]),
        frozenset(d["zh_trail_tags"]),
        frozenset(d["zh_lead_words"]),
        frozenset(d["zh_trail_words"]),
        frozenset(d["zh_place_refs"]),
        frozenset(d["zh_inner_words"]),
        tuple(d["zh_capacity"]),
        frozenset(d["en_verbs"]),
        tuple(sorted(d["en_openings"], key=len, reverse=True)),
        frozenset(d["zh_after_stops"]),
        frozenset(d["zh_after_tags"]),
        tuple(sorted(d["zh_base_times"], key=len, reverse=True)),
        frozenset(d["zh_nominal_tags"]),
        frozenset(d["zh_modifier_verbs"]),
        frozenset(d["zh_list_words"]),
        frozenset(d["en_object_verbs"]),
        frozenset(d["en_after_stops"]),
        tuple(sorted(d["zh_list_heads"], key=len, reverse=True)),
        tuple(d["zh_per_unit"]),
    )


_ALL_HAN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_NAME = re.compile(r"[A-Za-z&“”\"‘’·-]+")


def _tag(word: str) -> str | None:
    if _ALL_HAN.fullmatch(word) is None:
        return None if _LATIN_NAME.fullmatch(word) else "x"  # R&D, GDP
    return word_tag(word)


_PERIOD = re.compile(r"“?十[一二三四五六七八九]五”?[末期间以来]*")
# a year, month or day and what closes it (2020年底, 6月30日): no part of a phrase
_DATE = re.compile(r"\d[\d.,]*\s*(?:年度?|月|日)?(?:底|末|初|前|以来)?")


@cache  # one pattern per vocabulary (it was built again per figure)
def _base(w: IndicatorWords) -> re.Pattern[str]:
    times = "|".join(map(re.escape, w.zh_base_times))
    # 比2005年, 较上年同期, 是去年全年的, 与上年相比: the base a change or multiple is read from
    return re.compile(
        rf"(?:比|较|是|与|同)(?:\d{{4}}年(?:底|末)?|{times}|“?十[一二三四五六七八九]五”?末)"
        r"(?:水平)?(?:相比)?的?"
    )


def _counted_after(after: str) -> str:
    """The noun phrase a count or amount is written before (4家省级高新区, 56%的高新技术
    企业, 30亿“秦创投”信托基金), or ''."""
    w = indicator_words()
    text = after[1:] if after.startswith("的") else after
    words: list[str] = []
    quoted = False
    tokens = cut(re.split(r"[，,。；;、：:（(）)\s]", text)[0])
    for k, t in enumerate(tokens):
        if t in "“”":
            if t == "“" and words:
                break  # 8家省级创新联合体“领头人”: a quote after the noun names another
            quoted = t == "“"
            words.append(t)
            continue
        if t in w.zh_after_stops:
            return ""  # 1万家的目标, 9支总规模: what it counts is named before
        tag, following = _tag(t), _tag("".join(tokens[k + 1 : k + 2]))
        inner = (  # 省级创新联合体, 江苏省创新联合体: a verb or a place inside a kind's name
            (t in w.zh_modifier_verbs or (tag == "ns" and not words))
            and following in w.zh_nominal_tags | {None}
            and k + 1 < len(tokens)
        )
        # a word outside the dictionary: a name (总投资452亿元的隆基绿能) first, else a
        # suffix (省级|创新联合体)
        if not quoted and not inner and (tag in w.zh_after_tags or (tag is None and not words)):
            break
        words.append(t)
    if len(words) > 1 and _tag(words[-1]) in ("v", "vn") and _tag(words[-2]) in ("n", "nz"):
        words.pop()  # 200万平方米建筑利用该项技术: the noun's predicate, not part of it
    if words and words[-1] in w.zh_list_words:
        words.pop()  # 江苏省创新联合体(建设)名单: its members
        if words and _tag(words[-1]) in ("v", "vn"):
            words.pop()
    phrase = "".join(words)
    rest = text[len(phrase) :]
    if phrase.count("“") != phrase.count("”") or re.match(r"\d", rest):
        return ""  # 4孔直径20厘米的取热井: a measure of the noun after it
    return phrase


def zh_phrase(clause: str, after: str = "") -> str:
    """The noun phrase that ends ``clause`` (the text before a figure), or what a capacity
    makes (年产100GW单晶硅片: ``after`` is the text after the figure), or the noun a count is
    written before (新增5家国家企业技术中心), or ''."""
    w = indicator_words()
    if clause.strip().endswith(w.zh_capacity):
        made = []
        for t in cut(re.split(r"[、，,。；;及和与(（]|项目", after)[0]):
            if _tag(t) in ("v", "p", "d", "c", "r", "uj", "x"):
                break
            made.append(t)
        if made:
            return "".join(made)
    counted = _counted_after(after) if after else ""
    new = re.search(r"新[增建]$", clause.strip())
    # after a figure before it, without a plan period or the base of a change; after a
    # place's 的 (全省高新园区的…), not a relative clause's (有研发活动的企业占比)
    clause = _DATE.split(_base(w).sub("", _PERIOD.sub("", clause)))[-1]
    clause = re.split(r"(?:[省市区县]|园区|新区|全国)的", clause)[-1]
    words = [t for t in cut(clause.strip()) if t.strip() and t not in w.zh_inner_words]
    if words[-2:] == ["占", "比"]:  # 非化石能源消费占比: the share, jieba cuts it 占|比
        words[-2:] = ["占比"]
    while words and (
        words[0] in w.zh_lead_words
        or words[0] in w.zh_place_refs
        or _tag(words[0]) in w.zh_lead_tags
    ):
        words.pop(0)
    while words and (
        words[-1] in w.zh_trail_words
        or (_tag(words[-1]) in w.zh_trail_tags and not _verbal_noun(words))
    ):
        words.pop()
    if not any(_tag(t) in w.zh_nominal_tags or _tag(t) is None for t in words):
        words = []  # 增长到了去年, 提前超额完成: verbs and times name nothing counted
    phrase = "".join(words).strip("”’")
    if phrase.count("“") > phrase.count("”"):
        phrase = phrase.replace("“", "")  # 新增各类“无废细胞”10个: no half quote
    if counted:  # 新增5家国家企业技术中心: new ones of what is counted
        return f"{new.group()}{counted}" if new and not phrase else counted
    return phrase


def zh_subject(clause: str) -> str:
    """The noun phrase a clause opens with, before its verb (近年来湖北高新技术企业保持快速
    发展态势 -> 高新技术企业; 高新技术企业数量迅猛增长 -> 高新技术企业数量), or ''."""
    w = indicator_words()
    words = [t for t in cut(_PERIOD.sub("", clause).strip()) if t.strip()]
    if words and _tag(words[0]) == "p":
        return ""  # 在沣西新城同德佳苑小区: where, not what
    while words and (
        words[0] in w.zh_lead_words
        or words[0] in w.zh_place_refs
        or _tag(words[0]) in w.zh_lead_tags
    ):
        words.pop(0)
    out: list[str] = []
    for t in words:
        if t in w.zh_trail_words or _tag(t) in ("v", "d", "ad", "p", "c", "uj", "x", "m"):
            break
        out.append(t)
    return "".join(out) if any(_tag(t) in w.zh_nominal_tags for t in out) else ""


def _verbal_noun(words: list[str]) -> bool:
    """A verb ending ``words`` after a noun (专利授权, 研发经费投入; 清洁取暖改造) is a verbal
    noun of the phrase, not its verb."""
    w = indicator_words()
    k = len(words) - 1
    while k >= 0 and _tag(words[k]) == "v" and words[k] not in w.zh_trail_words:
        k -= 1
    return k < len(words) - 1 and k >= 0 and _tag(words[k]) in w.zh_nominal_tags


# 6,400 kg of high-purity hydrogen per day: the noun after the unit
_OF = re.compile(
    r"\s+of\s+((?:[\w-]+\s+){0,3}?[\w-]+)"
    r"(?=\s*(?:[,.;:)(]|$)|\s+(?:per|a|an|each|every|daily|to|for|in|from|at|by|on|and)\b)"
)


_OUTPUT = re.compile(r"\b(?:output|capacity|production)(?: of)?(?:\s.*\band)?$", re.I)


def en_phrase(clause: str, after: str = "") -> str:
    """What an English figure counts: the noun after its unit (``after`` = ' of X ...'), the
    object of a change (reduce X by), or the subject before the first verb; or ''."""
    w = indicator_words()
    of = _OF.match(after)
    if of:
        return of.group(1)
    text = " ".join(clause.split())
    # "(APP - … 2024) The total number of": a dateline's bracket
    text = re.sub(r"^(?:\([^()]*|[^()]*)\)\s*", "", text)
    made = _made_after(after)
    # an annual output of 100GW monocrystalline silicon wafers (and 50GW …): what is made
    if made and (not text or _OUTPUT.search(text)):
        return made
    changed = True
    while changed:
        changed = False
        low = text.lower()
        lead = re.match(
            r"(?:(?:in|by)(?: the end of)? )?(?:19|20)\d\d\b[, ]*|.*?\b(?:said|added|noted) that ",
            low,
        )
        if lead:
            text, changed = text[lead.end() :], True
            continue
        for o in w.en_openings:
            if low.startswith(o + " "):
                text, changed = text[len(o) + 1 :], True
                break
    # the province's X, Shaanxi's X: whose it is, its scope
    text = re.sub(r"^(?:the\s+)?[\w-]+['’]s\s+", "", text, flags=re.I)
    words = text.split()
    verbs = [i for i in range(len(words)) if _verb(words, i)]
    if words and words[-1].lower() in ("by", "to", "of") and verbs:
        last = max((i for i in verbs if i < len(words) - 1), default=-1)
        obj = words[last + 1 : -1]
        if obj and not any(x.lower() in w.en_verbs for x in obj):
            return re.sub(r"^(?:the|its|their)\s+", "", " ".join(obj), flags=re.I)
    if words and words[-1].lower() == "by" and not verbs:
        words.pop()  # … and the forest stock volume by: the change of the list before
    goal = [i for i, x in enumerate(words[:-1]) if x.lower() in w.en_object_verbs]
    if goal:
        # (will) increase the share of X in Y to: the object of a goal's verb, up to the next
        obj = words[goal[-1] + 1 : next((i for i in verbs if i > goal[-1]), len(words))]
        return re.sub(r"^(?:the|its|their)\s+", "", " ".join(obj), flags=re.I).strip(' ,;:"“”')
    subject = words[: verbs[0]] if verbs else words
    phrase = " ".join(subject)
    phrase = re.sub(r"\s+in\s+.*$", "", phrase)  # … in the development zones: its scope
    phrase = re.sub(r"\s+(?:last|this|next) year$", "", phrase, flags=re.I)  # its time
    return phrase.strip(' ,;:"“”')


def respective(phrase: str, n: int) -> list[str] | None:
    """The ``n`` members of a listed phrase that ``n`` figures stated respectively measure
    (高新技术企业、科技型中小企业数量 -> …数量 each; 单位国内生产总值能耗和二氧化碳排放 -> 单位
    国内生产总值… each; production of X, Y and Z -> production of … each), or None when the
    list has not ``n`` members."""
    w = indicator_words()
    if is_cjk(phrase):
        parts = [p for p in re.split(r"[、和与及]|以及", phrase) if p]
        if len(parts) != n:
            return None
        head = next((h for h in w.zh_list_heads if parts[-1].endswith(h)), "")
        unit = next((u for u in w.zh_per_unit if parts[0].startswith(u)), "")
        return [
            (p if p.startswith(unit) else unit + p) + ("" if p.endswith(head) else head)
            for p in parts
        ]
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", phrase) if p.strip()]
    if len(parts) != n:
        return None
    parts = [re.sub(r"^(?:the|its|their)\s+", "", p, flags=re.I) for p in parts]
    of = re.match(r"((?:[\w-]+\s+){0,2}of)\s", parts[0])  # the production of X, Y and Z
    if of:
        parts = [p if " of " in f" {p} " else f"{of.group(1)} {p}" for p in parts]
    return parts


def _verb(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is a verb of the clause: not after an article (the added value),
    and "to" only before a verb (to reach; the ratio to science is a preposition)."""
    w = indicator_words()
    word = words[i].lower()
    if word not in w.en_verbs or (i and words[i - 1].lower() in ("the", "a", "an", "its")):
        return False
    if word == "to" and i + 1 < len(words):
        following = words[i + 1].lower()
        return following in w.en_verbs or following in w.en_object_verbs
    return True


def _made_after(after: str) -> str:
    """The noun written right after an English amount (100GW monocrystalline silicon wafers
    and …, 45.2-billion-yuan industrial project is …), or ''."""
    w = indicator_words()
    words: list[str] = []
    for x in " ".join(after.split()).split(" "):
        if not words and not x:
            continue
        bare = x.rstrip(",.;:")
        if not re.fullmatch(r"[a-z][\w-]*", bare) or bare.lower() in w.en_after_stops:
            break
        if bare.lower() in w.en_verbs:
            break
        words.append(bare)
        if bare != x:
            break
    return " ".join(words[:5])
