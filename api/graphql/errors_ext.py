"""What a client sees of an error: innograph's refusals in words, with a machine-readable
``extensions.code`` where there is one; anything else (a bug, a driver fault nobody
translated) masked, so that no driver text, host or errno leaves the server. Strawberry
logs every error, unmasked, before this extension runs."""

from __future__ import annotations

from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from api.errors import ApiError, UnknownValueError
from graph.errors import DatabaseTimeoutError, DatabaseUnavailableError
from loaders.errors import InnographError

__all__ = ["UNEXPECTED", "ErrorCodes", "error_code", "error_extensions"]

UNEXPECTED = "internal error: the request could not be completed; the server's log has the details"

# The most specific class first.
CODES: tuple[tuple[type[InnographError], str], ...] = (
    (DatabaseTimeoutError, "TIMEOUT"),
    (DatabaseUnavailableError, "DATABASE_UNAVAILABLE"),
)


def error_code(error: BaseException) -> str | None:
    """The ``extensions.code`` of an error a resolver raised; None: no code."""
    if isinstance(error, ApiError):  # its class's code, or the one its refusal names
        return error.code
    for cls, code in CODES:
        if isinstance(error, cls):
            return code
    return None


def error_extensions(error: BaseException) -> dict[str, Any]:
    """What ``extensions`` carries for an error a resolver raised: its code, and for an
    unknown value the argument, the value and the valid ones (for a client to offer)."""
    code = error_code(error)
    out: dict[str, Any] = {"code": code} if code else {}
    if isinstance(error, UnknownValueError):
        out |= {"argument": error.argument, "value": error.value, "valid": error.valid}
    return out


def _is_unexpected(error: GraphQLError) -> bool:
    # No original error: the request itself is wrong (syntax, validation, variables), and
    # graphql-core's message says how. A GraphQLError raised on purpose is kept too.
    original = error.original_error
    return original is not None and not isinstance(original, InnographError | GraphQLError)


class ErrorCodes(MaskErrors):
    """Strawberry's MaskErrors for the unexpected errors (code INTERNAL_SERVER_ERROR), and a
    code added to innograph's own errors that have one (TIMEOUT, DATABASE_UNAVAILABLE, the
    codes of api.errors.REFUSAL_CODES; UNKNOWN_VALUE with ``argument``, ``value`` and
    ``valid``)."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_unexpected, error_message=UNEXPECTED)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        out = []
        for error in super()._process_errors(errors):
            extra = error_extensions(error.original_error) if error.original_error else {}
            if extra:
                error.extensions = {**(error.extensions or {}), **extra}
            out.append(error)
        return out
