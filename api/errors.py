"""Errors raised by :mod:`api` (the whole tree is documented in :mod:`loaders.errors`)."""

from __future__ import annotations

from loaders.errors import InnographError

__all__ = ["ApiError", "AuthError", "ExportError", "ForbiddenError", "InputError"]


class ApiError(InnographError):
    """Root of every error raised by :mod:`api`."""


class AuthError(ApiError):
    """A request's credentials are missing or wrong, or the keys file cannot be read."""


class ExportError(ApiError):
    """A table that cannot be exported; the message names the field and the fix."""


class InputError(ApiError):
    """An argument of a request cannot be used; the message names it and what would do."""


class ForbiddenError(ApiError):
    """The caller's role may not do this (writes need the bureau role)."""
