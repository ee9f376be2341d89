"""The root of the `innograph` command: global options, the consoles, and the one place an
innograph error becomes a line on stderr and exit code 1."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from api.cli.progress import error_line
from api.settings import Settings
from loaders.errors import InnographError

__all__ = ["app", "console", "main", "out", "report_error", "settings_of"]

console = Console(stderr=True, soft_wrap=True)  # messages; paths in them stay whole
out = Console()  # results (tables, JSON) on stdout


def report_error(error: InnographError, debug: bool) -> None:
    """``error: <message>`` on one line of stderr; the traceback before it with ``debug``."""
    if debug:
        typer.echo("".join(traceback.format_exception(error)), err=True, nl=False)
    console.print(error_line(str(error)))


class _Root(TyperGroup):
    """Runs the commands so that an :class:`InnographError` raised anywhere below (callback,
    command, use case) is reported once by :func:`report_error` and exits 1. Other errors
    (bugs) keep their traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except InnographError as e:
            report_error(e, debug=bool(ctx.params.get("debug")))
            raise typer.Exit(code=1) from e


app = typer.Typer(
    cls=_Root,
    help="innograph: registry and knowledge graph of an innovation ecosystem.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the root callback read for this invocation."""
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Project data directory (Neo4j store, caches, reports). "
            "Default ./var, or INNOGRAPH_DATA_DIR.",
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar="INNOGRAPH_DEBUG",
            help="Show the traceback of an error (also INNOGRAPH_DEBUG=1).",
        ),
    ] = False,
) -> None:
    """innograph: registry and knowledge graph of an innovation ecosystem."""
    ctx.obj = Settings.from_env(data_dir=data_dir)
