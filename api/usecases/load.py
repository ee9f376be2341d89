"""Loading sources into the graph: which sources, then each in turn; a source that fails is
reported and the others are still loaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from api.settings import Settings
from api.usecases.events import NO_EVENTS, Events
from graph.driver import LOADER_CONFIG, open_driver
from graph.errors import DatabaseUnavailableError, GraphError, LoadInterruptedError
from graph.ingest import LoadReport, area_ids, load_source, source_rows
from loaders.columns import parse_map_option
from loaders.errors import LoaderError, SourceConfigError
from loaders.fetch import Fetcher
from loaders.kinds import KINDS
from loaders.sources import SourceSpec, read_sources

__all__ = [
    "ROWS_EVERY",
    "LoadRun",
    "SourceStatus",
    "declared_sources",
    "file_source",
    "list_sources",
    "load_sources",
]

ROWS_EVERY = 200  # on_rows is called every this many rows, and at the last one


@dataclass(frozen=True, slots=True)
class LoadRun:
    reports: list[LoadReport]  # one per source loaded (or skipped as unchanged)
    failed: list[tuple[str, str]]  # (source name, message) of each source that failed


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A declared source and its last load, if any."""

    name: str
    kind: str
    synthetic: bool
    uri: str
    loaded_at: object = None
    rows_ok: int | None = None
    rows_rejected: int | None = None  # rows that gave no record
    rejects: int | None = None  # rows of its rejects file (a row may give a record and rejects)
    review: int | None = None  # name pairs in its review file
    overlaps: int | None = None  # overlapping same-kind recognitions in its review file

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def file_source(
    path: Path, kind: str | None, mapping: Sequence[str] = (), area: str | None = None
) -> SourceSpec:
    """One file given on the command line, as a source named after it; ``area``: the area of
    its rows that state none (checked against the graph when it loads)."""
    if kind not in KINDS:
        raise SourceConfigError(f"--file needs --kind, one of {', '.join(KINDS)}")
    return SourceSpec(
        name="file." + "".join(c if c.isalnum() else "-" for c in path.stem.lower()),
        kind=kind,
        uri=str(path.resolve()),
        columns=parse_map_option(mapping),
        defaults={"area": area} if area else {},
    )


def _check_default_areas(known: set[str], specs: Sequence[SourceSpec]) -> None:
    """Each source's default area (``--area``, ``[source.defaults] area``) is an area."""
    for spec in specs:
        area = spec.defaults.get("area")
        if area and area not in known:
            near = process.extract(area, sorted(known), scorer=fuzz.WRatio, limit=3)
            hint = f"did you mean {near[0][0]}? " if near and near[0][1] >= 60 else ""
            raise SourceConfigError(
                f"{spec.name}: default area {area!r} (--area) is not an area of the graph; "
                f"{hint}areas: {', '.join(sorted(known))}"
            )


def declared_sources(
    settings: Settings, sources: Path, names: Sequence[str] = ()
) -> list[SourceSpec]:
    """The sources declared in ``sources``; only those named when ``names`` are given (a
    split list's name selects all its parts)."""
    specs = read_sources(sources, settings.data_dir)
    unknown = sorted(set(names) - {s.name for s in specs} - {s.declared_as for s in specs})
    if unknown:
        raise SourceConfigError(
            f"no source named {', '.join(unknown)} in {sources}; "
            f"declared: {', '.join(s.name for s in specs)}"
        )
    return [s for s in specs if not names or s.name in names or s.declared_as in names]


def load_sources(
    settings: Settings,
    specs: Sequence[SourceSpec],
    *,
    force: bool = False,
    batch_size: int = 1000,
    events: Events = NO_EVENTS,
    rerun: str = "innograph load",
) -> LoadRun:
    """Fetch and load each source; one that cannot be read or written is reported (in the
    run's ``failed`` and by ``on_source_failed``) and the rest go on. When the database
    goes away the load stops: :class:`~graph.errors.DatabaseUnavailableError` says what was
    committed and that running ``rerun`` (the command, as the user would type it) is safe."""
    reports: list[LoadReport] = []
    failed: list[tuple[str, str]] = []
    events.on_load_start()
    try:
        with (
            open_driver(settings, **LOADER_CONFIG) as driver,
            Fetcher(settings.data_dir / "cache" / "http") as fetcher,
        ):
            if any(s.defaults.get("area") for s in specs):
                _check_default_areas(area_ids(driver, settings.neo4j_database), specs)
            for spec in specs:
                events.on_source_start(spec.name)

                def on_row(done: int, total: int, name: str = spec.name) -> None:
                    if done % ROWS_EVERY == 0 or done == total:
                        events.on_rows(name, done, total)

                try:
                    fetched = fetcher.fetch(spec.uri)
                    report = load_source(
                        driver,
                        spec,
                        fetched.data,
                        database=settings.neo4j_database,
                        batch_size=batch_size,
                        reports_dir=settings.data_dir / "reports",
                        retrieved_at=fetched.retrieved_at,
                        force=force,
                        on_row=on_row,
                    )
                except LoadInterruptedError as e:
                    raise _stopped(settings, e, reports, rerun) from e
                except (LoaderError, GraphError) as e:
                    events.on_source_failed(spec.name, str(e))
                    failed.append((spec.name, str(e)))
                    continue
                events.on_source_done(report)
                reports.append(report)
    finally:
        events.on_load_end()
    return LoadRun(reports, failed)


def _stopped(
    settings: Settings, error: LoadInterruptedError, done: list[LoadReport], rerun: str
) -> DatabaseUnavailableError:
    finished = ", ".join(r.source for r in done) or "none"
    return DatabaseUnavailableError(
        f"the database at {settings.bolt_uri} went away while {error.source} was loading: "
        f"{error.batches} batches of it committed, sources done before it: {finished}; "
        f"re-running is safe (loads are idempotent, finished sources are skipped): {rerun}",
        settings.bolt_uri,
    )


def list_sources(settings: Settings, sources: Path) -> list[SourceStatus]:
    """Every source declared in ``sources``, with its last load as the graph records it."""
    specs = read_sources(sources, settings.data_dir)
    with open_driver(settings) as driver:
        loaded = {str(r["name"]): r for r in source_rows(driver, settings.neo4j_database)}
    rows = []
    for s in specs:
        last = loaded.get(s.name, {})
        rows.append(
            SourceStatus(
                s.name,
                s.kind,
                s.synthetic,
                s.uri,
                last.get("loaded_at"),
                _count(last.get("rows_ok")),
                _count(last.get("rows_rejected")),
                _count(last.get("rejects")),
                _count(last.get("review")),
                _count(last.get("overlaps")),
            )
        )
    return rows


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None
