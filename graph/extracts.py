"""Extraction output to graph records: a Document, and a Target per stated target."""

from __future__ import annotations

import hashlib

from graph.model import Label, RelType
from graph.records import NodeRecord, RelRecord
from loaders.provenance import Provenance
from nlp.indicators import indicator_key
from nlp.quantities import Quantity

__all__ = ["EXTRACTOR", "document_records"]

EXTRACTOR = "nlp:quantities@1"
# A rule-based reading: right on the dev gold, but not checked by a person per target.
CONFIDENCE = 0.8


def document_records(
    name: str, text: str, quantities: list[Quantity], lang: str
) -> tuple[list[NodeRecord], list[RelRecord]]:
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    title = next((line.strip() for line in text.splitlines() if line.strip()), name)[:200]
    doc = NodeRecord(
        Label.DOCUMENT,
        name,
        {"title": title, "lang": lang, "sha256": sha, "chars": len(text)},
        Provenance(f"doc:{name}", EXTRACTOR),
    )
    nodes, rels = [doc], []
    for q in quantities:
        if q.kind != "target":
            continue
        prov = Provenance(f"doc:{name}", EXTRACTOR, start=q.start, end=q.end, confidence=CONFIDENCE)
        target = NodeRecord(
            Label.TARGET,
            f"target-{name}-{q.start}",
            {
                "indicator": q.indicator or q.evidence,
                "indicator_key": indicator_key(f"{q.indicator} {q.evidence}"),
                "value": q.value,
                "unit": q.unit,
                "comparator": q.comparator,
                "deadline": q.year,
                "scope": q.scope,
                "kind": q.kind,
                "evidence": q.evidence,
            },
            prov,
        )
        nodes.append(target)
        rels.append(
            RelRecord(
                RelType.STATED_IN, target.ref, doc.ref, {"start": q.start, "end": q.end}, prov
            )
        )
    return nodes, rels
