"""Batched, idempotent upserts of typed records, one transaction per batch (retried as
:mod:`graph.retry` says)."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from itertools import islice, zip_longest
from threading import Lock
from typing import Any, TypeVar

import neo4j

from graph.cypher import Query, merge_nodes, merge_rels
from graph.driver import WriteTx
from graph.model import Label, RelType
from graph.records import NodeRecord, RelRecord
from graph.retry import Outage, with_retries
from graph.tallies import refresh_standards, refresh_tallies
from loaders.errors import SettingsError

__all__ = ["WriteCounts", "Writer", "run_write"]

T = TypeVar("T")

# Relationship ends that a single row owns (one recognition per HOLDS edge): batches of
# edges to them never wait on each other's locks.
PRIVATE_END_LABELS = frozenset({Label.RECOGNITION})

RelGroup = tuple[RelType, Label, Label, bool]

# What the maintained counts (graph.tally) depend on: a recognition's fields, and these
# edges of an organisation (a group standard's: its fields and COVERS edges). A batch
# writing them recomputes the counts of the organisations it touched in its own transaction.
TALLIED_RELS = frozenset({RelType.HOLDS, RelType.LOCATED_IN, RelType.WORKS_ON})
# Edges to a recognition (HOLDS) go in batches this many times the batch size (up to
# TALLIED_BATCH_MAX rows, or the batch size if larger), one at a time: the refresh of counts
# in their transaction adds up the cells the batch's holders share (the demo's 20k firms:
# 257k cells written in batches of 10,000 against 613k in batches of 1,000), and batches
# side by side queue on the same cells' locks (two of 10,000 at once: 19 s of applying
# cells against 9 s one after the other).
TALLIED_BATCH_FACTOR = 10
TALLIED_BATCH_MAX = 10_000  # a transaction's rows the server's default 1g heap holds easily


@dataclass(frozen=True, slots=True)
class _Batch:
    query: Query
    rows: int
    orgs: tuple[str, ...] = ()  # organisations whose counts the batch may move
    recognitions: tuple[str, ...] = ()  # recognitions whose holders' counts it may move
    # the counts move only if the organisations hold recognitions (an area or technology
    # edge): checked first, in one EXISTS
    if_counted: bool = False
    standards: tuple[str, ...] = ()  # group standards whose counts it may move


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


def run_write(tx: WriteTx, query: Query) -> dict[str, Any]:
    """Run one write; ``created`` comes from the server's counters, the rest from RETURN."""
    text, params = query
    result = tx.run(text, params)
    record = dict(result.single(strict=True))
    counters = result.consume().counters
    record["created"] = counters.nodes_created or counters.relationships_created
    return record


