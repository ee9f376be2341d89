"""A document's extraction into the graph while it streams: the Document, its targets, its
MENTIONS and the relations read from it, in batches (memory stays flat on big files)."""

from __future__ import annotations

from graph.extracts import document_node, mention_records, target_records
from graph.records import NodeRecord, RelRecord
from graph.writer import WriteCounts, Writer
from nlp.document import BlockResult, DocumentReader

__all__ = ["ExtractionWriter"]

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
            sha256=sha256 or "pending",
            chars=chars,
        )

    def add(self, block: BlockResult) -> None:
        nodes, rels = target_records(self.name, block.quantities, self.reader.published)
        self.nodes += nodes
        self.rels += rels + mention_records(self.name, block.mentions, block.relations)
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
        return self.counts
