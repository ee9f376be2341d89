"""Extraction from documents: quantities, targets, entity mentions (linked to the registry)
and relations, document by document; one that cannot be read is reported and the others
go on. A document is a text file (streamed), or a web page, PDF or Word file, on disk or at
an http(s) URL (fetched with the loaders' fetcher: cache, conditional GET, charset) and
read to its text by loaders.documents. With ``write`` each document goes into the graph as
it streams, replacing what an earlier version of it stated; a document whose text is
unchanged writes nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import neo4j

from api.settings import Settings
from api.usecases.events import NO_EVENTS, Events
from api.usecases.lexicon import refresh_lexicon
from graph.driver import open_driver
from graph.extract_writer import ExtractionWriter, begin_document
from graph.extracts import STREAM_EXTRACTORS
from graph.writer import WriteCounts, Writer
from loaders.documents import SourceText, document_kind, read_document
from loaders.errors import LoaderError
from loaders.fetch import Fetcher
from loaders.textfile import text_sha256
from nlp.document import DocumentReader
from nlp.entities import Pipelines
from nlp.errors import ExtractionError
from nlp.jieba_dict import load_dictionary

if TYPE_CHECKING:
    from nlp.entities import Mention
    from nlp.quantities import Quantity
    from nlp.relations import Relation

__all__ = ["LANGS", "ExtractRun", "extract_texts", "file_size", "is_url", "open_document"]

LANGS = ("auto", "zh", "en")
Emit = Callable[[dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class ExtractRun:
    files: int  # files asked for
    failed: list[tuple[str, str]]  # (path, message) of each file that could not be read
    written: dict[str, WriteCounts]  # document name -> what writing it created (with write)
    records: int  # quantities, mentions and relations found
    # documents (with write) whose text the graph already held: nothing written for them
    unchanged: list[str] = field(default_factory=list)


def is_url(item: Path | str) -> bool:
    return isinstance(item, str) and item.startswith(("http://", "https://"))


def file_size(path: Path | str) -> int:
    """Bytes in ``path``; 0 when it cannot be read (its extraction then fails on its own)
    or is a URL (its size is known once fetched)."""
    if is_url(path):
        return 0
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def open_document(item: Path | str, fetcher: Fetcher) -> tuple[str, Path, SourceText | None]:
    """(document name, path, text read from a page, PDF or Word file): a URL is fetched and
    named as given; a local page, PDF or Word file is read; a text file is left to stream
    (None)."""
    if is_url(item):
        uri = str(item)
        data = fetcher.fetch(uri).data
        return (
            uri,
            Path(uri.rstrip("/").rsplit("/", 1)[-1] or "page"),
            read_document(data, uri, document_kind(uri, data) or "html", uri),
        )
    path = Path(item)
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError:
        return path.name, path, None  # the text reader says what is wrong with it
    kind = document_kind(path.name, head)
    if kind is None:
        return path.name, path, None
    return path.name, path, read_document(path.read_bytes(), path.name, kind, str(path))


def extract_texts(
    settings: Settings,
    paths: Sequence[Path | str],
    *,
    lang: str = "auto",
    write: bool = False,
    refresh: bool = True,
    force: bool = False,
    published: date | None = None,
    emit: Emit | None = None,
    events: Events = NO_EVENTS,
) -> ExtractRun:
    """Extract from each document (a path, or a URL as a string); ``emit`` receives every
    item found as a JSON-ready dict (its ``doc`` is the document's name, with ``page`` in
    a PDF). The lexicon is refreshed from the graph first with ``refresh`` or ``write``. A
    graph error stops the run; a document's error does not.

    With ``write``, a document whose text (sha256) the graph already holds is not written
    again (``force`` rewrites it); it is still read when ``emit`` wants its items.
    ``published`` (``--date``) is the documents' date where their text states none: it
    dates their relative years (今年, this year) and present-state figures."""
    if lang not in LANGS:
        raise ExtractionError(f"--lang {lang!r}: use auto, zh or en")
    load_dictionary(settings.data_dir / "cache")  # before any word is added to it
    pipelines = Pipelines(
        refresh_lexicon(settings, refresh=refresh or write, events=events).gazetteer
    )
    total = sum(file_size(p) for p in paths)
    run = ExtractRun(len(paths), [], {}, 0, [])
    driver = open_driver(settings) if write else None
    try:
        with Fetcher(settings.data_dir / "cache" / "http") as fetcher:
            job = _ExtractionJob(
                settings, driver, fetcher, pipelines, lang, force, published, emit, events
            )
            done = 0
            events.on_bytes(0, total)
            for item in paths:

                def on_bytes(read: int, before: int = done) -> None:
                    events.on_bytes(before + read, total)

                run = job.one(item, run, on_bytes)
                done += file_size(item)
                events.on_bytes(done, total)
    finally:
        if driver is not None:
            driver.close()
    return run


@dataclass(frozen=True, slots=True)
class _ExtractionJob:
    """What every document of one run is read and written with."""

    settings: Settings
    driver: neo4j.Driver | None
    fetcher: Fetcher
    pipelines: Pipelines
    lang: str
    force: bool
    published: date | None  # the documents' date where their text states none (--date)
    emit: Emit | None
    events: Events

    def one(self, item: Path | str, run: ExtractRun, on_bytes: Callable[[int], None]) -> ExtractRun:
        """One document into ``run`` (a failure is recorded there, and the run goes on)."""
        events = self.events
        try:
            name, path, source = open_document(item, self.fetcher)
            reader = DocumentReader(path, self.pipelines, self.lang, self.published, source=source)
            sha256 = source.sha256 if source is not None else None
            writer = _writer(
                self.settings, self.driver, name, sha256 or (lambda: text_sha256(path)), self.force
            )
            same = self.driver is not None and writer is None
            if same:
                run.unchanged.append(name)
                events.on_message(
                    f"{name}: unchanged since it was last written (same text), nothing written"
                )
            found, counts = (
                (0, None)
                if same and self.emit is None  # nothing to write, nothing to show
                else _extract_file(reader, name, writer, self.emit, on_bytes)
            )
        except (LoaderError, ValueError) as e:
            events.on_file_failed(str(item), str(e))
            run.failed.append((str(item), str(e)))
            return run
        if counts is not None:
            run.written[name] = counts
            events.on_message(
                f"{name}: {counts.nodes_created} nodes and {counts.rels_created} relationships "
                "created"
            )
        return dataclasses.replace(run, records=run.records + found)


def _writer(
    settings: Settings,
    driver: neo4j.Driver | None,
    name: str,
    sha256: str | Callable[[], str],
    force: bool,
) -> Writer | None:
    """The writer for document ``name``, its earlier version cleared; None without a driver
    or when the graph already holds this very text (``sha256``, computed only when needed)."""
    if driver is None:
        return None
    writer = Writer(driver, settings.neo4j_database)
    digest = sha256 if isinstance(sha256, str) else sha256()
    fresh = begin_document(writer, name, digest, STREAM_EXTRACTORS, force=force)
    return writer if fresh else None


def _extract_file(
    reader: DocumentReader,
    name: str,
    writer: Writer | None,
    emit: Emit | None,
    on_bytes: Callable[[int], None],
) -> tuple[int, WriteCounts | None]:
    """One document, block by block: (items found, what writing it created or None)."""
    sink = ExtractionWriter(writer, reader, name) if writer is not None else None
    found = 0
    for block in reader.blocks():
        items: list[Quantity | Mention | Relation] = [
            *block.quantities,
            *block.mentions,
            *block.relations,
        ]
        found += len(items)
        if emit is not None:
            for item in items:
                row = {**item.as_dict(), "doc": name}
                page = reader.page_of(row.get("start"))
                if page is not None:
                    row["page"] = page
                emit(row)
        if sink is not None:
            sink.add(block)
        on_bytes(reader.stream.bytes_read)
    return found, sink.finish() if sink is not None else None
