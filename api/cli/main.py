"""The `innograph` command: the one place that reads settings and wires the packages together."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from api.settings import Settings
from graph.ddl import ensure_schema
from graph.driver import local_server, open_driver
from graph.errors import GraphError
from graph.ingest import LoadReport, load_source, source_rows
from graph.stats import graph_stats
from loaders.columns import parse_map_option
from loaders.demo import demo_plan, write_demo
from loaders.errors import LoaderError
from loaders.fetch import Fetcher
from loaders.kinds import KINDS
from loaders.sources import DEFAULT_SOURCES, SourceSpec, read_sources
from nlp.errors import ExtractionError

__all__ = ["app"]

app = typer.Typer(
    help="innograph: registry and knowledge graph of an innovation ecosystem.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
neo4j_app = typer.Typer(help="Run the local Neo4j server (not used when NEO4J_URI is set).")
app.add_typer(neo4j_app, name="neo4j")

if TYPE_CHECKING:
    from nlp.entities import Mention
    from nlp.gazetteer import Gazetteer
    from nlp.quantities import Quantity
    from nlp.relations import Relation

console = Console(stderr=True, soft_wrap=True)  # paths in messages stay whole
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
        counts = write_demo(settings.data_dir / "demo")
        console.print(
            f"demo files (synthetic) written to {settings.data_dir / 'demo'}: "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )
        specs = read_sources(DEFAULT_SOURCES, settings.data_dir)
        reports, failed = _load_specs(settings, specs, quiet=False, force=False, batch_size=1000)
        _demo_targets(settings)
    except (GraphError, LoaderError) as e:
        raise _fail(e) from e
    _summary(reports)
    console.print(f"ready in {time.monotonic() - t0:.1f}s")
    if failed:
        raise typer.Exit(code=1)
    if serve:
        _serve(settings, host, port)


SEED_PLAN = demo_plan("en")


def _demo_targets(settings: Settings) -> None:
    """The plan's targets, read from the plan news by the extractor, for the ledger."""
    from graph.extracts import document_records
    from graph.writer import Writer
    from nlp.quantities import extract_quantities

    if not SEED_PLAN.exists():
        console.print(f"[yellow]no plan text at {SEED_PLAN}: the ledger starts empty[/yellow]")
        return
    text = _read_text(SEED_PLAN)
    nodes, rels = document_records(SEED_PLAN.name, text, extract_quantities(text), "en")
    with open_driver(settings) as driver:
        Writer(driver, settings.neo4j_database).write(nodes, rels)
    console.print(f"plan targets: {len(nodes) - 1} read from {SEED_PLAN.name}")


