"""`innograph extract` and `innograph eval-extraction`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from api.cli.main import console, out, settings_of
from api.cli.progress import RichEvents
from loaders.dates import parse_date

if TYPE_CHECKING:
    from api.usecases.evaluate import EvalRun

__all__ = ["error_lines", "eval_extraction", "extract"]

BIG = 10 << 20  # one file this big gets a progress bar too


def extract(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Documents: text files (UTF-8, UTF-8 with BOM or GBK/GB18030), web pages, "
            "PDF and Word (.docx) files, on disk or at http(s) URLs.",
            show_default=False,
        ),
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
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="With --write, rewrite a document even when its text is unchanged "
            "(after the registry has learnt new names).",
        ),
    ] = False,
    lang: Annotated[str, typer.Option(help="auto (per paragraph), zh or en.")] = "auto",
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="The documents' date (2024-03-24), for texts that state none: it dates "
            "今年 / this year and present-state figures. A date written in the text wins.",
        ),
    ] = None,
    refresh: Annotated[
        bool,
        typer.Option("--refresh/--no-refresh", help="Refresh the gazetteer from the graph first."),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Extract quantities, targets, entities (linked to the registry) and relations from texts,
    web pages (the article, not the navigation), PDFs and Word files, local or at URLs.

    Offsets index the document's text (for a page, PDF or Word file: the text read from it,
    which --write stores on the Document; a PDF's items name their page). With --write a document replaces what its earlier version stated (Targets, MENTIONS,
    relations); one whose text is unchanged writes nothing."""
    from api.usecases.extract import extract_texts, file_size, is_url

    documents: list[Path | str] = [p if is_url(p) else Path(p) for p in paths]

    def emit(row: dict[str, Any]) -> None:
        out.print_json(json.dumps(row, ensure_ascii=False), indent=None)

    bars = not quiet and (len(documents) > 1 or any(file_size(p) > BIG for p in documents))
    with RichEvents(console, bars=bars) as events:
        run = extract_texts(
            settings_of(ctx),
            documents,
            lang=lang,
            published=_date_option(on),
            write=write,
            refresh=refresh,
            force=force,
            emit=emit if jsonl else None,
            events=events,
        )
    if run.failed:
        console.print(f"[red]{len(run.failed)} of {run.files} files failed[/red]")
        raise typer.Exit(code=1)


def _date_option(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as e:
        raise typer.BadParameter(f"--date {value!r}: {e}") from e


def eval_extraction(
    gold: Annotated[
        list[Path],
        typer.Option(
            help="Folder with quantities.jsonl (and entities.jsonl); repeat it to score "
            "several gold sets together (the shared dev gold and tests/data/gold-extra/dev)."
        ),
    ],
    texts: Annotated[Path, typer.Option(help="Folder under which the gold's documents are found.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (with every error, one row each).")
    ] = False,
    errors: Annotated[
        bool,
        typer.Option("--errors", help="Also list every error: gold row, prediction, what differs."),
    ] = False,
) -> None:
    """Score extraction against gold files with the gold README's matching rule (per label).

    Entities are found with the seed gazetteer only (no registry), so the score does not
    depend on what a graph holds."""
    from api.usecases.evaluate import evaluate_extraction

    run = evaluate_extraction(gold, texts)
    if as_json:
        out.print_json(json.dumps(run.as_dict()))
        return
    out.print(_scores_table(run, f"extraction vs {', '.join(map(str, gold))}"))
    for key, value in run.quantities.attributes.items():
        out.print(f"  quantity {key:<11} accuracy on matched pairs: {value:.3f}")
    for key, count in run.errors.get("quantities", {}).items():
        out.print(f"  quantity errors {key:<20} {count}")
    for label, counts in run.errors.get("entities", {}).items():
        out.print(f"  entity {label:<8} errors " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if errors:
        for line in error_lines(run.error_rows):
            out.print(line, markup=False, highlight=False, soft_wrap=True)


def _scores_table(run: EvalRun, title: str) -> Table:
    table = Table(title=title)
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

    if run.quantity_gold:
        add("quantity", run.quantities.overall.as_dict())
    for mode, labels in run.entities.items():
        for label, p in labels.items():
            add(f"entity {label} ({mode})", p)
    return table


def _span(row: dict[str, Any] | None) -> str:
    if row is None:
        return "-"
    text = row.get("evidence", row.get("text"))
    fields = [f"{k}={row[k]}" for k in ("label", "kind", "year", "comparator") if k in row]
    fields += [f"{k}={row[k]!r}" for k in ("indicator", "scope") if k in row]
    return f"[{row['start']}:{row['end']}] {text!r} " + " ".join(fields)


def error_lines(rows: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The listed errors as lines: doc, class (and the fields that differ), gold, prediction."""
    lines = []
    for r in rows.get("quantities", []):
        what = r["error"] + (f" ({', '.join(r['fields'])})" if r["fields"] else "")
        lines.append(
            f"quantity {r['doc']} {what}: gold {_span(r['gold'])} | got {_span(r['predicted'])}"
        )
    for r in rows.get("entities", []):
        got = "; ".join(_span(p) for p in r["predicted"]) or "-"
        lines.append(f"entity {r['doc']} {r['error']}: gold {_span(r['gold'])} | got {got}")
    return lines
