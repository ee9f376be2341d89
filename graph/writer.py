"""Batched, idempotent upserts of typed records, one managed transaction per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from itertools import islice
from typing import Any, TypeVar

import neo4j

from graph.cypher import Query, merge_nodes, merge_rels
from graph.model import Label, RelType
from graph.records import NodeRecord, RelRecord

__all__ = ["WriteCounts", "Writer", "run_write"]

T = TypeVar("T")

# Relationship ends that a single row owns (one recognition per HOLDS edge).
PRIVATE_END_LABELS = frozenset({Label.RECOGNITION})


@dataclass(frozen=True, slots=True)
class WriteCounts:
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    rels_created: int = 0
    rels_updated: int = 0
    rels_unchanged: int = 0
    rels_missing_end: int = 0  # relationship rows whose start or end node does not exist

    def __add__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(WriteCounts))
        )

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(WriteCounts)}


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def run_write(tx: neo4j.ManagedTransaction, query: Query) -> dict[str, Any]:
    """Run one write; ``created`` comes from the server's counters, the rest from RETURN."""
    text, params = query
    result = tx.run(text, params)
    record = dict(result.single(strict=True))
    counters = result.consume().counters
    record["created"] = counters.nodes_created or counters.relationships_created
    return record


class Writer:
    """Upserts records: nodes first, then relationships, in batches of ``batch_size`` rows."""

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str | None = None,
        batch_size: int = 1000,
        workers: int = 2,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size={batch_size} must be at least 1")
        if workers < 1:
            raise ValueError(f"workers={workers} must be at least 1")
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.workers = workers

    def _run_all(self, queries: list[Query], parallel: bool = True) -> list[dict[str, Any]]:
        """One transaction per query; up to ``workers`` at once (the server has cores to spare
        while this process prepares the next batch). Lock conflicts between concurrent
        batches are transient errors that the managed transactions retry."""
        if not parallel or self.workers == 1 or len(queries) < 2:
            return [self._execute([q])[0] for q in queries]
        with ThreadPoolExecutor(self.workers) as pool:
            return [r[0] for r in pool.map(lambda q: self._execute([q]), queries)]

    def _execute(self, queries: list[Query]) -> list[dict[str, Any]]:
        """All queries of one batch commit together or not at all (retried on transient errors)."""
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: [run_write(tx, q) for q in queries])

    def write(
        self, nodes: Iterable[NodeRecord] = (), rels: Iterable[RelRecord] = ()
    ) -> WriteCounts:
        now = datetime.now(UTC).isoformat()
        total = WriteCounts()
        node_groups: dict[tuple[Label, frozenset[Label]], list[dict[str, Any]]] = defaultdict(list)
        for n in nodes:
            node_groups[(n.label, n.kinds)].append(n.row())
        for (label, kinds), rows in node_groups.items():
            batches = [
                merge_nodes(label, c, now, sorted(kinds)) for c in _batches(rows, self.batch_size)
            ]
            for r in self._run_all(batches):
                total += WriteCounts(
                    nodes_created=r["created"],
                    nodes_updated=r["updated"],
                    nodes_unchanged=r["matched"] - r["created"] - r["updated"],
                )
        rel_groups: dict[tuple[RelType, Label, Label, bool], list[dict[str, Any]]] = defaultdict(
            list
        )
        for rel in rels:
            group = (rel.type, rel.start.label, rel.end.label, rel.key is not None)
            rel_groups[group].append(rel.row())
        for (rtype, start, end, keyed), rows in rel_groups.items():
            chunks = list(_batches(rows, self.batch_size))
            batches = [merge_rels(rtype, start, end, c, now, keyed) for c in chunks]
            # Batches ending on a few hub nodes (areas, technologies, consortia) would wait on
            # each other's locks; only edges to nodes of their own run in parallel.
            parallel = end in PRIVATE_END_LABELS
            for chunk, r in zip(chunks, self._run_all(batches, parallel), strict=True):
                total += WriteCounts(
                    rels_created=r["created"],
                    rels_updated=r["updated"],
                    rels_unchanged=r["matched"] - r["created"] - r["updated"],
                    rels_missing_end=len(chunk) - r["matched"],
                )
        return total