class Writer:
    """Upserts records: nodes first, then relationships, in batches of ``batch_size`` rows
    (edges to recognitions: see ``TALLIED_BATCH_FACTOR``)."""

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str | None = None,
        batch_size: int = 1000,
        workers: int = 2,
        *,
        tally: bool = True,
    ) -> None:
        if batch_size < 1:
            raise SettingsError(f"batch size {batch_size}: use 1 or more rows per transaction")
        if workers < 1:
            raise SettingsError(f"workers={workers}: use 1 or more write connections")
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.workers = workers
        self.tally = tally  # keep the maintained counts (off only for a rebuild after)
        self.batches_committed = 0  # by this writer, so far: what a failed load kept
        self._count_lock = Lock()
        self._outage = Outage()  # one clock for all workers: a dead server stops them together

    def _stream(
        self, batches: Iterable[_Batch], parallel: bool
    ) -> Iterator[tuple[dict[str, Any], int]]:
        """Run each ``(query, rows)`` batch in its own transaction, yielding ``(result, rows)``
        in order. Batches are built lazily: the next one is prepared here while the server
        writes the previous ones (up to ``workers`` at once when ``parallel``). Lock
        conflicts between concurrent batches are transient errors :mod:`graph.retry`
        retries."""
        workers = self.workers if parallel else 1
        with ThreadPoolExecutor(workers) as pool:
            pending: deque[tuple[Future[list[dict[str, Any]]], int]] = deque()
            try:
                for batch in batches:
                    pending.append((pool.submit(self._execute_batch, batch), batch.rows))
                    if len(pending) > workers:
                        done, n = pending.popleft()
                        yield done.result()[0], n
                while pending:
                    done, n = pending.popleft()
                    yield done.result()[0], n
            except BaseException:
                # A batch failed (its retries spent: the server is gone, say): the queued
                # ones are not started, only those already running are waited for.
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    def _execute_batch(self, batch: _Batch) -> list[dict[str, Any]]:
        """The batch's write and, in the same transaction, the counts it moved."""

        def work(tx: WriteTx) -> list[dict[str, Any]]:
            result = [run_write(tx, batch.query)]
            # recognitions the batch created have no holder yet: nothing to recount
            recognitions = () if result[0]["created"] == batch.rows else batch.recognitions
            if self.tally and (batch.orgs or recognitions):
                refresh_tallies(
                    tx, batch.orgs, recognitions=recognitions, if_counted=batch.if_counted
                )
            if self.tally and batch.standards:
                refresh_standards(tx, batch.standards)
            return result

        def attempt() -> list[dict[str, Any]]:
            # a session of its own: one whose connection broke is not reused
            with (
                self.driver.session(database=self.database) as session,
                session.begin_transaction() as tx,
            ):
                done = work(tx)
                tx.commit()
            return done

        result = with_retries(attempt, self._outage)
        with self._count_lock:
            self.batches_committed += 1
        return result

    def _node_batches(
        self, groups: dict[tuple[Label, frozenset[Label]], list[NodeRecord]], now: str
    ) -> Iterator[_Batch]:
        for (label, kinds), records in groups.items():
            for chunk in _batches(records, self.batch_size):
                keys = tuple(str(n.key) for n in chunk)
                recognitions = keys if label is Label.RECOGNITION else ()
                standards = keys if label is Label.GROUP_STANDARD else ()
                query = merge_nodes(label, [n.row() for n in chunk], now, sorted(kinds))
                yield _Batch(query, len(chunk), recognitions=recognitions, standards=standards)

    def _rel_batches(
        self, group: RelGroup, chunks: Iterable[Sequence[RelRecord]], now: str
    ) -> Iterator[_Batch]:
        rtype, start, end, keyed = group
        tallied = rtype in TALLIED_RELS and start is Label.ORGANIZATION
        covers = rtype is RelType.COVERS and start is Label.GROUP_STANDARD
        for chunk in chunks:
            starts = tuple(sorted({str(r.start.key) for r in chunk}))
            query = merge_rels(rtype, start, end, [r.row() for r in chunk], now, keyed)
            yield _Batch(
                query,
                len(chunk),
                orgs=starts if tallied else (),
                if_counted=rtype is not RelType.HOLDS,
                standards=starts if covers else (),
            )

    def _hub_chunks(self, records: list[RelRecord]) -> tuple[list[Sequence[RelRecord]], bool]:
        """Batches of edges to hub nodes, and whether they may run in parallel.

        Only when no start node has two such edges: then two batches share no node but
        hubs. Rows are dealt round-robin by hub, so the batches in flight together mostly
        end on different hubs and do not queue on one hub's lock; within a batch rows are
        ordered by hub, so any two batches take hub locks in the same order (no deadlock).
        """
        by_end: dict[str | int, list[RelRecord]] = defaultdict(list)
        for r in records:
            by_end[r.end.key].append(r)
        if len(by_end) < 2 or len({r.start.key for r in records}) < len(records):
            return list(_batches(records, self.batch_size)), False
        rank = {key: i for i, key in enumerate(by_end)}
        per_end = [list(_batches(rs, self.batch_size)) for rs in by_end.values()]
        dealt = [chunk for row in zip_longest(*per_end) for chunk in row if chunk is not None]
        batches: list[Sequence[RelRecord]] = []
        current: list[RelRecord] = []
        for chunk in dealt:  # small remainders share a batch
            if current and len(current) + len(chunk) > self.batch_size:
                batches.append(sorted(current, key=lambda r: rank[r.end.key]))
                current = []
            current += chunk
        if current:
            batches.append(sorted(current, key=lambda r: rank[r.end.key]))
        return batches, True

    def _private_batches(self, group: RelGroup) -> tuple[int, bool]:
        """Rows per batch of edges to nodes of their own, and whether batches may run side
        by side (see TALLIED_BATCH_FACTOR)."""
        if not (self.tally and group[0] is RelType.HOLDS and group[1] is Label.ORGANIZATION):
            return self.batch_size, True
        size = min(self.batch_size * TALLIED_BATCH_FACTOR, TALLIED_BATCH_MAX)
        return max(self.batch_size, size), False

    def _write_rels(
        self, groups: dict[RelGroup, list[RelRecord]], now: str, hubs: bool
    ) -> WriteCounts:
        total = WriteCounts()
        for group, records in groups.items():
            if hubs:
                chunks, parallel = self._hub_chunks(records)
            else:
                size, parallel = self._private_batches(group)
                chunks = list(_batches(records, size))
            for r, size in self._stream(self._rel_batches(group, chunks, now), parallel):
                total += WriteCounts(
                    rels_created=r["created"],
                    rels_updated=r["updated"],
                    rels_unchanged=r["matched"] - r["created"] - r["updated"],
                    rels_missing_end=size - r["matched"],
                )
        return total

    def write(
        self, nodes: Iterable[NodeRecord] = (), rels: Iterable[RelRecord] = ()
    ) -> WriteCounts:
        now = datetime.now(UTC).isoformat()
        total = WriteCounts()
        node_groups: dict[tuple[Label, frozenset[Label]], list[NodeRecord]] = defaultdict(list)
        for n in nodes:
            node_groups[(n.label, n.kinds)].append(n)
        # A node batch locks only its own nodes: batches of every label may run at once.
        for r, _ in self._stream(self._node_batches(node_groups, now), parallel=True):
            total += WriteCounts(
                nodes_created=r["created"],
                nodes_updated=r["updated"],
                nodes_unchanged=r["matched"] - r["created"] - r["updated"],
            )
        private: dict[RelGroup, list[RelRecord]] = defaultdict(list)
        hubs: dict[RelGroup, list[RelRecord]] = defaultdict(list)
        for rel in rels:
            group = (rel.type, rel.start.label, rel.end.label, rel.key is not None)
            (private if rel.end.label in PRIVATE_END_LABELS else hubs)[group].append(rel)
        # Edges to a few hub nodes (areas, technologies, consortia), in batches planned not
        # to collide; then edges to nodes of their own in parallel batches. Hubs first: an
        # organisation's area and technologies are in place when its recognitions (HOLDS)
        # are recounted, so its counts are written once, in their final buckets.
        total += self._write_rels(hubs, now, hubs=True)
        total += self._write_rels(private, now, hubs=False)
        return total
