"""Loading one source into the graph: parse, validate, resolve, write, report.

A load is idempotent and safe to interrupt: ids are deterministic, writes are MERGEs in
one transaction per batch, and the ``Source`` node is marked complete only at the end, so a
killed load is simply run again.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import neo4j
import neo4j.time
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from graph import loads
from graph.errors import LoadInterruptedError
from graph.model import Label
from graph.project import project
from graph.records import NodeRecord, NodeRef
from graph.reviews import review_records
from graph.stream import CHUNK_ROWS, ChunkedParse, LoadLedger, ReportCsv, StreamProjector
from graph.tallies import refresh_merged
from graph.writer import WriteCounts, Writer
from loaders.provenance import Provenance
from loaders.records import OrgKind, Record, Reject
from loaders.resolve import KnownOrg, Resolver, ReviewPair
from loaders.sources import SourceSpec
from loaders.taxonomy import TaxonomyMatcher, seed_areas, seed_technologies

__all__ = [
    "HELD_AT_ONCE",
    "OVERLAP_HEADER",
    "RENEWAL_WINDOW",
    "RENEWED_EARLY",
    "LoadReport",
    "area_ids",
    "known_orgs",
    "load_source",
    "overlapping_recognitions",
    "parse_source",
    "previous_load",
    "seed_taxonomy",
    "source_rows",
]

RowProgress = Callable[[int, int], None]
REJECT_HEADER = ("source", "row", "field", "value", "reason")
FORMULA_REASON = "begins like a spreadsheet formula (kept as data; exports write it as text)"


@dataclass(frozen=True, slots=True)
class LoadReport:
    source: str
    rows: int = 0
    rows_ok: int = 0
    rows_rejected: int = 0
    rejects: int = 0
    merged: int = 0
    review: int = 0
    counts: WriteCounts = field(default_factory=WriteCounts)
    skipped: bool = False  # unchanged since its last complete load
    unmapped: tuple[str, ...] = ()
    rejects_file: str | None = None
    review_file: str | None = None
    # cells that begin like a spreadsheet formula: kept as data, reported
    flagged: int = 0
    flags_file: str | None = None
    seconds: float = 0.0
    # pairs of same-kind recognitions of one organisation whose validity windows overlap
    # (both kept; listed for review)
    overlaps: int = 0
    overlaps_file: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "rows": self.rows,
            "rows_ok": self.rows_ok,
            "rows_rejected": self.rows_rejected,
            "rejects": self.rejects,
            "merged": self.merged,
            "review": self.review,
            "skipped": self.skipped,
            "unmapped_headers": list(self.unmapped),
            "rejects_file": self.rejects_file,
            "review_file": self.review_file,
            "flagged": self.flagged,
            "flags_file": self.flags_file,
            "overlaps": self.overlaps,
            "overlaps_file": self.overlaps_file,
            "seconds": round(self.seconds, 3),
            **self.counts.as_dict(),
        }


def seed_taxonomy(writer: Writer) -> WriteCounts:
    """The plan's technologies and the areas: written before any list refers to them."""
    p = project([*seed_technologies(), *seed_areas()], Resolver())
    return writer.write(p.nodes, p.rels)


def known_orgs(
    driver: neo4j.Driver, database: str | None, exclude_source: str
) -> Iterator[KnownOrg]:
    """Organisations already in the graph, except those only ``exclude_source`` stated.

    Leaving out the source's own earlier output makes a re-run (after a crash, say) resolve
    exactly as a first run over the same graph would.
    """
    text, params = loads.known_orgs(exclude_source)
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        # records are turned into KnownOrg as they arrive: the result is never held whole
        for r in session.run(text, params):
            yield KnownOrg(
                id=r["id"],
                name=r["name"],
                kind=OrgKind(r["kind"] or "firm"),
                uscc=r["uscc"],
                names=set(r["aliases"] or ()) | {r["name"]},
                former_names=set(r["former"] or ()),
                name_en=r["name_en"],
                region=r["region"],
                synthetic=r["synthetic"],
            )


