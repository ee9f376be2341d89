"""The linking lexicon (the gazetteer): the registry's names from the graph when it answers,
kept in the data dir; else the names kept by the last refresh; else the seed alone."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from neo4j.exceptions import Neo4jError, ServiceUnavailable

from api.settings import Settings
from api.usecases.events import NO_EVENTS, Events
from graph.driver import open_driver
from graph.errors import GraphError
from graph.registry_names import read_registry
from nlp.gazetteer import Gazetteer, read_entries, write_entries

__all__ = ["Lexicon", "lexicon_cache", "refresh_lexicon"]


@dataclass(frozen=True, slots=True)
class Lexicon:
    gazetteer: Gazetteer
    source: str  # graph | cache | seed: where the registry names came from
    registry_names: int


def lexicon_cache(settings: Settings) -> Path:
    """Where the last refresh keeps the registry's names."""
    return settings.data_dir / "gazetteer.jsonl"


def refresh_lexicon(
    settings: Settings, *, refresh: bool = True, events: Events = NO_EVENTS
) -> Lexicon:
    """With ``refresh``, read the registry's names from the graph and keep them; when the graph
    does not answer (a warning says so), or without ``refresh``, use the kept names."""
    path = lexicon_cache(settings)
    if refresh:
        try:
            with open_driver(settings) as driver:
                entries = read_registry(driver, settings.neo4j_database)
            write_entries(path, entries)
        except (GraphError, Neo4jError, ServiceUnavailable, OSError) as e:
            events.on_warning(
                f"gazetteer: the graph did not answer ({e}); "
                f"using {'the cached names' if path.exists() else 'the seed names only'}"
            )
        else:
            events.on_message(f"gazetteer: {len(entries):,} registry names from the graph")
            return Lexicon(Gazetteer(entries), "graph", len(entries))
    entries = read_entries(path)
    return Lexicon(Gazetteer(entries), "cache" if path.is_file() else "seed", len(entries))
