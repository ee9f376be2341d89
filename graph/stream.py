"""A load as a pipeline of chunks: rows read lazily, parsed, resolved, projected and written
a chunk at a time, so the client's memory does not grow with the file.

What must hold across chunks is kept compact, most of it on disk in a :class:`LoadLedger`
(an SQLite file private to the load, deleted at its end):

- each organisation's first mention (its provenance), first area and region, whether only
  synthetic lists named it, and a hash of the node last written: a later chunk naming it
  writes the node again only when it changed (the resolver's names so far), so the last
  write carries the union of every row naming it, as a whole-file load does;
- every other node written (its properties): a later record of the same key fills only
  its gaps (earlier rows win), as :func:`graph.project.fill_gaps` does inside a chunk;
- a hash of every relationship written: the first row stating one owns it.

Relationships to a technology or an area that is neither the seed's nor written by this
load yet (a taxonomy file naming a broader term further down) wait for the end of the load.
The result equals the whole-file load's graph (tests/test_stream_load.py).
"""

from __future__ import annotations

import csv
import hashlib
import pickle
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from graph.model import Label
from graph.project import Projection, fill_gaps, finish_projection, project_records
from graph.records import NodeRecord, NodeRef, RelRecord, content_hash
from loaders.columns import ColumnMap, map_headers
from loaders.errors import ParseError
from loaders.formats import Format, Row, iter_rows, sniff_format
from loaders.formulas import formula_cells
from loaders.kinds import KINDS, RowContext, parse_row
from loaders.provenance import Provenance
from loaders.records import Record, Reject
from loaders.resolve import Resolver
from loaders.sources import SourceSpec
from loaders.taxonomy import TaxonomyMatcher

__all__ = [
    "CHUNK_ROWS",
    "ChunkedParse",
    "LoadLedger",
    "OrgState",
    "ReportCsv",
    "StreamProjector",
]

CHUNK_ROWS = 10_000  # rows parsed, resolved, projected and written together
_IN_BATCH = 5000  # keys per lookup in the ledger
_ORGS_IN = "SELECT id, v FROM orgs WHERE id IN (SELECT value FROM json_each(?))"
_NODES_IN = "SELECT k, v FROM nodes WHERE k IN (SELECT value FROM json_each(?))"
_RELS_IN = "SELECT k FROM rels WHERE k IN (SELECT value FROM json_each(?))"
_HUB_LABELS = frozenset({Label.TECHNOLOGY, Label.AREA})


