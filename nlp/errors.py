"""Errors raised by :mod:`nlp` (the tree is documented in :mod:`loaders.errors`)."""

from __future__ import annotations

from loaders.errors import InnographError

__all__ = ["ExtractionError"]


class ExtractionError(InnographError):
    """Text cannot be extracted as asked (an unknown language option, an unreadable gold file)."""
