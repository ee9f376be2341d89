"""The `innograph` command: the one place that reads settings and wires the packages together."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.driver import local_server, open_driver
from graph.errors import GraphError
from graph.schema import ensure_schema
from graph.settings import Settings
from graph.stats import graph_stats

__all__ = ["app"]

app = typer.Typer(
    help="innograph: registry and knowledge graph of an innovation ecosystem.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
neo4j_app = typer.Typer(help="Run the local Neo4j server (not used when NEO4J_URI is set).")
app.add_typer(neo4j_app, name="neo4j")

console = Console(stderr=True)
out = Console()


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


def _fail(e: Exception) -> typer.Exit:
    console.print(f"[red]error:[/red] {e}")
    return typer.Exit(code=1)


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
) -> None:
    """innograph: registry and knowledge graph of an innovation ecosystem."""
    try:
        ctx.obj = Settings.from_env(data_dir=data_dir)
    except GraphError as e:
        raise _fail(e) from e


def _start_local(settings: Settings, quiet: bool = False) -> None:
    """Start the local server (resolving jars on first use) with a live status line."""
    server = local_server(settings)
    downloaded = 0

    with console.status("starting Neo4j", spinner="dots") as status:

        def progress(msg: str) -> None:
            nonlocal downloaded
            if msg.endswith((".jar", ".pom")):
                downloaded += 1
                status.update(f"resolving Neo4j with Maven: {downloaded} files fetched ({msg})")
            else:
                status.update(msg)

        result = server.start(progress)
    if not quiet:
        if result.already_running:
            console.print(f"Neo4j {result.version} is already running on {result.uri}")
        else:
            console.print(
                f"Neo4j {result.version} started on {result.uri} in {result.seconds:.1f}s"
                + (" (jars resolved by Maven)" if result.resolved else "")
            )


@neo4j_app.command("start")
def neo4j_start(
    ctx: typer.Context,
    port: Annotated[
        int | None,
        typer.Option(help="Bolt port on 127.0.0.1 (default 7687, INNOGRAPH_NEO4J_PORT)."),
    ] = None,
) -> None:
    """Resolve Neo4j Community with Maven (first time) and start it on 127.0.0.1."""
    settings = _settings(ctx)
    if port is not None:
        settings = Settings.from_env(data_dir=settings.data_dir, bolt_port=port)
    if not settings.local:
        raise _fail(
            GraphError(
                f"NEO4J_URI={settings.neo4j_uri} is set: that server is used, none is started"
            )
        )
    try:
        _start_local(settings)
    except GraphError as e:
        raise _fail(e) from e


@neo4j_app.command("resolve")
def neo4j_resolve(ctx: typer.Context) -> None:
    """Fetch Neo4j's jars with Maven (done by start when needed) without starting it."""
    server = local_server(_settings(ctx))
    fetched = 0
    try:
        with console.status("resolving Neo4j with Maven", spinner="dots") as status:

            def progress(msg: str) -> None:
                nonlocal fetched
                fetched += 1
                status.update(f"resolving Neo4j with Maven: {fetched} files ({msg})")

            jars, ran = server.resolve(progress)
    except GraphError as e:
        raise _fail(e) from e
    console.print(
        f"Neo4j classpath: {len(jars)} jars" + (" (resolved now)" if ran else " (cached)")
    )


@neo4j_app.command("stop")
def neo4j_stop(ctx: typer.Context) -> None:
    """Stop the local Neo4j cleanly; its data is kept."""
    server = local_server(_settings(ctx))
    if server.stop():
        console.print("Neo4j stopped")
    else:
        console.print(f"Neo4j in {server.home} was not running")


@neo4j_app.command("status")
def neo4j_status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Say whether the local Neo4j runs, its Bolt URI, version and data size."""
    status = local_server(_settings(ctx)).status()
    if as_json:
        out.print_json(json.dumps(status.as_dict()))
    else:
        state = "[green]running[/green]" if status.running else "[yellow]stopped[/yellow]"
        out.print(f"Neo4j {state}")
        out.print(f"  uri      {status.uri}")
        out.print(f"  version  {status.version or '-'}")
        out.print(f"  pid      {status.pid or '-'}")
        out.print(f"  data     {status.data_bytes / 2**20:.1f} MiB in {status.home}")
    if not status.running:
        raise typer.Exit(code=3)


def _prepare(settings: Settings) -> None:
    """Start the local server when no NEO4J_URI is given, then apply the schema."""
    if settings.local:
        _start_local(settings)
    with open_driver(settings) as driver:
        report = ensure_schema(driver, settings.neo4j_database)
    if report.constraints_added or report.indexes_added:
        console.print(
            f"schema: {report.constraints_added} constraints and "
            f"{report.indexes_added} indexes added"
        )


@app.command("init")
def init(ctx: typer.Context) -> None:
    """Start Neo4j if local and apply the schema (constraints, indexes, full-text)."""
    try:
        _prepare(_settings(ctx))
    except GraphError as e:
        raise _fail(e) from e


@app.command("stats")
def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Print node counts per label and relationship counts per type."""
    settings = _settings(ctx)
    try:
        with open_driver(settings) as driver:
            result = graph_stats(driver, settings.neo4j_database)
    except GraphError as e:
        raise _fail(e) from e
    if as_json:
        out.print_json(json.dumps(result.as_dict()))
        return
    for title, counts in (("nodes", result.nodes), ("relationships", result.relationships)):
        table = Table(title=title)
        table.add_column("label" if title == "nodes" else "type")
        table.add_column("count", justify="right")
        for name, count in counts.items():
            table.add_row(name, f"{count:,}")
        out.print(table)


@app.command("demo")
def demo(
    ctx: typer.Context,
    serve: Annotated[bool, typer.Option(help="Serve the app after loading.")] = True,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port to serve on.")] = 8000,
) -> None:
    """Start Neo4j, apply the schema, load the demo data and serve (--no-serve: load only)."""
    settings = _settings(ctx)
    t0 = time.monotonic()
    try:
        _prepare(settings)
    except GraphError as e:
        raise _fail(e) from e
    console.print(f"ready in {time.monotonic() - t0:.1f}s")
    if serve:
        _serve(settings, host, port)


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from api.app import create_app

    console.print(f"serving on http://{host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@app.command("serve")
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port to serve on.")] = 8000,
) -> None:
    """Serve the HTTP app (health check; the API and dashboard as they land)."""
    _serve(_settings(ctx), host, port)