def _hash64(*parts: object) -> int:
    """A signed 64-bit key (SQLite's INTEGER) for a node or relationship identity."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


@dataclass(frozen=True, slots=True)
class OrgState:
    """What a load knows of an organisation from the chunks before."""

    prov: Provenance  # its first mention
    area: str | None
    region: str | None
    synthetic: bool  # only synthetic lists named it so far
    written: str  # hash of the node last written (properties and kind labels)


class LoadLedger:
    """What one load has written so far, in an SQLite file of its own (deleted on close)."""

    def __init__(self, directory: Path | None = None) -> None:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed with the ledger
            prefix="innograph-load-", suffix=".sqlite", dir=directory, delete=False
        )
        handle.close()
        self.path = Path(handle.name)
        self._db = sqlite3.connect(self.path)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -32768"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(
            "CREATE TABLE orgs (id TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;"
            "CREATE TABLE nodes (k INTEGER PRIMARY KEY, label TEXT, key TEXT, v BLOB);"
            "CREATE TABLE rels (k INTEGER PRIMARY KEY);"
        )

    def __enter__(self) -> LoadLedger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        self.path.unlink(missing_ok=True)

    def _lookup(self, query: str, keys: Sequence[object]) -> list[Any]:
        """Rows of ``query`` for ``keys``, passed as one JSON array parameter."""
        rows: list[Any] = []
        for batch in _batched(keys, _IN_BATCH):
            rows += self._db.execute(query, (orjson.dumps(batch).decode(),))
        return rows

    def org_states(self, ids: Sequence[str]) -> dict[str, OrgState]:
        rows = self._lookup(_ORGS_IN, ids)
        return {k: pickle.loads(v) for k, v in rows}

    def put_org_states(self, states: dict[str, OrgState]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO orgs VALUES (?, ?)",
            ((k, pickle.dumps(s, pickle.HIGHEST_PROTOCOL)) for k, s in states.items()),
        )

    def nodes(self, keys: Sequence[int]) -> dict[int, NodeRecord]:
        return {k: pickle.loads(v) for k, v in self._lookup(_NODES_IN, keys)}

    def put_nodes(self, nodes: Iterable[tuple[int, NodeRecord]]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?)",
            (
                (k, str(n.label), str(n.key), pickle.dumps(n, pickle.HIGHEST_PROTOCOL))
                for k, n in nodes
            ),
        )

    def known_rels(self, keys: Sequence[int]) -> set[int]:
        return {k for (k,) in self._lookup(_RELS_IN, keys)}

    def add_rels(self, keys: Iterable[int]) -> None:
        self._db.executemany("INSERT OR IGNORE INTO rels VALUES (?)", ((k,) for k in keys))

    def keys(self, label: Label) -> Iterator[str]:
        """The keys of the nodes of ``label`` written (in no particular order)."""
        for (key,) in self._db.execute("SELECT key FROM nodes WHERE label = ?", (str(label),)):
            yield key


def _org_hash(n: NodeRecord) -> str:
    present = {k: v for k, v in n.props.items() if v is not None}
    return content_hash({"props": present, "kinds": sorted(n.kinds)})


class StreamProjector:
    """Projects chunk after chunk of one load's records; each :meth:`chunk` returns the
    nodes and relationships to write for it (what the chunks before did not write)."""

    def __init__(self, resolver: Resolver, ledger: LoadLedger, hubs: Iterable[NodeRef]) -> None:
        self.resolver = resolver
        self.ledger = ledger
        self.hubs = {(h.label, h.key) for h in hubs}  # technologies and areas that exist
        self.deferred: list[RelRecord] = []  # to hubs not written yet: at the end

    def chunk(self, records: Iterable[Record]) -> tuple[list[NodeRecord], list[RelRecord]]:
        p = project_records(records, self.resolver)
        states = self._fold_orgs(p)
        finish_projection(p, self.resolver)
        return self._new_nodes(p, states), self._new_rels(p.rels)

    def _fold_orgs(self, p: Projection) -> dict[str, OrgState]:
        """The chunk's first mention, area, region of each organisation, after the chunks
        before (theirs win), and whether only synthetic lists named it."""
        states = self.ledger.org_states(list(p.org_prov))
        for ident, s in states.items():
            p.org_prov[ident] = s.prov
            for known, mine in ((s.area, p.org_area), (s.region, p.org_region)):
                if known:
                    mine[ident] = known
            p.org_synthetic[ident] = s.synthetic and p.org_synthetic[ident]
        return states

    def _new_nodes(self, p: Projection, states: dict[str, OrgState]) -> list[NodeRecord]:
        out: list[NodeRecord] = []
        others: list[tuple[int, NodeRecord]] = []
        org_states: dict[str, OrgState] = {}
        for n in p.nodes:
            if n.label is Label.ORGANIZATION:
                ident = str(n.key)
                h = _org_hash(n)
                before = states.get(ident)
                if before is None or before.written != h:
                    out.append(n)
                org_states[ident] = OrgState(
                    p.org_prov[ident],
                    p.org_area.get(ident),
                    p.org_region.get(ident),
                    p.org_synthetic[ident],
                    h,
                )
            else:
                others.append((_hash64(n.label, n.key), n))
                if n.label in _HUB_LABELS:
                    self.hubs.add((n.label, n.key))
        written = self.ledger.nodes([k for k, _ in others])
        changed: list[tuple[int, NodeRecord]] = []
        for k, n in others:
            seen = written.get(k)
            merged = n if seen is None else fill_gaps(seen, n)
            if seen is None or merged.props != seen.props:
                out.append(merged)
                changed.append((k, merged))
        self.ledger.put_nodes(changed)
        self.ledger.put_org_states(org_states)
        return out

    def _new_rels(self, rels: list[RelRecord]) -> list[RelRecord]:
        keys = [
            _hash64(r.type, r.start.label, r.start.key, r.end.label, r.end.key, r.key) for r in rels
        ]
        known = self.ledger.known_rels(keys)
        out: list[RelRecord] = []
        for k, r in zip(keys, rels, strict=True):
            if k in known:
                continue
            if r.end.label in _HUB_LABELS and (r.end.label, r.end.key) not in self.hubs:
                self.deferred.append(r)
            else:
                out.append(r)
        self.ledger.add_rels(k for k in keys if k not in known)
        return out


class ChunkedParse:
    """The records of one file, a chunk of ``chunk_rows`` rows at a time.

    Built from the first chunk's headers (every row of a sheet has the header row's; a
    JSON list is read whole, its objects may differ): a file lacking a required column
    fails here, before anything is written."""

    def __init__(
        self,
        spec: SourceSpec,
        data: bytes,
        file_name: str,
        ctx_load: str,
        taxonomy: TaxonomyMatcher,
        chunk_rows: int = CHUNK_ROWS,
    ) -> None:
        self.kind = KINDS[spec.kind]
        self.rows = 0  # read so far
        self.ok = 0  # rows with records so far
        rows = iter_rows(data, file_name, spec.format)
        if (spec.format or sniff_format(file_name, data)) is Format.JSON:
            first: list[Row] = list(rows)  # parsed whole anyway; its objects' keys differ
        else:
            first = list(islice(rows, chunk_rows))
        self._rows, self.chunk_rows = chain(first, rows), chunk_rows
        headers = list(dict.fromkeys(h for _, r in first for h in r))
        self.columns: ColumnMap = map_headers(headers, spec.columns)
        missing = [
            f for f in self.kind.required if f not in self.columns.fields and f not in spec.defaults
        ]
        if missing:
            raise ParseError(
                file_name,
                f"no column for {', '.join(missing)} (headers: {', '.join(headers) or 'none'}); "
                f"name it with --map 'HEADER={missing[0]}' or a [source.columns] entry",
            )
        self.ctx = RowContext(
            spec.name, self.columns, spec.defaults, taxonomy, spec.synthetic, load=ctx_load
        )

    def chunks(
        self, flags: list[tuple[int, str, str]] | None = None
    ) -> Iterator[tuple[list[Record], list[Reject]]]:
        """(records, rejects) of each chunk; formula-like cells are added to ``flags``."""
        while chunk := list(islice(self._rows, self.chunk_rows)):
            if flags is not None:
                flags += formula_cells(chunk)
            records: list[Record] = []
            rejects: list[Reject] = []
            for line, row in chunk:
                out = parse_row(self.kind, self.ctx, line, row)
                found = [o for o in out if not isinstance(o, Reject)]
                rejects += [o for o in out if isinstance(o, Reject)]
                records += found
                self.ok += bool(found)
            self.rows += len(chunk)
            yield records, rejects


class ReportCsv:
    """A report file written row by row beside its final name, moved there by
    :meth:`finish` (none when it has no rows); dropped when the load fails."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path, self.header = path, header
        self.part = path.with_name(path.name + ".part")
        self.rows = 0
        self._file: Any = None
        self._writer: Any = None

    def add(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            if self._writer is None:
                self.part.parent.mkdir(parents=True, exist_ok=True)
                # BOM: opens right in Excel
                self._file = self.part.open("w", encoding="utf-8-sig", newline="")
                self._writer = csv.writer(self._file)
                self._writer.writerow(self.header)
            self._writer.writerow(row)
            self.rows += 1

    def finish(self) -> str | None:
        if self._file is not None:
            self._file.close()
            self.part.replace(self.path)
            return str(self.path)
        self.path.unlink(missing_ok=True)
        return None

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
        self.part.unlink(missing_ok=True)