def area_ids(driver: neo4j.Driver, database: str | None) -> set[str]:
    """The areas a list may name: those in the graph and the seed's (written with any load)."""
    text, params = loads.area_ids()
    records, _, _ = driver.execute_query(
        text, params, database_=database, routing_=neo4j.RoutingControl.READ
    )
    return {str(r["id"]) for r in records} | {a.id for a in seed_areas()}


def previous_load(
    driver: neo4j.Driver, database: str | None, source: str
) -> dict[str, object] | None:
    text, params = loads.source_node(source)
    records, _, _ = driver.execute_query(
        text, params, database_=database, routing_=neo4j.RoutingControl.READ
    )
    return dict(records[0]["p"]) if records else None


def source_rows(driver: neo4j.Driver, database: str | None) -> list[dict[str, object]]:
    text, params = loads.sources()
    records, _, _ = driver.execute_query(
        text, params, database_=database, routing_=neo4j.RoutingControl.READ
    )
    return [dict(r) for r in records]


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> str | None:
    rows = list(rows)
    if not rows:
        path.unlink(missing_ok=True)
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: opens right in Excel
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


def parse_source(
    spec: SourceSpec,
    data: bytes,
    file_name: str,
    load_id: str,
    taxonomy: TaxonomyMatcher,
    on_row: RowProgress | None = None,
    flags: list[tuple[int, str, str]] | None = None,
) -> tuple[list[Record], list[Reject], int, int, tuple[str, ...]]:
    """Records, rejects, rows with records, all rows, and headers no field took; cells that
    begin like a spreadsheet formula are added to ``flags`` (row, column, value). The whole
    file at once: :func:`load_source` streams it instead.

    The file fails as a whole only when it is unreadable or lacks a required column.
    """
    parsed = ChunkedParse(spec, data, file_name, load_id, taxonomy)
    records: list[Record] = []
    rejects: list[Reject] = []
    for found, bad in parsed.chunks(flags):
        records += found
        rejects += bad
        if on_row:
            on_row(parsed.rows, 0)
    if on_row:
        on_row(parsed.rows, parsed.rows)
    return records, rejects, parsed.ok, parsed.rows, parsed.columns.unmapped


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """A load allocates millions of small acyclic records; the cyclic collector would rescan
    the growing heap again and again (a third of the load's CPU on 100k rows), while
    reference counting alone frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _discarded_on_error(report: ReportCsv) -> Iterator[None]:
    try:
        yield
    except BaseException:
        report.discard()
        raise


def _seed_refs() -> list[NodeRef]:
    return [NodeRef(Label.TECHNOLOGY, t.id) for t in seed_technologies()] + [
        NodeRef(Label.AREA, a.id) for a in seed_areas()
    ]


@contextmanager
def _interrupted(source: str, writer: Writer) -> Iterator[None]:
    """The driver's failure to reach the server (its retries spent) as a
    :class:`~graph.errors.LoadInterruptedError` saying how many batches were committed."""
    try:
        yield
    except (ServiceUnavailable, SessionExpired) as e:  # IncompleteCommit among them
        raise LoadInterruptedError(source, writer.batches_committed) from e


OVERLAP_HEADER = (
    "organization_id",
    "organization_name",
    "kind",
    "recognition_id",
    "cert_no",
    "valid_from",
    "valid_to",
    "source",
    "row",
    "other_recognition_id",
    "other_cert_no",
    "other_valid_from",
    "other_valid_to",
    "other_source",
    "other_row",
    "overlap_days",
    "reading",
)
OVERLAP_BATCH = 5000  # recognition ids per query
# A certificate granted in the last year of the one before it reads as its early renewal
# (high-tech certificates are renewed before they end); earlier, as two held at once.
RENEWAL_WINDOW = timedelta(days=365)
RENEWED_EARLY = "renewed before the earlier one ended"
HELD_AT_ONCE = "two certificates valid at once (a duplicate listing?)"


def _native_dates(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v.to_native() if isinstance(v, neo4j.time.Date) else v for k, v in rec.items()}


def overlapping_recognitions(
    driver: neo4j.Driver, database: str | None, ids: Iterable[str]
) -> list[tuple[object, ...]]:
    """Each pair of same-kind recognitions of one organisation whose validity windows
    overlap, with at least one of them in ``ids``: one row per pair (OVERLAP_HEADER), the
    earlier-starting one first, sorted by organisation."""
    pairs: dict[frozenset[str], tuple[object, ...]] = {}
    it = iter(ids)
    while batch := list(islice(it, OVERLAP_BATCH)):
        text, params = loads.overlapping_recognitions(batch)
        records, _, _ = driver.execute_query(
            text, params, database_=database, routing_=neo4j.RoutingControl.READ
        )
        for r in records:
            a, b = sorted(
                (_native_dates(r["a"]), _native_dates(r["b"])),
                key=lambda x: (x["valid_from"], x["id"]),
            )
            pair = frozenset((a["id"], b["id"]))
            if pair in pairs:
                continue
            ends = [e for e in (a["valid_to"], b["valid_to"]) if e is not None]
            days = (min(ends) - b["valid_from"]).days + 1 if ends else None
            renewal = (
                a["valid_to"] is not None
                and a["cert_no"] != b["cert_no"]
                and b["valid_from"] > a["valid_to"] - RENEWAL_WINDOW
            )
            pairs[pair] = (
                r["org"],
                r["name"],
                a["kind"],
                *(
                    a[k]
                    for k in ("id", "cert_no", "valid_from", "valid_to", "prov_source", "prov_row")
                ),
                *(
                    b[k]
                    for k in ("id", "cert_no", "valid_from", "valid_to", "prov_source", "prov_row")
                ),
                days,
                RENEWED_EARLY if renewal else HELD_AT_ONCE,
            )
    return sorted(pairs.values(), key=lambda row: (str(row[0]), str(row[5]), str(row[3])))


def _skipped(name: str, previous: dict[str, object], reports_dir: Path, t0: float) -> LoadReport:
    """An unchanged source: its last complete load's figures, and its report files."""

    def count(key: str) -> int:
        value = previous.get(key)
        return value if isinstance(value, int) else 0

    def report(folder: str, suffix: str = "") -> str | None:
        path = reports_dir / folder / f"{name}{suffix}.csv"
        return str(path) if path.exists() else None

    ok, rejected = count("rows_ok"), count("rows_rejected")
    return LoadReport(
        name,
        rows=ok + rejected,
        rows_ok=ok,
        rows_rejected=rejected,
        rejects=count("rejects"),
        review=count("review"),
        skipped=True,
        rejects_file=report("rejects"),
        review_file=report("review"),
        flagged=count("flagged"),
        flags_file=report("flags"),
        overlaps=count("overlaps"),
        overlaps_file=report("review", ".overlaps"),
        seconds=time.monotonic() - t0,
    )


