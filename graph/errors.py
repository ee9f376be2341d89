"""Errors raised by :mod:`graph` (the whole tree is documented in :mod:`loaders.errors`);
every message names the value and the fix."""

from __future__ import annotations

from loaders.errors import InnographError

__all__ = [
    "DatabaseAuthError",
    "DatabaseError",
    "DatabaseTimeoutError",
    "DatabaseUnavailableError",
    "GraphError",
    "LoadInterruptedError",
    "LocalNeo4jError",
    "Neo4jNotRunningError",
    "PortInUseError",
    "ResolveError",
    "WhitelistError",
]


class GraphError(InnographError):
    """Root of every error raised by :mod:`graph`."""


class DatabaseError(GraphError):
    """Talking to the Neo4j server at ``uri`` failed; the message says the likely cause."""

    def __init__(self, message: str, uri: str) -> None:
        super().__init__(message)
        self.uri = uri


class DatabaseUnavailableError(DatabaseError):
    """No Neo4j answers at the URI (not started, stopped, or another address)."""


class LoadInterruptedError(DatabaseUnavailableError):
    """The server went away (stopped, killed, unreachable) while a source was loading; what
    was committed before stays, and loading again is safe."""

    def __init__(self, source: str, batches: int, uri: str = "") -> None:
        super().__init__(
            f"the database went away while {source} was loading, after {batches} batches "
            "were committed",
            uri,
        )
        self.source = source
        self.batches = batches


class DatabaseTimeoutError(DatabaseError):
    """The server at the URI did not answer within the deadline (hung, overloaded, paused)."""


class DatabaseAuthError(DatabaseError):
    """The server at the URI refused the user and password."""


class LocalNeo4jError(GraphError):
    """The local Neo4j server could not be started, reached or stopped."""


class PortInUseError(LocalNeo4jError):
    """The Bolt port asked for is already taken by another process."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(
            f"port {port} on {host} is already in use by another process; "
            f"stop that process or choose another port with --port / INNOGRAPH_NEO4J_PORT"
        )
        self.host = host
        self.port = port


class ResolveError(LocalNeo4jError):
    """Maven could not resolve Neo4j's jars."""


class Neo4jNotRunningError(LocalNeo4jError):
    """An operation needs the local server, and it is not running."""


class WhitelistError(GraphError):
    """A label, relationship type or property name is not in the fixed model."""
