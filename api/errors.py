"""Errors raised by :mod:`api` (the whole tree is documented in :mod:`loaders.errors`)."""

from __future__ import annotations

from loaders.errors import InnographError

__all__ = [
    "ApiError",
    "AuthError",
    "EditRefusedError",
    "ExportError",
    "ForbiddenError",
    "InputError",
    "LimitError",
    "UnknownValueError",
]


class ApiError(InnographError):
    """Root of every error raised by :mod:`api`."""


class AuthError(ApiError):
    """A request's credentials are missing or wrong, or the keys file cannot be read."""


class ExportError(ApiError):
    """A table that cannot be exported; the message names the field and the fix."""


class InputError(ApiError):
    """An argument of a request cannot be used; the message names it and what would do."""


class EditRefusedError(InputError):
    """An edit the registry's rules refuse (a merge into a merged entry, an undo of what is
    not merged...). ``code`` is its stable ``extensions.code``, e.g. ``MERGE_REFUSED``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class UnknownValueError(InputError):
    """An argument names a value the registry does not have: a kind, recognition kind or level
    outside the vocabulary, or an area, technology or organisation key not in the graph.
    ``valid`` lists the values that would do (all of them, or the nearest few of a long list);
    ``more`` says where the rest are listed when they are not all in ``valid``."""

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


class LimitError(ApiError):
    """A request over a limit of the HTTP edge (api/http/): its body is too large or too slow,
    or its client asks too often or too much at once. ``status`` is the HTTP answer (408, 413,
    429, 431, 503); ``retry_after`` the seconds to wait, when waiting helps."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after
