"""Extraction from text files: quantities, targets, entity mentions (linked to the registry)
and relations, streamed file by file; a file that cannot be read is reported and the others
go on. With ``write`` each document goes into the graph as it streams, replacing what an
earlier version of it stated; a document whose text is unchanged writes nothing."""

from __future__ import annotations

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
from loaders.errors import LoaderError
from loaders.textfile import text_sha256
from nlp.document import DocumentReader
from nlp.entities import Pipelines
from nlp.errors import ExtractionError

if TYPE_CHECKING:
    from nlp.entities import Mention
    from nlp.quantities import Quantity
    from nlp.relations import Relation

__all__ = ["LANGS", "ExtractRun", "extract_texts", "file_size"]

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


def file_size(path: Path) -> int:
    """Bytes in ``path``; 0 when it cannot be read (its extraction then fails on its own)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def extract_texts(
    settings: Settings,
    paths: Sequence[Path],
    *,
    lang: str = "auto",
    write: bool = False,
    refresh: bool = True,
    force: bool = False,
    published: date | None = None,
    emit: Emit | None = None,
    events: Events = NO_EVENTS,
) -> ExtractRun:
    """Extract from each file; ``emit`` receives every item found as a JSON-ready dict (its
    ``doc`` is the file name). The lexicon is refreshed from the graph first with
    ``refresh`` or ``write``. A graph error stops the run; a file error does not.

    With ``write``, a document whose text (sha256) the graph already holds is not written
    again (``force`` rewrites it); it is still read when ``emit`` wants its items.
    ``published`` (``--date``) is the documents' date where their text states none: it
    dates their relative years (今年, this year) and present-state figures."""
    if lang not in LANGS:
        raise ExtractionError(f"--lang {lang!r}: use auto, zh or en")
    pipelines = Pipelines(
        refresh_lexicon(settings, refresh=refresh or write, events=events).gazetteer
    )
    total = sum(file_size(p) for p in paths)
    failed: list[tuple[str, str]] = []
    written: dict[str, WriteCounts] = {}
    unchanged: list[str] = []
    records = 0
    driver = open_driver(settings) if write else None
    try:
        done = 0
        events.on_bytes(0, total)
        for path in paths:
            reader = DocumentReader(path, pipelines, lang, published)

            def on_bytes(read: int, before: int = done) -> None:
                events.on_bytes(before + read, total)

            try:
                writer = _writer(settings, driver, path, force)
                same = driver is not None and writer is None
                if same:
                    unchanged.append(path.name)
                    events.on_message(
                        f"{path.name}: unchanged since it was last written (same text), "
                        "nothing written"
                    )
                found, counts = (
                    (0, None)
                    if same and emit is None  # nothing to write, nothing to show
                    else _extract_file(reader, writer, emit, on_bytes)
                )
            except (LoaderError, ValueError) as e:
                events.on_file_failed(str(path), str(e))
                failed.append((str(path), str(e)))
            else:
                records += found
                if counts is not None:
                    written[path.name] = counts
                    events.on_message(
                        f"{path.name}: {counts.nodes_created} nodes and {counts.rels_created} "
                        "relationships created"
                    )
            done += file_size(path)
            events.on_bytes(done, total)
    finally:
        if driver is not None:
            driver.close()
    return ExtractRun(len(paths), failed, written, records, unchanged)


def _writer(
    settings: Settings, driver: neo4j.Driver | None, path: Path, force: bool
) -> Writer | None:
    """The writer for ``path``'s document, its earlier version cleared; None without a
    driver or when the graph already holds this very text."""
    if driver is None:
        return None
    writer = Writer(driver, settings.neo4j_database)
    sha256 = text_sha256(path)
    fresh = begin_document(writer, path.name, sha256, STREAM_EXTRACTORS, force=force)
    return writer if fresh else None


def _extract_file(
    reader: DocumentReader,
    writer: Writer | None,
    emit: Emit | None,
    on_bytes: Callable[[int], None],
) -> tuple[int, WriteCounts | None]:
    """One file, block by block: (items found, what writing it created or None)."""
    name = reader.path.name
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
                emit({**item.as_dict(), "doc": name})
        if sink is not None:
            sink.add(block)
        on_bytes(reader.stream.bytes_read)
    return found, sink.finish() if sink is not None else None
