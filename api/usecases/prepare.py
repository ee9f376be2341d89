"""The local Neo4j's lifecycle, and getting a database ready: started if local, schema applied."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import neo4j

from api.settings import Settings
from api.usecases.events import NO_EVENTS, Events
from graph.ddl import SchemaReport, ensure_schema
from graph.driver import local_server, open_driver
from graph.errors import LocalNeo4jError
from graph.local import LocalStatus, StartResult
from graph.tallies import rebuild_standards, rebuild_tallies, standards_missing, tallies_missing

__all__ = [
    "PrepareRun",
    "ensure_counts",
    "local_status",
    "prepare",
    "resolve_local",
    "start_local",
    "stop_local",
]


@dataclass(frozen=True, slots=True)
class PrepareRun:
    started: StartResult | None  # None: NEO4J_URI names the server, none was started
    schema: SchemaReport


def start_local(settings: Settings, events: Events = NO_EVENTS) -> StartResult:
    """Start the local server (Maven resolves its jars on first use); refused with NEO4J_URI."""
    if not settings.local:
        raise LocalNeo4jError(
            f"NEO4J_URI={settings.neo4j_uri} is set: that server is used, none is started"
        )
    downloaded = 0

    def progress(msg: str) -> None:
        nonlocal downloaded
        if msg.endswith((".jar", ".pom")):
            downloaded += 1
            events.on_status(f"resolving Neo4j with Maven: {downloaded} files fetched ({msg})")
        else:
            events.on_status(msg)

    events.on_status("starting Neo4j")
    try:
        result = local_server(settings).start(progress)
    finally:
        events.on_status_end()
    if result.already_running:
        events.on_message(f"Neo4j {result.version} is already running on {result.uri}")
    else:
        events.on_message(
            f"Neo4j {result.version} started on {result.uri} in {result.seconds:.1f}s"
            + (" (jars resolved by Maven)" if result.resolved else "")
        )
    return result


def resolve_local(settings: Settings, events: Events = NO_EVENTS) -> tuple[list[str], bool]:
    """The local server's classpath, and whether Maven ran to resolve it."""
    fetched = 0

    def progress(msg: str) -> None:
        nonlocal fetched
        fetched += 1
        events.on_status(f"resolving Neo4j with Maven: {fetched} files ({msg})")

    events.on_status("resolving Neo4j with Maven")
    try:
        return local_server(settings).resolve(progress)
    finally:
        events.on_status_end()


def stop_local(settings: Settings) -> bool:
    """Stop the local server cleanly; False when it was not running."""
    return local_server(settings).stop()


def local_status(settings: Settings) -> LocalStatus:
    return local_server(settings).status()


def _build(events: Events, status: str, build: Callable[[], int], what: str) -> None:
    events.on_status(status)
    try:
        counted = build()
    finally:
        events.on_status_end()
    events.on_message(f"counts: built for {counted:,} {what}")


def ensure_counts(driver: neo4j.Driver, settings: Settings, events: Events = NO_EVENTS) -> None:
    """Build the maintained counts once where the graph was written before they were kept
    (the organisations' with the standards', or the standards' alone): answers read them."""
    db = settings.neo4j_database
    if tallies_missing(driver, db):  # written before the counts were maintained (graph.tally)
        status = "counting: the maintained counts are built once for this graph"
        _build(events, status, lambda: rebuild_tallies(driver, db), "organisations")
    elif standards_missing(driver, db):  # group standards written before they were counted
        status = "counting: group standards in force are counted once"
        _build(events, status, lambda: rebuild_standards(driver, db), "group standards")


def prepare(settings: Settings, events: Events = NO_EVENTS) -> PrepareRun:
    """Start the local server when no NEO4J_URI is given, then apply the schema and build
    any counts the graph lacks."""
    started = start_local(settings, events) if settings.local else None
    with open_driver(settings) as driver:
        report = ensure_schema(driver, settings.neo4j_database)
        ensure_counts(driver, settings, events)
    if report.constraints_added or report.indexes_added:
        events.on_message(
            f"schema: {report.constraints_added} constraints and "
            f"{report.indexes_added} indexes added"
        )
    return PrepareRun(started, report)
