"""Cypher for a document's extraction as a whole: the text it was read from, and clearing
what an earlier version of it stated before the new version is written.

What a document states is identified by its provenance source ``doc:<name>``: its Targets
(STATED_IN it, ids ``target-<name>-<offset>``), its MENTIONS, and its statements of
relations between registry nodes (MEMBER_OF, DRAFTED, WORKS_ON), which other sources (the
loaders' lists) may state too.
"""

from __future__ import annotations

from graph.cypher import Query
from graph.model import RelType

__all__ = ["DOC_RELATIONS", "PENDING", "clear_document", "doc_source", "document_text"]

# The Document's sha256 while a version of it is being written (never a real digest).
PENDING = "pending"
# Relations the extractor writes between registry nodes (graph.extracts._RELATION_ENDS).
DOC_RELATIONS = (RelType.MEMBER_OF, RelType.DRAFTED, RelType.WORKS_ON)


def doc_source(name: str) -> str:
    """The provenance source of what the document ``name`` states."""
    return f"doc:{name}"


def document_text(name: str) -> Query:
    """The sha256 of the text the stored extraction of ``name`` was read from (``PENDING``
    when a write of it did not finish) and the extractors it was read with; no row when
    there is none."""
    return (
        "MATCH (d:Document {id: $id}) RETURN d.sha256 AS sha256, d.extractors AS extractors",
        {"id": name},
    )


def clear_document(name: str) -> Query:
    """Everything an earlier version of ``name`` stated, removed in one transaction, and its
    Document marked ``PENDING`` until the new version is written whole (a run stopped half
    way is then not taken for a finished one).

    - a relation only this document stated is deleted; one other sources state too loses
      this document from ``prov_sources`` and its content hash; when this document owned it,
      the next source listed becomes the owner and its next load writes its own values and
      provenance again (its hash is dropped so that load is not skipped as unchanged);
    - its MENTIONS are deleted; its Targets are deleted with their STATED_IN.

    Relations are found through the document's MENTIONS (both ends of every relation it
    states are mentioned in it; the writer writes MENTIONS before relations), so nothing
    outside the document's own neighbourhood is scanned. Nodes of the registry are never
    deleted: a document only links to them.
    """
    types = "|".join(f"`{t}`" for t in DOC_RELATIONS)
    return (
        # its content hash goes too, or the finished version's write would be skipped as
        # unchanged and leave it pending
        "MATCH (d:Document {id: $id}) SET d.sha256 = $pending, "
        "d._hashes = [x IN coalesce(d._hashes, []) WHERE NOT x STARTS WITH $source + ':'] "
        "WITH d "
        "CALL (d) { "
        f"  MATCH (d)-[:MENTIONS]->(h)-[r:{types}]->() WHERE $source IN r.prov_sources "
        "  WITH DISTINCT r "
        "  WITH r, [s IN r.prov_sources WHERE s <> $source] AS others, "
        "    coalesce(r.prov_source = $source, false) AS owned "
        "  FOREACH (_ IN CASE WHEN others = [] THEN [1] ELSE [] END | DELETE r) "
        "  FOREACH (_ IN CASE WHEN others <> [] AND NOT owned THEN [1] ELSE [] END | "
        "    SET r.prov_sources = others, "
        "    r._hashes = [x IN r._hashes WHERE NOT x STARTS WITH $source + ':']) "
        "  FOREACH (_ IN CASE WHEN others <> [] AND owned THEN [1] ELSE [] END | "
        "    SET r.prov_sources = others, r.prov_source = others[0], r._hashes = [], "
        "    r._phash = '', r.prov_extractor = null, r.prov_row = null, r.prov_start = null, "
        "    r.prov_end = null, r.prov_confidence = null, r.prov_load = null) "
        "  RETURN count(*) AS relations } "
        "CALL (d) { MATCH (d)-[m:MENTIONS]->() DELETE m RETURN count(m) AS mentions } "
        "CALL (d) { MATCH (t:Target) WHERE t.id STARTS WITH $prefix AND t.prov_source = $source "
        "  DETACH DELETE t RETURN count(t) AS targets } "
        "RETURN relations, mentions, targets",
        {
            "id": name,
            "source": doc_source(name),
            "prefix": f"target-{name}-",
            "pending": PENDING,
        },
    )
