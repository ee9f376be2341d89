"""`python -m api.cli`: the `innograph` command."""

from api.cli import app

app()
