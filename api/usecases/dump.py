"""`innograph export registry`: the whole registry with provenance, as ROR and OpenAlex
publish theirs — JSON Lines (one file, one line per entry) or CSV (one file per kind of
entry and one of relationships).

Every entry carries all its properties, provenance among them (``prov_source``,
``prov_row`` or span, ``prov_extractor``, ``prov_confidence``, ``prov_sources``), and its
outgoing relationships with their own provenance. Read page by page in key order
(``graph.reads.dump_page``), so memory is that of one page whatever the registry's size.
Each file says what it is: a first line ``{"export": ...}`` in JSON Lines, ``# key: value``
lines at the top of a CSV (the registry, the export time, the format, the counts).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j

from api.errors import ExportError
from api.settings import Settings
from graph.driver import open_driver
from graph.model import Label
from graph.reads import DUMP_LABELS, dump_page
from loaders.formulas import neutralised

__all__ = ["DUMP_FORMATS", "DumpRun", "dump_registry"]

DUMP_FORMATS = ("jsonl", "csv")
PAGE = 2000  # entries a round trip reads


@dataclass(frozen=True, slots=True)
class DumpRun:
    path: Path
    entries: dict[str, int] = field(default_factory=dict)  # per label
    relationships: int = 0


def _plain(value: Any) -> Any:
    """A property as JSON holds it: dates and times as ISO text, lists item by item."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _entries(driver: neo4j.Driver, database: str, label: Label) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        text, params = dump_page(label, after=after, limit=PAGE)
        records, _, _ = driver.execute_query(text, params, database_=database)
        for r in records:
            yield {
                "type": str(label),
                "key": r["key"],
                "labels": list(r["labels"]),
                "properties": {k: _plain(v) for k, v in sorted(r["properties"].items())},
                "relations": [
                    {**x, "properties": {k: _plain(v) for k, v in sorted(x["properties"].items())}}
                    for x in r["relations"]
                ],
            }
        if len(records) < PAGE:
            return
        after = records[-1]["key"]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return neutralised(value) if isinstance(value, str) else value


def _meta(fmt: str) -> dict[str, str]:
    return {
        "registry": "innograph",
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "format": fmt,
    }


def _jsonl(driver: neo4j.Driver, database: str, path: Path) -> DumpRun:
    run = DumpRun(path)
    with path.open("w", encoding="utf-8") as out:
        labels = [str(x) for x in DUMP_LABELS]
        out.write(json.dumps({"export": {**_meta("jsonl"), "types": labels}}) + "\n")
        rels = 0
        for label in DUMP_LABELS:
            n = 0
            for entry in _entries(driver, database, label):
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
                n += 1
                rels += len(entry["relations"])
            run.entries[str(label)] = n
    return DumpRun(path, run.entries, rels)


def _csv(driver: neo4j.Driver, database: str, folder: Path) -> DumpRun:
    folder.mkdir(parents=True, exist_ok=True)
    entries: dict[str, int] = {}
    meta = "".join(f"# {k}: {v}\r\n" for k, v in _meta("csv").items())
    rels = 0
    with (folder / "relationships.csv").open("w", encoding="utf-8-sig", newline="") as rf:
        rf.write(meta)
        rw = csv.writer(rf, lineterminator="\r\n")
        rw.writerow(["from_type", "from", "type", "to_type", "to", "properties"])
        for label in DUMP_LABELS:
            # two passes: the properties any entry has are the columns, then the rows
            names = sorted({k for e in _entries(driver, database, label) for k in e["properties"]})
            n = 0
            with (folder / f"{label}.csv").open("w", encoding="utf-8-sig", newline="") as f:
                f.write(meta)
                w = csv.writer(f, lineterminator="\r\n")
                w.writerow(["key", "labels", *names])
                for e in _entries(driver, database, label):
                    props = e["properties"]
                    w.writerow(
                        [_cell(e["key"]), _cell(e["labels"])] + [_cell(props.get(k)) for k in names]
                    )
                    for x in e["relations"]:
                        rw.writerow(
                            [
                                str(label),
                                _cell(e["key"]),
                                x["type"],
                                x["to_label"],
                                _cell(x["to"]),
                                _cell(x["properties"]),
                            ]
                        )
                        rels += 1
                    n += 1
            entries[str(label)] = n
    return DumpRun(folder, entries, rels)


def dump_registry(settings: Settings, fmt: str, out: Path) -> DumpRun:
    """Write the registry to ``out``: a file for jsonl, a folder of files for csv."""
    if fmt not in DUMP_FORMATS:
        raise ExportError(f"--format {fmt!r}: use {' or '.join(DUMP_FORMATS)}")
    if fmt == "jsonl" and out.is_dir():
        raise ExportError(f"{out} is a folder; jsonl writes one file: name it (registry.jsonl)")
    if fmt == "csv" and out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; csv writes a folder of files: name a folder")
    with open_driver(settings) as driver:
        if fmt == "jsonl":
            return _jsonl(driver, settings.neo4j_database, out)
        return _csv(driver, settings.neo4j_database, out)
