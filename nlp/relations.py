"""Relations between mentions, each with the sentence that shows it.

- MEMBER_OF: an organisation in a consortium, as lead (牵头单位 …, 由 X 牵头, led by) or
  member (成员单位, members include); the consortium is an ORG mention named like one
  (…创新联合体, … Consortium, … Alliance).
- DRAFTED: an organisation named after a drafting cue (起草单位, drafted by) drafted the
  standard(s) of that sentence, or else the last standard named before it in the paragraph.
- WORKS_ON: an organisation and a technology in one sentence with a work verb between them
  (研发, 生产, develops, manufactures, …).

Cue words are data (``nlp/data/relation_cues.jsonl``); confidence reflects how direct the
cue is.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from nlp.entities import Mention
from nlp.sentences import sentence_spans

__all__ = ["EXTRACTOR", "Relation", "find_relations"]

EXTRACTOR = "nlp:relations@1"
_CONSORTIUM = re.compile(
    r"(创新联合体|联合体|产业联盟|Consortium|Consortia|Alliance)$", re.IGNORECASE
)
CONFIDENCE = {"MEMBER_OF": 0.8, "DRAFTED": 0.8, "WORKS_ON": 0.6}


@dataclass(frozen=True, slots=True)
class Relation:
    relation: str
    role: str | None
    head: Mention  # the organisation
    tail: Mention  # consortium, standard or technology
    start: int
    end: int
    evidence: str
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        def side(m: Mention) -> dict[str, Any]:
            return {
                "label": m.label,
                "text": m.text,
                "start": m.start,
                "end": m.end,
                "link": m.link.node,
            }

        return {
            "type": "relation",
            "relation": self.relation,
            "role": self.role,
            "head": side(self.head),
            "tail": side(self.tail),
            "start": self.start,
            "end": self.end,
            "evidence": self.evidence,
            "confidence": self.confidence,
        }


@dataclass(frozen=True, slots=True)
class _Cue:
    relation: str
    role: str | None
    side: str  # after | before | between
    pattern: re.Pattern[str]


@cache
def _cues() -> tuple[_Cue, ...]:
    text = resources.files("nlp").joinpath("data", "relation_cues.jsonl").read_text("utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return tuple(
        _Cue(r["relation"], r["role"], r["side"], re.compile(re.escape(r["cue"]), re.IGNORECASE))
        for r in rows
    )


def _is_consortium(m: Mention) -> bool:
    return m.label == "ORG" and _CONSORTIUM.search(m.text) is not None


def find_relations(
    text: str,
    mentions: Sequence[Mention],
    offset: int = 0,
    sentences: list[tuple[int, int]] | None = None,
) -> list[Relation]:
    """Relations among ``mentions``, sentence by sentence; ``text`` starts at ``offset`` of
    the document the mentions' offsets index; ``sentences``: ``sentence_spans(text)``, when
    the caller has them."""
    found: dict[tuple[str, int, int], Relation] = {}
    last_standard: Mention | None = None
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    for local_start, local_end in sentence_spans(text) if sentences is None else sentences:
        sentence = text[local_start:local_end]
        s_start, s_end = local_start + offset, local_end + offset
        inside = [
            m
            for m in ordered[bisect_left(starts, s_start) : bisect_left(starts, s_end)]
            if m.end <= s_end
        ]
        standards = [m for m in inside if m.label == "STANDARD"]
        consortia = [m for m in inside if _is_consortium(m)]
        orgs = [m for m in inside if m.label == "ORG" and not _is_consortium(m)]
        techs = [m for m in inside if m.label == "TECH"]
        if not orgs:  # every relation's head is an organisation: no cue to look for
            last_standard = standards[-1] if standards else last_standard
            continue
        hits = sorted(
            (s_start + h.start(), s_start + h.end(), cue)
            for cue in _cues()
            for h in cue.pattern.finditer(sentence)
        )
        for n, (at, after, cue) in enumerate(hits):
            # an 'after' cue reaches to the next cue: 牵头单位 A，成员单位 B、C
            bound = next((h[0] for h in hits[n + 1 :] if h[0] >= after), s_end)
            if cue.side == "after":
                heads = [o for o in orgs if after <= o.start and o.end <= bound]
            elif cue.side == "before":
                heads = [o for o in orgs if o.end <= at][-1:]
            else:
                heads = [o for o in orgs if o.end <= at]
            if cue.relation == "MEMBER_OF":
                tails: Iterable[Mention] = consortia[:1]
            elif cue.relation == "DRAFTED":
                tails = standards or ([last_standard] if last_standard else [])
            else:
                tails = [t for t in techs if t.start >= after]
            for head in heads:
                for tail in tails:
                    key = (cue.relation, head.start, tail.start)
                    if key not in found:
                        found[key] = Relation(
                            cue.relation,
                            cue.role,
                            head,
                            tail,
                            s_start,
                            s_end,
                            sentence,
                            CONFIDENCE[cue.relation],
                        )
        if standards:
            last_standard = standards[-1]
    return sorted(found.values(), key=lambda r: (r.start, r.head.start, r.tail.start))
