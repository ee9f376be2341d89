"""`innograph init`, `stats`, `schema` and `api-key`."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from api.cli.main import console, out, settings_of
from api.cli.progress import RichEvents
from api.usecases.admin import create_api_key, graph_counts
from api.usecases.prepare import prepare

__all__ = ["api_key", "init", "schema_cmd", "stats"]


def init(ctx: typer.Context) -> None:
    """Start Neo4j if local and apply the schema (constraints, indexes, full-text)."""
    with RichEvents(console) as events:
        prepare(settings_of(ctx), events)


def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Print node counts per label and relationship counts per type."""
    result = graph_counts(settings_of(ctx))
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


def api_key(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who the key is for (shown in the audit trail).")],
    role: Annotated[str, typer.Option(help="bureau (may write), analyst or public.")] = "analyst",
) -> None:
    """Create an API key with a role; only its hash is stored (keys file, mode 600)."""
    settings = settings_of(ctx)
    token = create_api_key(settings, name, role)
    console.print(f"key for {name} ({role}) added to {settings.keys_file}; it is shown only once:")
    typer.echo(token)


def schema_cmd() -> None:
    """Print the GraphQL schema (SDL)."""
    from api.graphql import schema

    typer.echo(schema.as_str())
