"""`innograph export registry`: the whole registry with provenance, as a dump."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.main import out, settings_of
from api.usecases.dump import dump_registry

__all__ = ["app", "registry"]

app = typer.Typer(help="Write the registry's data out (dumps, as ROR and OpenAlex publish).")


@app.command("registry")
def registry(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", help="jsonl (one file) or csv (a folder: a file per kind).")
    ] = "jsonl",
    to: Annotated[
        Path | None,
        typer.Option(
            "--out", help="The file (jsonl) or folder (csv); default registry.jsonl / registry/."
        ),
    ] = None,
) -> None:
    """Every entry (organisations, recognitions, consortia, standards, technologies, areas,
    documents, targets, reported figures, sources) with all its properties and provenance,
    and its relationships with theirs."""
    path = to or Path("registry.jsonl" if fmt == "jsonl" else "registry")
    run = dump_registry(settings_of(ctx), fmt, path)
    counts = ", ".join(f"{k} {v:,}" for k, v in run.entries.items())
    out.print(f"wrote {run.path}: {counts}; relationships {run.relationships:,}")
