"""`innograph neo4j start|resolve|stop|status`: the local Neo4j server."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated

import typer

from api.cli.main import console, out, settings_of
from api.cli.progress import RichEvents
from api.usecases.prepare import local_status, resolve_local, start_local, stop_local

__all__ = ["app", "resolve", "start", "status", "stop"]

app = typer.Typer(help="Run the local Neo4j server (not used when NEO4J_URI is set).")


@app.command("start")
def start(
    ctx: typer.Context,
    port: Annotated[
        int | None,
        typer.Option(help="Bolt port on 127.0.0.1 (default 7687, INNOGRAPH_NEO4J_PORT)."),
    ] = None,
) -> None:
    """Resolve Neo4j Community with Maven (first time) and start it on 127.0.0.1."""
    settings = settings_of(ctx)
    if port is not None:
        settings = replace(settings, bolt_port=port)
    with RichEvents(console) as events:
        start_local(settings, events)


@app.command("resolve")
def resolve(ctx: typer.Context) -> None:
    """Fetch Neo4j's jars with Maven (done by start when needed) without starting it."""
    with RichEvents(console) as events:
        jars, ran = resolve_local(settings_of(ctx), events)
    console.print(
        f"Neo4j classpath: {len(jars)} jars" + (" (resolved now)" if ran else " (cached)")
    )


@app.command("stop")
def stop(ctx: typer.Context) -> None:
    """Stop the local Neo4j cleanly; its data is kept."""
    settings = settings_of(ctx)
    if stop_local(settings):
        console.print("Neo4j stopped")
    else:
        console.print(f"Neo4j in {settings.neo4j_home} was not running")


@app.command("status")
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Say whether the local Neo4j runs, its Bolt URI, version and data size."""
    state = local_status(settings_of(ctx))
    if as_json:
        out.print_json(json.dumps(state.as_dict()))
    else:
        running = "[green]running[/green]" if state.running else "[yellow]stopped[/yellow]"
        out.print(f"Neo4j {running}")
        out.print(f"  uri      {state.uri}")
        out.print(f"  version  {state.version or '-'}")
        out.print(f"  pid      {state.pid or '-'}")
        out.print(f"  data     {state.data_bytes / 2**20:.1f} MiB in {state.home}")
    if not state.running:
        raise typer.Exit(code=3)