@_no_cyclic_gc()
def load_source(
    driver: neo4j.Driver,
    spec: SourceSpec,
    data: bytes,
    *,
    database: str | None = None,
    batch_size: int = 1000,
    reports_dir: Path,
    retrieved_at: datetime | None = None,
    force: bool = False,
    on_row: RowProgress | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> LoadReport:
    """Load one source, streamed: ``chunk_rows`` rows at a time are parsed, resolved and
    written (graph/stream.py); ``on_row(done, total)`` after each chunk, ``total`` 0
    until the last call."""
    t0 = time.monotonic()
    writer = Writer(driver, database, batch_size)
    with _interrupted(spec.name, writer):
        sha = hashlib.sha256(data).hexdigest()
        previous = previous_load(driver, database, spec.name)
        if not force and previous and previous.get("sha256") == sha and previous.get("completed"):
            return _skipped(spec.name, previous, reports_dir, t0)
        load_id = f"{spec.name}@{sha[:12]}"
        file_name = spec.uri.rsplit("/", 1)[-1] if spec.is_remote else spec.uri
        seed_taxonomy(writer)
        flags: list[tuple[int, str, str]] = []
        parsed = ChunkedParse(spec, data, file_name, load_id, TaxonomyMatcher.default(), chunk_rows)
        resolver = Resolver(known_orgs(driver, database, spec.name))
        paged = data[:5] == b"%PDF-"  # a PDF's rejects name their page and row
        header = ("source", "page", *REJECT_HEADER[1:]) if paged else REJECT_HEADER
        rejects = ReportCsv(reports_dir / "rejects" / f"{spec.name}.csv", header)
        with LoadLedger() as ledger, _discarded_on_error(rejects):
            projector = StreamProjector(resolver, ledger, _seed_refs())
            counts = WriteCounts()
            for records, bad in parsed.chunks(flags):
                rejects.add(
                    (r.source, *((r.page,) if paged else ()), r.row, r.field, r.value, r.reason)
                    for r in bad
                )
                counts += writer.write(*projector.chunk(records))
                del records, bad
                gc.collect(0)  # the chunk's garbage (the cyclic collector is off)
                if on_row:
                    on_row(parsed.rows, 0)  # the total is known at the end
            counts += writer.write((), projector.deferred)
            # the pairs it was unsure of, for the bureau's review queue (a decided one keeps
            # its decision)
            writer.write(review_records(resolver.reviews, resolver.orgs))
            ok, rows = parsed.ok, parsed.rows
            if on_row:
                on_row(rows, rows)
            # a row may have added to an entry the bureau merged: its root must hold that too
            refresh_merged(driver, database)
            overlaps = overlapping_recognitions(driver, database, ledger.keys(Label.RECOGNITION))
        rows_rejected = rows - ok
        # the report files first: a Source marked complete always has its reports beside it
        rejects_file = rejects.finish()
        review_file = _write_csv(
            reports_dir / "review" / f"{spec.name}.csv",
            ("name", "new_id", "candidate_name", "candidate_id", "score", "source", "row"),
            (_review_row(p) for p in resolver.reviews),
        )
        overlaps_file = _write_csv(
            reports_dir / "review" / f"{spec.name}.overlaps.csv", OVERLAP_HEADER, overlaps
        )
        flags_file = _write_csv(
            reports_dir / "flags" / f"{spec.name}.csv",
            ("source", "row", "field", "value", "reason"),
            ((spec.name, row, col, value, FORMULA_REASON) for row, col, value in flags),
        )
        source_node = NodeRecord(
            Label.SOURCE,
            spec.name,
            {
                "uri": spec.uri,
                "kind": spec.kind,
                "format": str(spec.format) if spec.format else None,
                "sha256": sha,
                "retrieved_at": (retrieved_at or datetime.now(UTC)).isoformat(),
                "loaded_at": datetime.now(UTC).isoformat(),
                "rows_ok": ok,
                "rows_rejected": rows_rejected,
                # rows of its report files, exactly
                "rejects": rejects.rows,
                "review": len(resolver.reviews),
                "overlaps": len(overlaps),
                "flagged": len(flags),
                "synthetic": spec.synthetic,
                "description": spec.description,
                "completed": True,
            },
            Provenance(spec.name, "loader", load=load_id),
        )
        writer.write([source_node])
    return LoadReport(
        spec.name,
        rows=rows,
        rows_ok=ok,
        rows_rejected=rows_rejected,
        rejects=rejects.rows,
        merged=resolver.merged,
        review=len(resolver.reviews),
        counts=counts,
        unmapped=parsed.columns.unmapped,
        rejects_file=rejects_file,
        review_file=review_file,
        flagged=len(flags),
        flags_file=flags_file,
        overlaps=len(overlaps),
        overlaps_file=overlaps_file,
        seconds=time.monotonic() - t0,
    )


def _review_row(p: ReviewPair) -> tuple[object, ...]:
    return (p.name, p.id, p.candidate_name, p.candidate_id, f"{p.score:.1f}", p.source, p.row)
