"""`innograph load` and `innograph sources`."""

from __future__ import annotations

import json
import logging
import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli.main import console, out, settings_of
from api.cli.progress import RichEvents, load_summary
from api.usecases.load import declared_sources, file_source, list_sources, load_sources
from loaders.errors import SourceConfigError
from loaders.kinds import KINDS
from loaders.sources import DEFAULT_SOURCES

__all__ = ["load", "sources"]


def load(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None, typer.Argument(help="Sources to load (default: all).")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Load this file instead of declared sources.")
    ] = None,
    kind: Annotated[
        str | None, typer.Option(help=f"Kind of list in --file: {', '.join(KINDS)}.")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="HEADER=FIELD for a column not recognised by itself."),
    ] = None,
    area: Annotated[
        str | None,
        typer.Option(
            help="With --file: the area (key, e.g. fengdong) of rows that state no region."
        ),
    ] = None,
    sources: Annotated[Path, typer.Option(help="The sources file.")] = DEFAULT_SOURCES,
    force: Annotated[bool, typer.Option(help="Load even when the source is unchanged.")] = False,
    batch_size: Annotated[
        int,
        typer.Option(
            help="Rows per write transaction (edges to recognitions: ten times as many, at "
            "most 10,000, so that their counts are written once for many holders)."
        ),
    ] = 1000,
    quiet: Annotated[bool, typer.Option(help="No progress bars or tables.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON report per source.")
    ] = False,
) -> None:
    """Load declared sources, or one file with --file and --kind, into the graph."""
    settings = settings_of(ctx)
    if file is not None:
        specs = [file_source(file, kind, mapping or [], area)]
    else:
        if area is not None:
            raise SourceConfigError(
                "--area goes with --file (a declared source sets it in [source.defaults] area)"
            )
        specs = declared_sources(settings, sources, names or [])
    if not ctx.find_root().params.get("debug"):
        # The driver logs each retry and lost connection; the user gets one line instead
        # (the load use case's error). --debug keeps them.
        logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    rerun = ["innograph", "load", *(names or [])]
    if file is not None:
        rerun += ["--file", str(file), "--kind", str(kind)]
        rerun += [f"--map={m}" for m in mapping or []]
        rerun += ["--area", area] if area else []
    elif sources != DEFAULT_SOURCES:
        rerun += ["--sources", str(sources)]
    with RichEvents(console, bars=not (quiet or as_json)) as events:
        run = load_sources(
            settings,
            specs,
            force=force,
            batch_size=batch_size,
            events=events,
            rerun=shlex.join(rerun),
        )
    if as_json:
        for r in run.reports:
            out.print_json(json.dumps(r.as_dict(), ensure_ascii=False))
    elif not quiet:
        load_summary(console, run.reports)
    if run.failed:
        raise typer.Exit(code=1)


def sources(
    ctx: typer.Context,
    sources: Annotated[Path, typer.Option(help="The sources file.")] = DEFAULT_SOURCES,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List the declared sources with their last load time and row counts."""
    rows = list_sources(settings_of(ctx), sources)
    if as_json:
        out.print_json(json.dumps([r.as_dict() for r in rows], ensure_ascii=False))
        return
    table = Table(title=f"sources in {sources}")
    for col in ("name", "kind", "last load", "ok", "rejected", "rejects", "review", "overlaps"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.name + (" [dim](synthetic)[/dim]" if r.synthetic else ""),
            r.kind,
            str(r.loaded_at or "never")[:19],
            *("" if n is None else f"{n:,}" for n in (r.rows_ok, r.rows_rejected)),
            *("" if n is None else f"{n:,}" for n in (r.rejects, r.review, r.overlaps)),
        )
    out.print(table)
