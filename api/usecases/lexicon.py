"""The linking lexicon (the gazetteer): the registry's names from the graph when it answers,
kept in the data dir with the index built from them (once per registry version); else the
names and index kept by the last refresh; else the seed alone.

A refresh asks the graph only for the registry's version (a few counts); the names are
read (streamed) and the index built again only when the version is not the one kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from neo4j.exceptions import Neo4jError, ServiceUnavailable

from api.settings import Settings
from api.usecases.events import NO_EVENTS, Events
from graph.driver import open_driver
from graph.errors import GraphError
from graph.registry_names import read_registry, read_registry_version
from nlp.errors import ExtractionError
from nlp.gazetteer import Gazetteer, read_entries, write_entries
from nlp.registry_index import RegistryIndex, build_index

__all__ = ["Lexicon", "lexicon_cache", "lexicon_index", "refresh_lexicon"]


@dataclass(frozen=True, slots=True)
class Lexicon:
    gazetteer: Gazetteer
    source: str  # graph | cache | seed: where the registry names came from
    registry_names: int


def lexicon_cache(settings: Settings) -> Path:
    """Where the last refresh keeps the registry's names (JSONL, one Entry a line)."""
    return settings.data_dir / "gazetteer.jsonl"


def lexicon_index(settings: Settings) -> Path:
    """Where the index built from those names is kept (``nlp.registry_index``)."""
    return settings.data_dir / "lexicon"


def refresh_lexicon(
    settings: Settings, *, refresh: bool = True, events: Events = NO_EVENTS
) -> Lexicon:
    """With ``refresh``, make the kept names and index those of the graph's registry
    version; when the graph does not answer (a warning says so), or without ``refresh``,
    use the kept ones."""
    if refresh:
        try:
            index = _from_graph(settings, events)
        except (GraphError, Neo4jError, ServiceUnavailable, OSError) as e:
            cached = lexicon_cache(settings).exists()
            events.on_warning(
                f"gazetteer: the graph did not answer ({e}); "
                f"using {'the cached names' if cached else 'the seed names only'}"
            )
        else:
            return Lexicon(Gazetteer(index=index), "graph", len(index))
    kept = _kept(settings)
    if kept is None:
        return Lexicon(Gazetteer(), "seed", 0)
    return Lexicon(Gazetteer(index=kept), "cache", len(kept))


def _open(directory: Path) -> RegistryIndex | None:
    try:
        return RegistryIndex.open(directory)
    except ExtractionError:
        return None


def _from_graph(settings: Settings, events: Events) -> RegistryIndex:
    directory = lexicon_index(settings)
    with open_driver(settings) as driver:
        version = read_registry_version(driver, settings.neo4j_database)
        index = _open(directory)
        if index is not None and index.info.version == version:
            events.on_message(
                f"gazetteer: {len(index):,} registry names from the graph, "
                "unchanged since the last refresh (its index kept)"
            )
            return index
        path = lexicon_cache(settings)
        read_registry(driver, lambda entries: write_entries(path, entries), settings.neo4j_database)
    info = build_index(read_entries(path), directory, version)
    events.on_message(f"gazetteer: {info.names:,} registry names from the graph")
    return RegistryIndex.open(directory)


def _kept(settings: Settings) -> RegistryIndex | None:
    """The kept index; built from the kept names first when only they are there (a data
    dir of an earlier version, or an index of another format)."""
    directory, path = lexicon_index(settings), lexicon_cache(settings)
    index = _open(directory)
    if index is None and path.is_file():
        build_index(read_entries(path), directory, _digest(path))
        index = _open(directory)
    return index


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "file-" + h.hexdigest()[:16]
