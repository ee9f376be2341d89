"""Opening the driver from settings: a given server, or the local one with its stored password."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from graph.errors import DatabaseAuthError, DatabaseError, DatabaseUnavailableError
from graph.local import LocalNeo4j
from loaders.errors import SettingsError

__all__ = [
    "LOADER_CONFIG",
    "Neo4jTarget",
    "WriteTx",
    "api_driver_config",
    "connection_error",
    "local_server",
    "open_async_driver",
    "open_driver",
]


class Neo4jTarget(Protocol):
    """Which Neo4j to reach: what graph needs of the application's settings (read at the edge,
    by ``api.settings.Settings``). With ``neo4j_uri`` None the local server is meant."""

    @property
    def neo4j_uri(self) -> str | None: ...
    @property
    def neo4j_user(self) -> str: ...
    @property
    def neo4j_password(self) -> str | None: ...
    @property
    def bolt_port(self) -> int: ...
    @property
    def neo4j_home(self) -> Path: ...
    @property
    def neo4j_heap(self) -> str: ...
    @property
    def neo4j_pagecache(self) -> str: ...
    @property
    def java_home(self) -> Path | None: ...
    @property
    def query_deadline(self) -> float: ...


# A transaction writes go through: the driver's managed one, or an explicit one that
# graph.retry retries.
WriteTx = neo4j.ManagedTransaction | neo4j.Transaction

# "Unknown label/property" notices fire for every part of the model no row has used yet.
QUIET: dict[str, object] = {"notifications_disabled_classifications": ["UNRECOGNIZED"]}


def api_driver_config(deadline: float) -> dict[str, object]:
    """The web app's driver, bounded by a request's deadline (seconds): a connection is
    acquired, or opened, within it, and a transaction that keeps failing stops being
    retried at a quarter of it (the backoff starting at 0.25 s, not 1 s), so that a server
    that refuses connections is reported as unavailable (not as a timeout) before the
    deadline. A quarter, not a half: the driver checks the retry time before each wait,
    and a wait begun just under it may be as long as all the waits before it (doubling,
    +-20% jitter): with half of a 3 s deadline the last wait could end at 3.0 s (waits of
    0.2, 0.4, 0.8, then 1.6 s begun at 1.4 s) and the answer was TIMEOUT. The server-side
    transaction timeout is set per query by ``api.graphql.context.run_query``."""
    return {
        "connection_acquisition_timeout": deadline,
        "connection_timeout": min(5.0, deadline / 2),
        "max_transaction_retry_time": deadline / 4,
        "initial_retry_delay": min(0.25, deadline / 12),  # a short deadline: shorter waits
    }


# The loader's driver: a connection is opened or acquired within seconds; a server that
# goes away mid-load is given graph.retry's outage budget by the writer, not minutes.
LOADER_CONFIG: dict[str, object] = {
    "connection_acquisition_timeout": 10.0,
    "connection_timeout": 5.0,
    "max_transaction_retry_time": 10.0,
}


def local_server(settings: Neo4jTarget) -> LocalNeo4j:
    return LocalNeo4j(
        settings.neo4j_home,
        settings.bolt_port,
        heap=settings.neo4j_heap,
        pagecache=settings.neo4j_pagecache,
        java_home=settings.java_home,
    )


def _target(settings: Neo4jTarget) -> tuple[str, tuple[str, str]]:
    if settings.neo4j_uri:
        if settings.neo4j_password is None:
            raise SettingsError(
                f"NEO4J_URI={settings.neo4j_uri!r} is set but NEO4J_PASSWORD is not; set both"
            )
        auth = (settings.neo4j_user, settings.neo4j_password)
        uri = settings.neo4j_uri
    else:
        server = local_server(settings)
        auth = ("neo4j", server.password())
        uri = server.uri
    return uri, auth


def connection_error(settings: Neo4jTarget, uri: str, error: Exception) -> DatabaseError | None:
    """The driver's connection or authentication failure in words: the URI and the likely
    cause; None for any other error."""
    if isinstance(error, AuthError):
        if settings.neo4j_uri is None:
            home = settings.neo4j_home
            return DatabaseAuthError(
                f"the Neo4j at {uri} refused the password in {home / 'password'}: another Neo4j "
                f"(not the one in {home}) is probably running on port {settings.bolt_port}; stop "
                "it, or use another port with --port / INNOGRAPH_NEO4J_PORT",
                uri,
            )
        return DatabaseAuthError(
            f"the Neo4j at {uri} refused user {settings.neo4j_user!r}: check NEO4J_USER and "
            "NEO4J_PASSWORD",
            uri,
        )
    if isinstance(error, ServiceUnavailable):
        fix = (
            "start it with `innograph neo4j start`"
            if settings.neo4j_uri is None
            else "check NEO4J_URI and that the server runs"
        )
        return DatabaseUnavailableError(f"no Neo4j answers at {uri}: {fix}", uri)
    return None


def open_driver(settings: Neo4jTarget, **config: object) -> neo4j.Driver:
    """A driver for the configured server (``NEO4J_URI``), else for the local one, checked:
    a server that does not answer or refuses the credentials raises a
    :class:`~graph.errors.DatabaseError` naming the URI and the likely cause."""
    uri, auth = _target(settings)
    driver = neo4j.GraphDatabase.driver(uri, auth=auth, **{**QUIET, **config})  # type: ignore[arg-type]
    try:
        driver.verify_connectivity()
    except Exception as e:
        driver.close()
        if (translated := connection_error(settings, uri, e)) is not None:
            raise translated from e
        raise
    return driver


def open_async_driver(settings: Neo4jTarget, **config: object) -> neo4j.AsyncDriver:
    """The asyncio driver for the same server, for the web app: its waits bounded by
    ``settings.query_deadline`` (:func:`api_driver_config`); ``config`` overrides."""
    uri, auth = _target(settings)
    bounded = api_driver_config(settings.query_deadline)
    return neo4j.AsyncGraphDatabase.driver(uri, auth=auth, **{**QUIET, **bounded, **config})  # type: ignore[arg-type]
