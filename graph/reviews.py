"""The review queue: pairs the loader was unsure were one organisation, decided by the bureau.

A pair of entries whose names are similar but not enough to merge (loaders/resolve.py,
``REVIEW_AT`` up to ``MERGE_AT``) becomes a ``ReviewItem``, keyed by the two entries (in
either order), with both names, USCCs, kinds, the source and row that raised it, the
similarity and the evidence in words. A later load that meets the pair again merges onto
the same item and never touches its decision: a decided pair is not asked again.
``decision`` is SAME (merged through :func:`graph.merges.merge_organizations`, audited
there) or DISTINCT; the decision itself is audited here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from graph.audit import audit_params, audit_tail, lock
from graph.cypher import Query
from graph.merges import root_of
from graph.model import Label
from graph.records import NodeRecord
from loaders.provenance import Provenance
from loaders.resolve import KnownOrg, ReviewPair

__all__ = [
    "DECISIONS",
    "decide_review",
    "review_id",
    "review_item",
    "review_queue",
    "review_records",
]

DECISIONS = ("SAME", "DISTINCT")
EXTRACTOR = "loader:resolve"


def review_id(a: str, b: str) -> str:
    """The item of a pair, whichever entry came first."""
    first, second = sorted((a, b))
    return "review-" + hashlib.sha1(f"{first}|{second}".encode()).hexdigest()[:16]


def review_records(pairs: Iterable[ReviewPair], orgs: Mapping[str, KnownOrg]) -> list[NodeRecord]:
    """One ReviewItem per pair (the new entry ``a``, the existing candidate ``b``)."""
    out = []
    for p in pairs:
        a, b = orgs.get(p.id), orgs.get(p.candidate_id)
        props = {
            "a_id": p.id,
            "a_name": p.name,
            "a_uscc": a.uscc if a else None,
            "a_kind": str(a.kind) if a else None,
            "b_id": p.candidate_id,
            "b_name": p.candidate_name,
            "b_uscc": b.uscc if b else None,
            "b_kind": str(b.kind) if b else None,
            "score": round(p.score, 1),
            "source": p.source,
            "row": p.row,
            "evidence": f"name similarity {p.score:.1f} of 100 (merged from 95, asked from 85); "
            f"{p.name!r} in {p.source} row {p.row} against {p.candidate_name!r}",
        }
        prov = Provenance(p.source, EXTRACTOR, row=p.row, confidence=min(1.0, p.score / 100))
        out.append(NodeRecord(Label.REVIEW_ITEM, review_id(p.id, p.candidate_id), props, prov))
    return out


_ITEM = (
    "i {.id, .a_name, .a_uscc, .a_kind, .b_name, .b_uscc, .b_kind, .score, .source, .row, "
    ".evidence, .decision, .decided_by, .decided_at, .decision_reason, .prov_source, .prov_row, "
    ".prov_sources, a_id: a.id, b_id: b.id, a_sources: a.prov_sources, b_sources: b.prov_sources, "
    "a_row: a.prov_row, b_row: b.prov_row}"
)


def review_queue(*, offset: int, limit: int) -> Query:
    """The undecided items whose two entries still stand apart, the most similar first."""
    match = (
        "MATCH (i:ReviewItem) WHERE i.decision IS NULL "
        "MATCH (a:Organization {id: i.a_id}), (b:Organization {id: i.b_id}) "
        f"WHERE {root_of('a')} <> {root_of('b')} "
    )
    return (
        f"CALL () {{ {match} RETURN count(i) AS total }} "
        f"CALL () {{ {match} WITH i, a, b ORDER BY i.score DESC, i.id SKIP $offset LIMIT $limit "
        f"RETURN collect({_ITEM}) AS items }} RETURN total, items",
        {"offset": offset, "limit": limit},
    )


def review_item(key: str) -> Query:
    """One item with its two entries (null ones when an entry is gone)."""
    return (
        "MATCH (i:ReviewItem {id: $id}) "
        "OPTIONAL MATCH (a:Organization {id: i.a_id}) OPTIONAL MATCH (b:Organization {id: i.b_id}) "
        f"RETURN {_ITEM} AS item",
        {"id": key},
    )


def decide_review(key: str, decision: str, *, who: str, role: str, reason: str) -> Query:
    """Record the decision (SAME or DISTINCT) on the item, audited; deciding what already
    stands changes nothing and writes no entry."""
    if decision not in DECISIONS:
        raise ValueError(f"decision {decision!r}: use SAME or DISTINCT")
    return (
        "MATCH (i:ReviewItem {id: $target}) " + lock("i") + "WITH i "
        "WITH i, i {.decision, .decision_reason} AS was "
        "WITH i, was, coalesce(was.decision, '') <> $decision AS changed "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "SET i.decision = $decision, i.decided_by = $who, i.decided_at = datetime(), "
        "i.decision_reason = $reason) "
        "WITH i, changed, ['decision=' + coalesce(was.decision, '')] AS before, "
        "['decision=' + $decision] AS after, [i.id, i.a_id, i.b_id] AS concerned "
        + audit_tail(entities="concerned"),
        {
            "decision": decision,
            **_without_entities(audit_params("decideReview", key, who, role, reason)),
        },
    )


def _without_entities(params: dict[str, object]) -> dict[str, object]:
    # the entities are the item's and its two entries', read in the query
    return {k: v for k, v in params.items() if k != "entities"}