def _load_specs(
    settings: Settings, specs: list[SourceSpec], *, quiet: bool, force: bool, batch_size: int
) -> tuple[list[LoadReport], list[str]]:
    """Load each source with a progress bar; a failing source is reported, the rest go on."""
    reports: list[LoadReport] = []
    failed: list[str] = []
    progress = Progress(
        TextColumn("{task.description:<36}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    )
    with (
        open_driver(settings) as driver,
        Fetcher(settings.data_dir / "cache" / "http") as fetcher,
        progress,
    ):
        for spec in specs:
            task = progress.add_task(spec.name, total=None, rate="")
            t0 = time.monotonic()

            def on_row(done: int, total: int, task: TaskID = task, t0: float = t0) -> None:
                if done % 200 == 0 or done == total:
                    rate = done / max(time.monotonic() - t0, 1e-6)
                    progress.update(task, completed=done, total=total, rate=f"{rate:,.0f}/s")

            try:
                fetched = fetcher.fetch(spec.uri)
                report = load_source(
                    driver,
                    spec,
                    fetched.data,
                    database=settings.neo4j_database,
                    batch_size=batch_size,
                    reports_dir=settings.data_dir / "reports",
                    retrieved_at=fetched.retrieved_at,
                    force=force,
                    on_row=on_row,
                )
            except (LoaderError, GraphError) as e:
                progress.update(task, description=f"[red]{spec.name} failed")
                console.print(f"[red]error:[/red] {spec.name}: {e}")
                failed.append(spec.name)
                continue
            if report.skipped:
                progress.update(task, total=1, completed=1, description=f"{spec.name} (unchanged)")
            reports.append(report)
    return reports, failed


def _summary(reports: list[LoadReport]) -> None:
    table = Table(title="load summary")
    for col in ("source", "rows", "ok", "rejected", "created", "updated", "merged", "review", "s"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for r in reports:
        table.add_row(
            r.source + (" (unchanged, skipped)" if r.skipped else ""),
            f"{r.rows:,}",
            f"{r.rows_ok:,}",
            f"{r.rows_rejected:,}",
            f"{r.counts.nodes_created + r.counts.rels_created:,}",
            f"{r.counts.nodes_updated + r.counts.rels_updated:,}",
            f"{r.merged:,}",
            f"{r.review:,}",
            f"{r.seconds:.1f}",
        )
    console.print(table)
    for r in reports:
        if r.rejects_file:
            console.print(f"  {r.source}: {r.rejects} rejects in {r.rejects_file}")
        if r.review_file:
            console.print(f"  {r.source}: {r.review} name pairs to review in {r.review_file}")
        if r.unmapped:
            console.print(f"  {r.source}: columns not used: {', '.join(r.unmapped)}")


@app.command("load")
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
    sources: Annotated[Path, typer.Option(help="The sources file.")] = DEFAULT_SOURCES,
    force: Annotated[bool, typer.Option(help="Load even when the source is unchanged.")] = False,
    batch_size: Annotated[int, typer.Option(help="Rows per write transaction.")] = 1000,
    quiet: Annotated[bool, typer.Option(help="No progress bars or tables.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON report per source.")
    ] = False,
) -> None:
    """Load declared sources, or one file with --file and --kind, into the graph."""
    settings = _settings(ctx)
    try:
        if file is not None:
            if kind not in KINDS:
                raise LoaderError(f"--file needs --kind, one of {', '.join(KINDS)}")
            specs = [
                SourceSpec(
                    name="file." + "".join(c if c.isalnum() else "-" for c in file.stem.lower()),
                    kind=kind,
                    uri=str(file.resolve()),
                    columns=parse_map_option(mapping or []),
                )
            ]
        else:
            specs = read_sources(sources, settings.data_dir)
            unknown = sorted(set(names or []) - {s.name for s in specs})
            if unknown:
                raise LoaderError(
                    f"no source named {', '.join(unknown)} in {sources}; "
                    f"declared: {', '.join(s.name for s in specs)}"
                )
            specs = [s for s in specs if not names or s.name in names]
        reports, failed = _load_specs(
            settings, specs, quiet=quiet or as_json, force=force, batch_size=batch_size
        )
    except (LoaderError, GraphError) as e:
        raise _fail(e) from e
    if as_json:
        for r in reports:
            out.print_json(json.dumps(r.as_dict(), ensure_ascii=False))
    elif not quiet:
        _summary(reports)
    if failed:
        raise typer.Exit(code=1)


@app.command("sources")
def sources_cmd(
    ctx: typer.Context,
    sources: Annotated[Path, typer.Option(help="The sources file.")] = DEFAULT_SOURCES,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List the declared sources with their last load time and row counts."""
    settings = _settings(ctx)
    try:
        specs = read_sources(sources, settings.data_dir)
        with open_driver(settings) as driver:
            loaded = {str(r["name"]): r for r in source_rows(driver, settings.neo4j_database)}
    except (LoaderError, GraphError) as e:
        raise _fail(e) from e
    rows = [
        {
            "name": s.name,
            "kind": s.kind,
            "synthetic": s.synthetic,
            "uri": s.uri,
            "loaded_at": loaded.get(s.name, {}).get("loaded_at"),
            "rows_ok": loaded.get(s.name, {}).get("rows_ok"),
            "rows_rejected": loaded.get(s.name, {}).get("rows_rejected"),
        }
        for s in specs
    ]
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=f"sources in {sources}")
    for col in ("name", "kind", "last load", "ok", "rejected"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["name"]) + (" [dim](synthetic)[/dim]" if r["synthetic"] else ""),
            str(r["kind"]),
            str(r["loaded_at"] or "never")[:19],
            "" if r["rows_ok"] is None else f"{r['rows_ok']:,}",
            "" if r["rows_rejected"] is None else f"{r['rows_rejected']:,}",
        )
    out.print(table)


def _serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    import os

    import uvicorn

    from api.app import create_app

    console.print(f"serving on http://{host}:{port}/ with {workers} worker(s) (Ctrl-C to stop)")
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    # Worker processes build their own app from the environment; hand them the data dir
    # this command was given (the API is stateless: every worker serves the same database).
    os.environ["INNOGRAPH_DATA_DIR"] = str(settings.data_dir.resolve())
    os.environ["INNOGRAPH_NEO4J_PORT"] = str(settings.bolt_port)
    uvicorn.run(
        "api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
    )


def _read_text(path: Path) -> str:
    """A whole text file, decoded and checked as ``extract`` reads it."""
    from loaders.textfile import TextStream

    return "".join(block for _, block in TextStream(path).blocks())


def _gazetteer(settings: Settings, refresh: bool) -> Gazetteer:
    """The registry's names from the graph when it answers (cached in the data dir), else the
    last cached copy, else the seed alone."""
    from graph.registry_names import read_registry
    from nlp.gazetteer import Gazetteer, read_entries, write_entries

    path = settings.data_dir / "gazetteer.jsonl"
    if refresh:
        try:
            with open_driver(settings) as driver:
                entries = read_registry(driver, settings.neo4j_database)
            write_entries(path, entries)
            console.print(f"gazetteer: {len(entries):,} registry names from the graph")
            return Gazetteer(entries)
        except (GraphError, Neo4jError, ServiceUnavailable, OSError) as e:
            console.print(
                f"[yellow]gazetteer: the graph did not answer ({e}); "
                f"using {'the cached names' if path.exists() else 'the seed names only'}[/yellow]"
            )
    return Gazetteer(read_entries(path))


@app.command("extract")
def extract(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Text files (UTF-8, UTF-8 with BOM or GBK/GB18030).")
    ],
    jsonl: Annotated[
        bool, typer.Option("--jsonl/--no-jsonl", help="One JSON object per line on stdout.")
    ] = True,
    write: Annotated[
        bool,
        typer.Option(
            "--write", help="Store Document, Target, MENTIONS and relations in the graph."
        ),
    ] = False,
    lang: Annotated[str, typer.Option(help="auto (per paragraph), zh or en.")] = "auto",
    refresh: Annotated[
        bool,
        typer.Option("--refresh/--no-refresh", help="Refresh the gazetteer from the graph first."),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Extract quantities, targets, entities (linked to the registry) and relations from texts."""
    from graph.extract_writer import ExtractionWriter
    from graph.writer import Writer
    from nlp.document import DocumentReader
    from nlp.entities import Pipelines

    if lang not in ("auto", "zh", "en"):
        raise _fail(ExtractionError(f"--lang {lang!r}: use auto, zh or en"))
    settings = _settings(ctx)
    pipelines = Pipelines(_gazetteer(settings, refresh or write))
    failures = 0
    driver = open_driver(settings) if write else None
    progress = Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console,
        disable=quiet or (len(paths) < 2 and not _big(paths)),
    )
    try:
        with progress:
            total = progress.add_task("extracting", total=sum(_size(p) for p in paths))
            done = 0
            for path in paths:
                name = path.name
                reader = DocumentReader(path, pipelines, lang)
                sink = (
                    ExtractionWriter(Writer(driver, settings.neo4j_database), reader, name)
                    if driver is not None
                    else None
                )
                try:
                    for block in reader.blocks():
                        if jsonl:
                            items: list[Quantity | Mention | Relation] = [
                                *block.quantities,
                                *block.mentions,
                                *block.relations,
                            ]
                            for item in items:
                                out.print_json(
                                    json.dumps({**item.as_dict(), "doc": name}, ensure_ascii=False),
                                    indent=None,
                                )
                        if sink is not None:
                            sink.add(block)
                        progress.update(total, completed=done + reader.stream.bytes_read)
                    if sink is not None:
                        counts = sink.finish()
                        console.print(
                            f"{name}: {counts.nodes_created} nodes and {counts.rels_created} "
                            "relationships created"
                        )
                except (LoaderError, ValueError) as e:
                    console.print(f"[red]error:[/red] {e}")
                    failures += 1
                except GraphError as e:
                    raise _fail(e) from e
                done += _size(path)
                progress.update(total, completed=done)
    finally:
        if driver is not None:
            driver.close()
    if failures:
        console.print(f"[red]{failures} of {len(paths)} files failed[/red]")
        raise typer.Exit(code=1)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _big(paths: list[Path]) -> bool:
    return any(_size(p) > 10 << 20 for p in paths)


def _gold_rows(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@app.command("eval-extraction")
def eval_extraction(
    gold: Annotated[Path, typer.Option(help="Folder with quantities.jsonl (and entities.jsonl).")],
    texts: Annotated[Path, typer.Option(help="Folder under which the gold's documents are found.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score extraction against gold files with the gold README's matching rule (per label).

    Entities are found with the seed gazetteer only (no registry), so the score does not
    depend on what a graph holds."""
    from nlp.entities import Pipelines
    from nlp.evaluate import score_entities, score_quantities
    from nlp.gazetteer import Gazetteer
    from nlp.quantities import extract_quantities

    rows = _gold_rows(gold / "quantities.jsonl")
    entity_rows = _gold_rows(gold / "entities.jsonl")
    if not rows and not entity_rows:
        raise _fail(LoaderError(f"{gold}: neither quantities.jsonl nor entities.jsonl is there"))
    pipelines = Pipelines(Gazetteer())
    predicted, predicted_entities = [], []
    for doc in sorted({r["doc"] for r in [*rows, *entity_rows]}):
        found = sorted(texts.rglob(doc))
        if not found:
            raise _fail(LoaderError(f"{doc} (named in the gold) is not under {texts}"))
        text = _read_text(found[0])
        first, _, rest = text.partition("\n")
        if first.strip().startswith(("http://", "https://")):
            text = rest  # the gold's texts start after a source-URL line
        predicted += [{**q.as_dict(), "doc": doc} for q in extract_quantities(text)]
        predicted_entities += [{**m.as_dict(), "doc": doc} for m in pipelines.mentions(text)]
    scores = score_quantities(predicted, rows)
    entities = score_entities(predicted_entities, entity_rows) if entity_rows else {}
    if as_json:
        out.print_json(json.dumps({**scores.as_dict(), "entities": entities}))
        return
    table = Table(title=f"extraction vs {gold}")
    for col in ("", "precision", "recall", "F1", "tp", "predicted", "gold"):
        table.add_column(col)

    def add(name: str, p: dict[str, Any]) -> None:
        table.add_row(
            name,
            f"{p['precision']:.3f}",
            f"{p['recall']:.3f}",
            f"{p['f1']:.3f}",
            str(p["tp"]),
            str(p["predicted"]),
            str(p["gold"]),
        )

    if rows:
        add("quantity", scores.overall.as_dict())
    for mode, labels in entities.items():
        for label, p in labels.items():
            add(f"entity {label} ({mode})", p)
    out.print(table)
    for key, value in scores.attributes.items():
        out.print(f"  quantity {key:<11} accuracy on matched pairs: {value:.3f}")


@app.command("api-key")
def api_key(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Who the key is for (shown in the audit trail).")],
    role: Annotated[str, typer.Option(help="bureau (may write), analyst or public.")] = "analyst",
) -> None:
    """Create an API key with a role; only its hash is stored (keys file, mode 600)."""
    from api.auth import Role, add_key
    from api.errors import ApiError

    settings = _settings(ctx)
    try:
        token = add_key(settings.keys_file, name, Role(role))
    except (ValueError, ApiError) as e:
        raise _fail(e) from e
    console.print(f"key for {name} ({role}) added to {settings.keys_file}; it is shown only once:")
    typer.echo(token)


@app.command("schema")
def schema_cmd() -> None:
    """Print the GraphQL schema (SDL)."""
    from api.schema import schema

    typer.echo(schema.as_str())


@app.command("serve")
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="HTTP port to serve on.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
) -> None:
    """Serve GraphQL (GraphiQL in a browser) and /healthz."""
    _serve(_settings(ctx), host, port, workers)
