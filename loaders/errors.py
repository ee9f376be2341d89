"""Errors raised by the loaders; every message names the file or value and the fix."""

from __future__ import annotations

__all__ = ["FetchError", "LoaderError", "ParseError", "SourceConfigError"]


class LoaderError(Exception):
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
