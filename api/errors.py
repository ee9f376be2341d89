"""Errors raised by :mod:`api` (the whole tree is documented in :mod:`loaders.errors`).

An error a GraphQL client sees carries a stable ``extensions.code`` (api/graphql/errors_ext.py
adds it): the class's ``code``, or the one a refusal names. Every code a refusal may name is in
:data:`REFUSAL_CODES`, with what it means; a client branches on the code, a person reads the
message.
"""

from __future__ import annotations

from loaders.errors import InnographError

__all__ = [
    "REFUSAL_CODES",
    "ApiError",
    "AuthError",
    "EditRefusedError",
    "ExportError",
    "ForbiddenError",
    "InputError",
    "LimitError",
    "UnknownValueError",
]


# code -> what it means. A new refusal adds its code here (EditRefusedError checks it).
REFUSAL_CODES: dict[str, str] = {
    "BAD_USER_INPUT": "an argument cannot be used as given (the message names it and the fix)",
    "UNAUTHENTICATED": "the API key is missing, unknown or revoked",
    "FORBIDDEN": "the caller's role may not do this (writes need the bureau role)",
    "NOT_FOUND": "the organisation, consortium, membership or figure named does not exist",
    "INVALID_USCC": "the USCC fails the GB 32100-2015 check",
    "USCC_TAKEN": "another organisation holds that USCC",
    "INVALID_DATE": "a date out of order (a membership ending before it began)",
    "UNKNOWN_INDICATOR": "not an indicator of the ledger's vocabulary",
    "INDICATOR_COUNTED": "the registry counts this indicator itself; it cannot be reported",
    "WRONG_UNIT": "the unit is not the indicator's own",
    "OUT_OF_RANGE": "the value is outside the indicator's range (% in 0-100, counts >= 0)",
    "UNKNOWN_VALUE": "an argument names a value the registry does not have (extensions list "
    "the valid ones)",
    "MERGE_REFUSED": "a merge into itself, into a merged entry, or of an entry merged elsewhere",
    "NOT_MERGED": "an undo of what is not merged",
    "MERGED_ENTRY": "an edit of a merged entry that belongs to the entry it is merged into",
}


class ApiError(InnographError):
    """Root of every error raised by :mod:`api`. ``code``: its GraphQL ``extensions.code``
    (None: none)."""

    code: str | None = None


class AuthError(ApiError):
    """A request's credentials are missing or wrong, or the keys file cannot be read."""

    code = "UNAUTHENTICATED"


class ExportError(ApiError):
    """A table that cannot be exported; the message names the field and the fix."""


class InputError(ApiError):
    """An argument of a request cannot be used; the message names it and what would do.
    ``code`` (default ``BAD_USER_INPUT``) says which rule, one of :data:`REFUSAL_CODES`."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            if code not in REFUSAL_CODES:
                raise ValueError(f"{code!r} is not in REFUSAL_CODES")
            self.code = code


class EditRefusedError(InputError):
    """An edit the registry's rules refuse (a merge into a merged entry, an undo of what is
    not merged, a USCC another organisation holds...). ``code`` is its stable
    ``extensions.code``, one of :data:`REFUSAL_CODES`, e.g. ``MERGE_REFUSED``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code)


class UnknownValueError(InputError):
    """An argument names a value the registry does not have: a kind, recognition kind or level
    outside the vocabulary, or an area, technology or organisation key not in the graph.
    ``valid`` lists the values that would do (all of them, or the nearest few of a long list);
    ``more`` says where the rest are listed when they are not all in ``valid``."""

    code = "UNKNOWN_VALUE"

    def __init__(
        self, argument: str, value: str, valid: list[str], more: str | None = None
    ) -> None:
        some = (
            "" if not valid else f"did you mean {_words(valid)}" if more else f"use {_words(valid)}"
        )
        tail = "; ".join(x for x in (some, more) if x)
        super().__init__(f"{argument}: unknown value {value!r}" + (f"; {tail}" if tail else ""))
        self.argument, self.value, self.valid, self.more = argument, value, valid, more


def _words(keys: list[str]) -> str:
    return keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} or {keys[-1]}"


class ForbiddenError(ApiError):
    """The caller's role may not do this (writes need the bureau role)."""

    code = "FORBIDDEN"


class LimitError(ApiError):
    """A request over a limit of the HTTP edge (api/http/): its body is too large or too slow,
    or its client asks too often or too much at once. ``status`` is the HTTP answer (408, 413,
    429, 431, 503); ``retry_after`` the seconds to wait, when waiting helps."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after
