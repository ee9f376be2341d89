"""Benchmark: a query export's pages, keyset (each page starts after the last row's sort
key, the total counted once) against the offset paging it replaced (SKIP n and a count on
every page), at two sizes, on the same database, alternated.

    .venv/bin/python -m bench.export [--rows 2000 20000] [--repeat 2] [--json FILE]

It starts its own Neo4j under var/bench-export on a free port and stops it at the end. The
organisations are written by the Writer (names in random order, so the name order is not
the id order); the export is the /export path without HTTP: api.exportstream.Pages over
one GraphQL execution per page (api/exportquery.py's plan), through the async driver.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from pathlib import Path
from typing import Any

from api.exportquery import AFTER, Plan, plan
from api.exportstream import Execute, Pages
from api.graphql.build import schema
from api.graphql.context import Context
from api.graphql.relay import cursor_at, offset_after
from api.settings import Settings
from bench.report import emit, free_port
from graph.cypher import delete_all
from graph.ddl import ensure_schema
from graph.driver import local_server, open_async_driver, open_driver
from graph.model import Label
from graph.records import NodeRecord
from graph.writer import Writer
from loaders.provenance import Provenance

ROOT = Path(__file__).resolve().parents[1]
QUERY = """query($asOf: Date) { organizations(asOf: $asOf) {
  totalCount edges { node { key name } } } }"""


def _write(settings: Settings, rows: int) -> None:
    rng = random.Random(rows)
    nodes = [
        NodeRecord(
            Label.ORGANIZATION,
            f"org-{i:07d}",
            {"name": f"企业 {rng.randrange(10**9):09d}"},
            Provenance("bench", "bench:export", row=i + 1),
        )
        for i in range(rows)
    ]
    with open_driver(settings) as driver:
        text, params = delete_all()
        with driver.session() as session:
            session.run(text, params).consume()
        ensure_schema(driver)
        Writer(driver).write(nodes, [])


def _executor(settings: Settings, driver: Any, p: Plan, *, offset: bool) -> Execute:
    """Each page as /export runs it; ``offset``: as before keyset paging (the page after an
    offset cursor, with the total counted again)."""

    async def execute(document: str, variables: dict[str, Any]) -> Any:
        if offset:
            document = p.document
            if variables.get(AFTER) is not None:
                variables = {**variables, AFTER: cursor_at(offset_after(variables[AFTER]) - 1)}
        ctx = Context(driver=driver, database=settings.neo4j_database, deadline=600.0)
        result = await schema.execute(document, variable_values=variables, context_value=ctx)
        return result.data, [str(e) for e in result.errors or []]

    return execute


async def _export(settings: Settings, *, offset: bool) -> tuple[int, float]:
    p = plan(schema._schema, QUERY, {"asOf": "2025-06-30"})
    driver = open_async_driver(settings)
    try:
        t0 = time.perf_counter()
        rows = 0
        async for page in Pages(p, _executor(settings, driver, p, offset=offset)):
            rows += len(page)
        return rows, time.perf_counter() - t0
    finally:
        await driver.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[2_000, 20_000])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    settings = Settings.from_env({}, data_dir=ROOT / "var" / "bench-export", bolt_port=free_port())
    server = local_server(settings)
    server.stop()
    server.start()
    results: dict[str, Any] = {}
    try:
        for n in args.rows:
            _write(settings, n)
            runs: dict[str, list[float]] = {"keyset": [], "offset": []}
            for _ in range(args.repeat):
                for name in ("keyset", "offset"):
                    rows, seconds = asyncio.run(_export(settings, offset=name == "offset"))
                    assert rows == n, (rows, n)
                    runs[name].append(round(seconds, 2))
            results[str(n)] = {k: {"seconds": v, "best": min(v)} for k, v in runs.items()}
    finally:
        server.stop()
    sizes = [str(n) for n in args.rows]
    if len(sizes) > 1:
        lo, hi = results[sizes[0]], results[sizes[-1]]
        results["growth"] = {
            k: round(hi[k]["best"] / lo[k]["best"], 1) for k in ("keyset", "offset")
        }
    emit(results, args.json)


if __name__ == "__main__":
    main()
