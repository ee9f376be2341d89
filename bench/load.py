"""Benchmark: the innograph loader against Neo4j's own LOAD CSV on the same file.

Both start from an empty database with the same constraints and the same seeded areas,
and load the same generated file of firms, each with a national high-tech recognition and
an area. Run from the repository root:

    .venv/bin/python -m bench.load [--firms 100000] [--json bench/out/load.json]

It starts its own Neo4j under var/bench (a free port) and stops it at the end. Reported:
wall time of each, the ratio loader / LOAD CSV (goal <= 1.0), rows/s, the loader at three
batch sizes, and the loader without neo4j-rust-ext (a subprocess that hides the extension).
Two LOAD CSV references: the bare facts (names, USCC, recognition dates, area), and the
same output as the loader (provenance on every element, bookkeeping of the same size).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j

from api.settings import Settings
from bench.gen_firms import write_firms
from bench.report import emit, free_port
from graph.cypher import delete_all
from graph.ddl import ensure_schema
from graph.driver import local_server, open_driver
from graph.ingest import load_source, seed_taxonomy
from graph.writer import Writer
from loaders.sources import SourceSpec

ROOT = Path(__file__).resolve().parents[1]

# The same facts the loader writes for a high-tech list row, in plain LOAD CSV.
LOAD_CSV = """
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MERGE (o:Organization {id: 'org-' + row.`统一社会信用代码`})
  SET o:Firm, o.uscc = row.`统一社会信用代码`, o.name = row.`企业名称`,
      o.name_zh = row.`企业名称`, o.kind = 'firm', o.region = row.`所在区域`,
      o.prov_source = 'bench.loadcsv', o.prov_row = toInteger(row.`序号`) + 1
  MERGE (r:Recognition {id: 'rec-' + row.`统一社会信用代码` + '-' + left(row.`发证日期`, 4)})
  SET r.kind = 'national_hightech', r.level = 'national', r.cert_no = row.`证书编号`,
      r.granted_on = date(row.`发证日期`), r.valid_from = date(row.`发证日期`),
      r.valid_to = date(row.`发证日期`) + duration('P3Y') - duration('P1D'),
      r.year = toInteger(left(row.`发证日期`, 4)), r.prov_source = 'bench.loadcsv'
  MERGE (o)-[h:HOLDS]->(r) SET h.prov_source = 'bench.loadcsv'
  WITH o, row
  MATCH (a:Area) WHERE a.kind = 'new_city' AND row.`所在区域` CONTAINS a.name_zh
  MERGE (o)-[l:LOCATED_IN]->(a) SET l.prov_source = 'bench.loadcsv'
} IN TRANSACTIONS OF 1000 ROWS
"""


# The same graph the loader writes, property for property: provenance on every node and
# relationship, prov_sources, updated_at, and bookkeeping strings the size of the loader's
# content hashes (LOAD CSV cannot compute them; equal-sized values make equal writes).
LOAD_CSV_SAME_OUTPUT = """
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  WITH row, date(row.`发证日期`) AS granted, row.`统一社会信用代码` AS uscc,
       {prov_source: 'bench.loadcsv', prov_extractor: 'loader',
        prov_row: toInteger(row.`序号`) + 1, prov_confidence: 1.0, prov_load: $load} AS prov
  WITH row, granted, uscc, prov, 'bench.loadcsv:' + uscc + '00000000000000' AS stamp
  MERGE (o:Organization {id: 'org-' + uscc})
  ON CREATE SET o:Firm, o += prov, o.uscc = uscc, o.name = row.`企业名称`,
      o.name_zh = row.`企业名称`, o.aliases = [], o.former_names = [], o.alias_text = '',
      o.kind = 'firm', o.status = 'active', o.region = row.`所在区域`, o.synthetic = false,
      o._hashes = [stamp], o._phash = stamp, o.prov_sources = [prov.prov_source],
      o.updated_at = datetime($now)
  MERGE (r:Recognition {id: 'rec-' + uscc + '-' + left(row.`发证日期`, 4)})
  ON CREATE SET r += prov, r.kind = 'national_hightech', r.level = 'national',
      r.cert_no = row.`证书编号`, r.granted_on = granted, r.valid_from = granted,
      r.valid_to = granted + duration('P3Y') - duration('P1D'), r.year = granted.year,
      r.synthetic = false, r._hashes = [stamp], r._phash = stamp,
      r.prov_sources = [prov.prov_source], r.updated_at = datetime($now)
  MERGE (o)-[h:HOLDS]->(r)
  ON CREATE SET h += prov, h._hashes = [stamp], h._phash = stamp,
      h.prov_sources = [prov.prov_source], h.updated_at = datetime($now)
  WITH o, row, prov, stamp
  MATCH (a:Area) WHERE a.kind = 'new_city' AND row.`所在区域` CONTAINS a.name_zh
  MERGE (o)-[l:LOCATED_IN]->(a)
  ON CREATE SET l += prov, l._hashes = [stamp], l._phash = stamp,
      l.prov_sources = [prov.prov_source], l.updated_at = datetime($now)
} IN TRANSACTIONS OF 1000 ROWS
"""


def _reset(driver: neo4j.Driver) -> None:
    text, params = delete_all()
    with driver.session() as s:
        s.run(text, params).consume()
    ensure_schema(driver)
    seed_taxonomy(Writer(driver))


def _count(driver: neo4j.Driver) -> tuple[int, int]:
    records, _, _ = driver.execute_query(
        "MATCH (n) WITH count(n) AS n MATCH ()-[r]->() RETURN n, count(r) AS r"
    )
    return int(records[0]["n"]), int(records[0]["r"])


def run_loader(driver: neo4j.Driver, path: Path, batch_size: int) -> float:
    spec = SourceSpec("bench.loader", "hightech", str(path))
    t0 = time.perf_counter()
    load_source(
        driver,
        spec,
        path.read_bytes(),
        batch_size=batch_size,
        reports_dir=ROOT / "var" / "bench" / "reports",
        force=True,
    )
    return time.perf_counter() - t0


def run_load_csv(driver: neo4j.Driver, name: str, same_output: bool = False) -> float:
    t0 = time.perf_counter()
    with driver.session() as s:
        if same_output:
            s.run(
                LOAD_CSV_SAME_OUTPUT,
                url=f"file:///{name}",
                load=f"bench.loadcsv@{name}",
                now=datetime.now(UTC).isoformat(),
            ).consume()
        else:
            s.run(LOAD_CSV, url=f"file:///{name}").consume()
    return time.perf_counter() - t0


def worker(args: argparse.Namespace) -> None:
    """One loader run in a fresh process (used to hide neo4j-rust-ext)."""
    if args.no_rust:
        sys.modules["neo4j._rust"] = None  # type: ignore[assignment]
    import neo4j as n4j

    settings = Settings.from_env({}, data_dir=ROOT / "var" / "bench", bolt_port=args.port)
    with open_driver(settings) as d:
        _reset(d)
        seconds = run_loader(d, Path(args.file), args.batch)
    rust = "neo4j._rust" in sys.modules and sys.modules["neo4j._rust"] is not None
    print(json.dumps({"seconds": seconds, "rust": rust, "driver": n4j.__version__}))


def _in_process(d: neo4j.Driver, name: str, path: Path, warm: Path) -> dict[str, object]:
    """LOAD CSV (bare and same output) and the loader at three batch sizes, interleaved."""
    results: dict[str, object] = {}
    # JIT and page-cache warm-up for both paths, so neither pays it in the figures.
    for _ in range(2):
        _reset(d)
        run_load_csv(d, warm.name)
        _reset(d)
        run_loader(d, warm, 1000)
    # Two rounds, configurations interleaved; the best time of each is reported.
    times: dict[str, list[float]] = {}
    for _ in range(2):
        _reset(d)
        times.setdefault("load_csv_s", []).append(run_load_csv(d, name))
        results["load_csv_graph"] = _count(d)
        _reset(d)
        times.setdefault("load_csv_same_output_s", []).append(
            run_load_csv(d, name, same_output=True)
        )
        results["load_csv_same_output_graph"] = _count(d)
        for batch in (1000, 5000, 500):
            _reset(d)
            times.setdefault(f"loader_b{batch}_s", []).append(run_loader(d, path, batch))
            results[f"loader_b{batch}_graph"] = _count(d)
    results.update({k: round(min(v), 2) for k, v in times.items()})
    results["all_runs_s"] = {k: [round(x, 2) for x in v] for k, v in times.items()}
    return results


def _subprocesses(port: int, path: Path) -> dict[str, object]:
    """The loader with and without neo4j-rust-ext, each in a fresh process."""
    results: dict[str, object] = {}
    for flag in ("", "--no-rust"):
        cmd = [
            sys.executable,
            "-m",
            "bench.load",
            "--worker",
            "--port",
            str(port),
            "--batch",
            "1000",
            "--file",
            str(path),
        ]
        out = subprocess.run(
            [*cmd, *([flag] if flag else [])],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=dict(os.environ),
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        kind = "rust" if row["rust"] else "pure_python"
        results[f"loader_b1000_{kind}_subprocess_s"] = row["seconds"]
    return results


def _ratios(results: dict[str, Any], firms: int) -> dict[str, object]:
    base = float(results["load_csv_s"])
    loader = float(results["loader_b1000_s"])
    best = min(float(results[f"loader_b{b}_s"]) for b in (500, 1000, 5000))
    return {
        "ratio_loader_b1000_vs_load_csv": round(loader / base, 3),
        "ratio_best_batch_vs_load_csv": round(best / base, 3),
        "ratio_loader_b1000_vs_load_csv_same_output": round(
            loader / float(results["load_csv_same_output_s"]), 3
        ),
        "rows_per_s_loader_b1000": round(firms / loader),
        "rows_per_s_load_csv": round(firms / base),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, default=100_000)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-rust", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--batch", type=int, default=1000, help=argparse.SUPPRESS)
    ap.add_argument("--file", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return

    settings = Settings.from_env(
        {},
        data_dir=ROOT / "var" / "bench",
        bolt_port=free_port(),
        neo4j_heap="2g",
        neo4j_pagecache="1g",
    )
    server = local_server(settings)
    server.stop()
    server.start()
    name = f"firms_{args.firms}.csv"
    path = write_firms(ROOT / "var" / "bench" / name, args.firms)
    shutil.copy(path, server.home / "import" / name)
    warm = write_firms(ROOT / "var" / "bench" / "warmup.csv", 5000, seed=9)
    shutil.copy(warm, server.home / "import" / warm.name)
    results: dict[str, Any] = {"firms": args.firms}
    try:
        with open_driver(settings) as d:
            results.update(_in_process(d, name, path, warm))
        results.update(_subprocesses(settings.bolt_port, path))
    finally:
        server.stop()
    results.update(_ratios(results, args.firms))
    emit(results, args.json)


if __name__ == "__main__":
    main()
