"""Whether a figure is a target or an actual: the cue words of its sentence and clause
(goals, deadlines, planned capacities, reports), the deadline heading it stands under, and
the directive voice of plans and work reports (shared/data/gold/README.md, "kind")."""

from __future__ import annotations

import re

from nlp.timeframe import Frame

__all__ = [
    "CLAUSE",
    "clause_target",
    "goal_after",
    "goal_before",
    "nearest_cue_kind",
    "planned_before",
    "sentence_kind",
    "unnamed",
]

# 现将 (hereby) is not 将 (will); 拟认定 / 拟推荐 / 拟入选 / 拟定…为 (a list proposed for
# recognition, put up for comment) report a decision taken, not a goal; another 拟定 is one
_TARGET_ZH = re.compile(
    r"力争|目标|规划|计划|(?<!现)将|预计|确保|拟(?!认定|定(?=[^，,。；;]{0,80}为)|推荐|入选|命名|立项|支持|授予|表彰)|达产后|建成后|投产后"
    # 明确要求年内…达到, 《方案》要求: a requirement set (not 按照省里要求, a rule followed)
    r"|(?:明确|提出|严格|并|还|同时|进一步|》|^|[，,：:])\s?要求(?!的)"
    # what a policy document proposes (意见提出，…; 《方案》提出，…): its goals
    r"|(?:意见|方案|纲要|通知|办法|》)\s?提出(?![的了]|以来)"
)
# A planned capacity or investment, named just before the figure (年产15GW, 总投资452亿元,
# an annual output of 100GW) is a target whatever its sentence reports.
_PLANNED = re.compile(
    r"(?:年产(?!量|值)|总投资|设计产能|规划建设|annual\s+(?:output|production\s+capacity)\s+of|"
    r"total\s+investment\s+of)\s*(?:约|达|about|around)?\s*$",
    re.I,
)
_ACTUAL_ZH = re.compile(r"已|累计|同比|增至|较上年|比上年|去年|完成|实现了")
_REPORT_ZH = re.compile(r"已|累计|同比|较上年|比上年|去年|实现了")
_TARGET_EN = re.compile(
    r"\bwill\b|\b(?:is|are) to\b|\bintend(?:s|ed)? to\b|\bseeks? to\b|\bpledged? to\b|\bvow(?:s|ed)? to\b|\b(?:is|are) set to\b|(?<!year )(?<!year-)\bplan(?:ned|s)?\b|\btarget|\bgoals?\b|\baim|\bexpect(?:s|ed)?\b|\bprojected\b|\bshould\b|"
    r"\bto be built\b|\bdesigned\b|\bannual (?:output|production capacity) of\b",
    re.I,
)
_ACTUAL_EN = re.compile(
    r"\b(?:increased|grew|reached|rose|was|were|had|has|have|last year|year-on-year)\b", re.I
)
CLAUSE = re.compile(r"[，,；;：:]")
# Within its own clause, a figure named as a goal is a target, whatever the sentence reports:
# 提前完成“十四五”末达到1万家的目标.
_CLAUSE_TARGET = re.compile(r"^[^，,；;]{0,4}的?目标|^\S{0,2}\s*(?:target|goal)\b", re.I)


def clause_target(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of the clause when, within it, the figure is named as a goal."""
    if _CLAUSE_TARGET.search(sentence[end : end + 12]):
        clause_start = max((m.end() for m in CLAUSE.finditer(sentence, 0, start)), default=0)
        return clause_start, end
    return None


# A name: a title (《…规划》), a short quoted name without figures (“青禾计划”; not quoted
# speech: “力争…达到1000家”), and the part after an interpunct (秦创原・青禾计划): a goal
# word inside names a programme or a plan, it states no goal.
_NAMED = re.compile(
    r"(?<=《)[^》]{1,40}(?=》)|(?<=[“「])[^”」\d]{1,12}(?=[”」])"
    r"|(?<=[\u4e00-\u9fff][・·])[\u4e00-\u9fff]{1,6}"
)


def unnamed(sentence: str) -> str:
    """The sentence with the inside of its names blanked (same length: positions hold)."""
    return _NAMED.sub(lambda m: "○" * len(m.group()), sentence)


def goal_after(sentence: str, at: int) -> bool:
    """Whether a Chinese goal word comes after position ``at`` (outside names)."""
    return _TARGET_ZH.search(unnamed(sentence), at) is not None


def sentence_kind(sentence: str, zh: bool, deadline_at: int | None, frame: Frame) -> str:
    """target when the sentence states a goal or a deadline (in Chinese, unless it reports
    first), or stands under a deadline the text set (到2025年，…；…) and reports nothing."""
    cue = (_TARGET_ZH if zh else _TARGET_EN).search(unnamed(sentence) if zh else sentence)
    actual_cue = (_ACTUAL_ZH if zh else _ACTUAL_EN).search(sentence)
    if not zh and actual_cue:
        deadline_at = None  # "By the end of 2022, the county had ...": a report
    starts = [p for p in (cue.start() if cue else None, deadline_at) if p is not None]
    target_at = min(starts) if starts else None
    if target_at is not None and not (actual_cue and actual_cue.start() < target_at and zh):
        return "target"
    if frame.target and not (_REPORT_ZH if zh else _ACTUAL_EN).search(sentence):
        return "target"  # under a deadline heading, 完成 is what is to be done
    # 培育形成了: done; under a reported period (今年1月至5月，…；培育…) a list of what was done
    directive = zh and _DIRECTIVE.match(sentence) and "了" not in sentence
    if directive and not actual_cue and not frame.reported and (frame.year is None or frame.news):
        return "target"  # 加快…，能耗降低13.5%: a goal in the voice of a work report
    return "actual"


# A sentence opening with a directive (after a speaker: 总理:) states what is to be done, in a
# plan or work report, whether or not the passage names its deadline.
_DIRECTIVE = re.compile(
    r"^\s*(?:[^，,。：:\n]{0,12}[：:])?\s*(?:全面|深入|持续|进一步|大力|积极|着力)?"
    r"(?:推动|推进|加快|坚持|构建|促进|实施|加强|深化|完善|强化|健全|落实|培育|打造)"
)


def planned_before(sentence: str, at: int) -> bool:
    """Whether a planned capacity or investment is named just before position ``at``."""
    return _PLANNED.search(sentence, max(0, at - 40), at) is not None


def nearest_cue_kind(sentence: str, at: int, kind: str) -> str:
    """In an English sentence that both reports and sets goals ("was 45 percent in 2022 and
    is expected to exceed 60 percent by 2027"), a figure is read by the nearest cue before
    it: a report word after the last goal word makes it an actual."""
    if kind != "target":
        return kind
    goals = [m.end() for m in _TARGET_EN.finditer(sentence, 0, at)]
    reports = [m.end() for m in _ACTUAL_EN.finditer(sentence, 0, at)]
    if reports and (not goals or reports[-1] > goals[-1]) and _TARGET_EN.search(sentence, at):
        return "actual"
    return kind


def goal_before(sentence: str, at: int) -> bool:
    """Whether a Chinese goal word (力争, 将, 目标, …) or a directive opening comes before
    position ``at``."""
    return bool(_TARGET_ZH.search(unnamed(sentence), 0, at) or _DIRECTIVE.match(sentence))
