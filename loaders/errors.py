"""The errors innograph raises, in one tree; every message names the value and the fix.

The root lives here because ``loaders`` is the first package of the flow (loaders -> nlp ->
graph -> api): every other package may import it. Each package adds its subtree in its own
``errors`` module::

    InnographError                  anything innograph itself refuses or cannot do
    +-- SettingsError               a variable, flag or settings file has a value that cannot be used
    +-- LoaderError                 loaders/errors.py: a source cannot be read
    |   +-- SourceConfigError       the sources file or a --map option is wrong
    |   +-- ParseError              a whole file cannot be parsed (bad rows become rejects instead)
    |   +-- FetchError              a URI could not be retrieved
    +-- ExtractionError             nlp/errors.py: text cannot be extracted as asked
    +-- GraphError                  graph/errors.py: Neo4j and the graph model
    |   +-- DatabaseError           a server was reached, or not, at a URI
    |   |   +-- DatabaseUnavailableError   nothing answers at the URI (or it went away)
    |   |   |   +-- LoadInterruptedError   ... while a source was loading (batches kept)
    |   |   +-- DatabaseTimeoutError       the server did not answer within the deadline
    |   |   +-- DatabaseAuthError          the server refused the user and password
    |   +-- LocalNeo4jError         the local server cannot be started, reached or stopped
    |   |   +-- PortInUseError, ResolveError, Neo4jNotRunningError
    |   +-- WhitelistError          a label, type or property outside the fixed model
    +-- ApiError                    api/errors.py: the application's edge
        +-- AuthError               missing or wrong credentials, or an unreadable keys file
        +-- ExportError             a table that cannot be exported
        +-- InputError              a GraphQL argument that cannot be used (id, cursor, page size, value)
        |   +-- EditRefusedError    an edit the registry's rules refuse (its extensions.code names why)
        |   +-- UnknownValueError   a kind, level, area, technology or key the registry does not have
        +-- ForbiddenError          the caller's role may not do this
        +-- LimitError              a request over a limit of the HTTP edge (body, time, rate, load)

Each refusal a client sees carries a stable ``extensions.code``; ``api.errors.REFUSAL_CODES``
lists them with their meaning.

The CLI catches ``InnographError`` once and prints its message on one line (a traceback
only with ``--debug``). Errors that are not innograph's (a bug, a driver fault it did not
translate) keep their traceback.
"""

from __future__ import annotations

__all__ = [
    "FetchError",
    "InnographError",
    "LoaderError",
    "ParseError",
    "SettingsError",
    "SourceConfigError",
]


class InnographError(Exception):
    """Root of every error innograph raises on purpose; the message is for a person."""


class SettingsError(InnographError):
    """A setting (environment variable, command-line flag, settings file) cannot be used."""


class LoaderError(InnographError):
    """Root of every error raised by :mod:`loaders`."""


class SourceConfigError(LoaderError):
    """The sources file or a command-line mapping is wrong."""


class ParseError(LoaderError):
    """A whole file cannot be read (not a bad row: those become rejects)."""

    def __init__(self, file: str, cause: str) -> None:
        super().__init__(f"{file}: cannot be parsed: {cause}")
        self.file = file
        self.cause = cause


class FetchError(LoaderError):
    """A source URI could not be retrieved."""
