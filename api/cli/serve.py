"""`innograph serve` and `innograph demo`."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.main import console, settings_of
from api.cli.progress import RichEvents, load_summary
from api.usecases.serve import serve as serve_app
from loaders.demo_size import DEFAULT_FIRMS, DEMO_SEED, MAX_FIRMS, MIN_FIRMS, DemoSize

__all__ = ["demo", "serve"]


def _demo_size(firms: int) -> DemoSize:
    try:
        return DemoSize.scaled(firms)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--firms") from e


def demo(
    ctx: typer.Context,
    serve: Annotated[bool, typer.Option(help="Serve the app after loading.")] = True,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port to serve on.")] = 8000,
    firms: Annotated[
        int,
        typer.Option(
            help=f"Firms in the demo ecosystem ({MIN_FIRMS:,} to {MAX_FIRMS:,}); institutions, "
            "consortia, standards, centres and recognitions keep the district demo's "
            "proportions. A list past an XLSX sheet's 1,048,576 rows is written in parts.",
        ),
    ] = DEFAULT_FIRMS,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed and size write the same files.")
    ] = DEMO_SEED,
) -> None:
    """Start Neo4j, apply the schema, load the demo data and serve (--no-serve: load only)."""
    from api.usecases.demo import run_demo

    size = _demo_size(firms)
    settings = settings_of(ctx)
    with RichEvents(console) as events:
        run = run_demo(settings, size=size, seed=seed, events=events)
    load_summary(console, run.load.reports)
    console.print(f"ready in {run.seconds:.1f}s")
    if run.load.failed:
        raise typer.Exit(code=1)
    if serve:
        with RichEvents(console) as events:
            serve_app(settings, host, port, events=events)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port to serve on.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
) -> None:
    """Serve GraphQL (GraphiQL in a browser) and /healthz."""
    with RichEvents(console) as events:
        serve_app(settings_of(ctx), host, port, workers, events)
