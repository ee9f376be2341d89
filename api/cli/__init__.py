"""The `innograph` command (the pyproject entry point is ``api.cli:app``)."""

from api.cli.main import app

__all__ = ["app"]
