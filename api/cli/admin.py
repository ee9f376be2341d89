"""`innograph init`, `stats`, `schema` and `api-key`."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from api.cli.main import console, out, settings_of
from api.cli.progress import RichEvents
from api.usecases.admin import api_keys, create_api_key, graph_counts, revoke_api_key
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
    name: Annotated[
        str | None, typer.Argument(help="Who the key is for (shown in the audit trail).")
    ] = None,
    role: Annotated[str, typer.Option(help="bureau (may write), analyst or public.")] = "analyst",
    revoke: Annotated[
        str | None,
        typer.Option(help="Revoke every key of this name (kept in the file, marked revoked)."),
    ] = None,
    list_keys: Annotated[
        bool, typer.Option("--list", help="List the keys: names, roles, dates (no secrets).")
    ] = False,
) -> None:
    """Create an API key with a role (only its hash is stored; keys file, mode 600), revoke
    one (--revoke NAME) or list them (--list). A running server takes each change at once."""
    settings = settings_of(ctx)
    if sum((name is not None, revoke is not None, list_keys)) != 1:
        raise typer.BadParameter("give a NAME to create a key, or --revoke NAME, or --list")
    if list_keys:
        table = Table(title=str(settings.keys_file))
        for column in ("name", "role", "created", "revoked"):
            table.add_column(column)
        for k in api_keys(settings):
            table.add_row(k.name, str(k.role), k.created or "–", k.revoked or "in force")
        out.print(table)
        return
    if revoke is not None:
        revoked = revoke_api_key(settings, revoke)
        console.print(
            f"revoked {len(revoked)} key(s) of {revoke} in {settings.keys_file}; "
            "a running server refuses them from its next request"
        )
        return
    assert name is not None
    token = create_api_key(settings, name, role)
    console.print(
        f"key for {name} ({role}) added to {settings.keys_file}; a running server accepts it "
        "at once. It is shown only once:"
    )
    typer.echo(token)


def schema_cmd() -> None:
    """Print the GraphQL schema (SDL)."""
    from api.graphql import schema

    typer.echo(schema.as_str())
