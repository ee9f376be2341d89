"""Extraction output to graph records: a Document, and a Target per stated target."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from graph.model import Label, RelType
from graph.records import NodeRecord, NodeRef, RelRecord
from loaders.dates import find_date
from loaders.provenance import Provenance
from nlp.document import title_of
from nlp.entities import EXTRACTOR as ENTITY_EXTRACTOR
from nlp.entities import Mention
from nlp.gazetteer import Link
from nlp.indicators import indicator_key
from nlp.quantities import Quantity
from nlp.relations import EXTRACTOR as RELATION_EXTRACTOR
from nlp.relations import Relation

__all__ = [
    "EXTRACTOR",
    "STREAM_EXTRACTORS",
    "document_node",
    "document_records",
    "mention_records",
    "target_records",
]

EXTRACTOR = "nlp:quantities@1"
# What `innograph extract --write` reads from a text (document_records reads targets only).
STREAM_EXTRACTORS = (EXTRACTOR, ENTITY_EXTRACTOR, RELATION_EXTRACTOR)
# A rule-based reading: right on the dev gold, but not checked by a person per target.
CONFIDENCE = 0.8


def document_node(
    name: str,
    *,
    title: str,
    lang: str,
    sha256: str,
    chars: int,
    extractors: tuple[str, ...] = (EXTRACTOR,),
    source: Mapping[str, Any] | None = None,
) -> NodeRecord:
    """The Document; ``extractors`` are what its stored extraction was read with (the same
    text read by other extractors is not the same extraction). ``source``: what a page,
    PDF or Word file gave besides (its text, which the offsets index, its URI, kind,
    publication date and page starts)."""
    return NodeRecord(
        Label.DOCUMENT,
        name,
        {
            "title": title,
            "lang": lang,
            "sha256": sha256,
            "chars": chars,
            "extractors": list(extractors),
            **(source or {}),
        },
        Provenance(f"doc:{name}", EXTRACTOR),
    )


# A target to add things (新增 500家, newly recognised) counts only what came after the plan.
_NEW = re.compile(r"新增|新建|新认定|新培育|新引进|newly|additional|new additions", re.IGNORECASE)


def target_records(
    name: str, quantities: Iterable[Quantity], published: date | None = None
) -> tuple[list[NodeRecord], list[RelRecord]]:
    """A Target per stated target, STATED_IN the document ``name``; a target that adds new
    things (新增, newly) counts from ``published`` (the document's date) on."""
    doc = NodeRef(Label.DOCUMENT, name)
    nodes, rels = [], []
    for q in quantities:
        if q.kind != "target":
            continue
        prov = Provenance(f"doc:{name}", EXTRACTOR, start=q.start, end=q.end, confidence=CONFIDENCE)
        target = NodeRecord(
            Label.TARGET,
            f"target-{name}-{q.start}",
            {
                "indicator": q.indicator or q.evidence,
                "indicator_key": q.indicator_key or indicator_key(f"{q.indicator} {q.evidence}"),
                "value": q.value,
                "unit": q.unit,
                "comparator": q.comparator,
                "deadline": q.year,
                "scope": q.scope,
                "kind": q.kind,
                "evidence": q.evidence,
                "sentence": q.sentence or None,
                "new_since": published if published and _NEW.search(q.indicator) else None,
            },
            prov,
        )
        nodes.append(target)
        rels.append(
            RelRecord(RelType.STATED_IN, target.ref, doc, {"start": q.start, "end": q.end}, prov)
        )
    return nodes, rels


def document_records(
    name: str, text: str, quantities: list[Quantity], lang: str
) -> tuple[list[NodeRecord], list[RelRecord]]:
    """The Document of a text read whole, and its targets."""
    doc = document_node(
        name,
        title=title_of(text, name),
        lang=lang,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        chars=len(text),
    )
    nodes, rels = target_records(name, quantities, find_date(text[:2000]))
    return [doc, *nodes], rels


# The graph labels a link may point to for it to be written.
_LINKABLE = frozenset(
    {Label.ORGANIZATION, Label.CONSORTIUM, Label.TECHNOLOGY, Label.AREA, Label.GROUP_STANDARD}
)
# relation -> (head label, tail label)
_RELATION_ENDS = {
    "MEMBER_OF": (Label.ORGANIZATION, Label.CONSORTIUM),
    "DRAFTED": (Label.ORGANIZATION, Label.GROUP_STANDARD),
    "WORKS_ON": (Label.ORGANIZATION, Label.TECHNOLOGY),
}


def _ref(link: Link) -> NodeRef | None:
    if link.node is None or link.node_label not in _LINKABLE:
        return None
    return NodeRef(Label(link.node_label), link.node)


def mention_records(
    name: str, mentions: Iterable[Mention], relations: Iterable[Relation]
) -> list[RelRecord]:
    """MENTIONS from the document to each linked node (one per span), and each relation whose
    two ends are linked to registry nodes of the right kind. Unlinked mentions stay in the
    JSONL output as new candidates; nothing is invented in the registry for them."""
    doc = NodeRef(Label.DOCUMENT, name)
    rels: list[RelRecord] = []
    for m in mentions:
        ref = _ref(m.link)
        if ref is None:
            continue
        prov = Provenance(
            f"doc:{name}", ENTITY_EXTRACTOR, start=m.start, end=m.end, confidence=m.link.confidence
        )
        props = {
            "label": m.label,
            "text": m.text,
            "start": m.start,
            "end": m.end,
            "link": m.link.method,
        }
        rels.append(RelRecord(RelType.MENTIONS, doc, ref, props, prov, key=f"{m.start}:{m.end}"))
    for r in relations:
        head, tail = _ref(r.head.link), _ref(r.tail.link)
        want = _RELATION_ENDS[r.relation]
        if head is None or tail is None or (head.label, tail.label) != want:
            continue
        confidence = round(r.confidence * min(r.head.link.confidence, r.tail.link.confidence), 3)
        prov = Provenance(
            f"doc:{name}", RELATION_EXTRACTOR, start=r.start, end=r.end, confidence=confidence
        )
        props = {"role": r.role} if r.relation == "MEMBER_OF" else {}
        rels.append(RelRecord(RelType(r.relation), head, tail, props, prov))
    return rels
