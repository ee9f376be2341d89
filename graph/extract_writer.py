"""A document's extraction into the graph while it streams: the Document, its targets, its
MENTIONS and the relations read from it, in batches (memory stays flat on big files).

A document is written as a whole version: :func:`begin_document` first clears what an
earlier version of it stated (or says the graph already holds this very text, and then
nothing is written at all)."""

from __future__ import annotations

import dataclasses
from typing import Any

import neo4j

from graph.documents import PENDING, clear_document, document_text
from graph.extracts import STREAM_EXTRACTORS, document_node, mention_records, target_records
from graph.records import NodeRecord, RelRecord
from graph.tallies import refresh_merged
from graph.writer import WriteCounts, Writer
from nlp.document import BlockResult, DocumentReader

__all__ = ["ExtractionWriter", "begin_document"]


def begin_document(
    writer: Writer,
    name: str,
    sha256: str,
    extractors: tuple[str, ...],
    *,
    force: bool = False,
) -> bool:
    """Before the extraction of the text ``sha256`` by ``extractors`` is written as document
    ``name``: False when the graph already holds the finished extraction of this same text
    by the same extractors (write nothing; ``force`` re-extracts anyway, for a registry
    that has learnt new names). Otherwise the
    earlier version's Targets, MENTIONS and relation statements are removed in one
    transaction and the Document stays marked pending until the new version is written, so
    a run stopped half way is redone by the next one."""
    text, params = document_text(name)
    records, _, _ = writer.driver.execute_query(
        text, params, database_=writer.database, routing_=neo4j.RoutingControl.READ
    )
    if not records:
        return True  # nothing stated before: nothing to clear
    same = records[0]["sha256"] == sha256 and records[0]["extractors"] == list(extractors)
    if same and not force:
        return False
    text, params = clear_document(name)
    writer.driver.execute_query(text, params, database_=writer.database)
    return True


FLUSH_AT = 5000  # records held before a write


class ExtractionWriter:
    def __init__(self, writer: Writer, reader: DocumentReader, name: str) -> None:
        self.writer, self.reader, self.name = writer, reader, name
        self.nodes: list[NodeRecord] = []
        self.rels: list[RelRecord] = []
        self.counts = WriteCounts()
        self._doc_written = False

    def _document(self, sha256: str = "", chars: int = 0) -> NodeRecord:
        return document_node(
            self.name,
            title=self.reader.title,
            lang=self.reader.doc_lang,
            sha256=sha256 or PENDING,
            chars=chars,
            extractors=STREAM_EXTRACTORS,
            source=_source_props(self.reader),
        )

    def add(self, block: BlockResult) -> None:
        nodes, rels = target_records(self.name, block.quantities, self.reader.published)
        rels += mention_records(self.name, block.mentions, block.relations)
        if self.reader.source is not None and self.reader.source.pages:
            nodes = [_paged(n, self.reader) for n in nodes]
            rels = [_paged(r, self.reader) for r in rels]
        self.nodes += nodes
        self.rels += rels
        if len(self.nodes) + len(self.rels) >= FLUSH_AT:
            self._flush()

    def _flush(self, final: NodeRecord | None = None) -> None:
        nodes = self.nodes
        if final is not None:
            nodes = [final, *nodes]
        elif not self._doc_written:
            # the relationships need their document; its digest is written at the end
            nodes = [self._document(), *nodes]
        self.counts = self.counts + self.writer.write(nodes, self.rels)
        self._doc_written = True
        self.nodes, self.rels = [], []

    def finish(self) -> WriteCounts:
        stream = self.reader.stream
        self._flush(self._document(stream.sha256, stream.chars))
        # a relation stated of (or cleared from) an entry the bureau merged: its root holds
        # what its tree holds (graph.merges)
        refresh_merged(self.writer.driver, self.writer.database)
        return self.counts


def _source_props(reader: DocumentReader) -> dict[str, Any]:
    """What a page, PDF or Word file gave besides its text's digest: the text itself (every
    span's offsets index it), where it came from, its kind, date and page starts."""
    source = reader.source
    if source is None:
        return {}
    props: dict[str, Any] = {"text": source.text, "source_kind": source.kind}
    if source.uri:
        props["uri"] = source.uri
    if source.published:
        props["published_on"] = source.published
    if source.pages:
        props["page_starts"] = list(source.pages)
    return props


def _paged(record: Any, reader: DocumentReader) -> Any:
    """``record`` with the PDF page its span starts on in its provenance."""
    page = reader.page_of(record.prov.start)
    if page is None:
        return record
    return dataclasses.replace(record, prov=dataclasses.replace(record.prov, page=page))
