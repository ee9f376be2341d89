"""Benchmark: the registry at scale, a small reference and a large demo in one run.

For each size (``--small`` firms, default 4,000, and ``--firms``): the demo generator
writes the ecosystem at that size (loaders.demo, the district's proportions), the real
loaders load it (``load_sources``, as ``innograph load`` does, in a child process so its
peak RSS is its own) into a Neo4j of its own (var/bench-scale/firms-N, a free port, heap
and page cache settable), the plan's targets are added (as bench/api does), then
``innograph serve`` runs in its own process and each question is asked over HTTP (warm,
``--requests`` times each, in turn): p50/p95. Last, one ~5 KB document is extracted
against the loaded registry (``bench.lexicon``'s document and child, after the lexicon is
refreshed from the graph): wall time and peak RSS. Reported per size, and the growth
ratio large / small of each figure.

A build (generation and load, about an hour at 1M firms) is recorded beside its database
(``built.json``); ``--reuse`` measures a recorded build again without rebuilding it (the
questions and extraction re-measured, the load figures those of the recorded build, marked
``reused``), so a change to a read can be measured at 1M in minutes. Progress goes to stderr.

    .venv/bin/python -m bench.scale --firms 1000000 [--small 4000] [--heap 4g]
        [--pagecache 6g] [--requests 30] [--reuse] [--json bench/out/scale.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from api.settings import Settings
from api.usecases.prepare import ensure_counts
from bench.api import PLAN, _percentiles, _stop, serve
from bench.lexicon import _peak_rss_mb, document
from bench.report import emit, free_port
from graph.cypher import delete_all
from graph.ddl import ensure_schema
from graph.driver import local_server, open_driver
from graph.model import Label, RelType
from graph.records import NodeRecord, RelRecord
from graph.writer import Writer
from loaders.provenance import Provenance

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench-scale"
AS_OF = date(2025, 6, 30).isoformat()
BUILT = "built.json"  # a build's figures, beside its database
# rounds of every question before the timed ones: a server just started (--reuse) needs more
# than a few for its JIT to settle (3 rounds left the 4k p50s 1.7x above a warm run)
WARM_ROUNDS = 10

QUESTIONS: dict[str, str] = {
    "ledger": "query($d: Date) { ledger(asOf: $d) { targetId actual progress status trend { day value } } }",
    "counts": 'query($d: Date) { counts(groupBy: AREA, recognition: "national_hightech", asOf: $d) { key count } }',
    "coverage": "query($d: Date) { coverage(asOf: $d) { technology { id } consortia rdInstitutions groupStandards enterpriseRdCentres hightechEnterprises gaps } }",
    "organizations": 'query($d: Date) { organizations(first: 20, area: "fengxi", recognition: "national_hightech", asOf: $d) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name uscc recognitions { kind validTo } } } } }',
    "partners": "query($o: String!, $d: Date) { partners(organization: $o, first: 10, asOf: $d) { organizationId score reasons { kind text } } }",
    "search": "query($t: String!) { search(text: $t, first: 10) { type key label score } }",
    "organization": "query($o: String!) { organization(id: $o) { id name aliases recognitions { kind validTo } } }",
}


def _settings(n: int, port: int, heap: str, pagecache: str) -> Settings:
    return Settings.from_env(
        {},
        data_dir=OUT / f"firms-{n}",
        bolt_port=port,
        neo4j_heap=heap,
        neo4j_pagecache=pagecache,
    )


def load_child(data_dir: Path, port: int) -> None:
    """The demo's sources loaded as ``innograph load`` does; figures on stdout."""
    from api.usecases.load import load_sources
    from loaders.sources import DEFAULT_SOURCES, read_sources

    settings = Settings.from_env({}, data_dir=data_dir, bolt_port=port)
    start = time.perf_counter()
    run = load_sources(settings, read_sources(DEFAULT_SOURCES, settings.data_dir), force=True)
    seconds = time.perf_counter() - start
    rows = sum(r.rows for r in run.reports)
    print(
        json.dumps(
            {
                "load_s": round(seconds, 1),
                "rows": rows,
                "rows_per_s": round(rows / seconds),
                "peak_rss_mb": _peak_rss_mb(),
                "failed": run.failed,
                "sources": {r.source: [r.rows, round(r.seconds, 1)] for r in run.reports},
            }
        )
    )


def _plan_targets(settings: Settings) -> None:
    """The plan's nine targets, for the ledger to count (as bench/api writes them)."""
    prov = Provenance("bench", "bench")
    doc = NodeRecord(Label.DOCUMENT, "bench-plan", {"title": "plan targets (bench)"}, prov)
    targets = [
        NodeRecord(
            Label.TARGET,
            f"bench-{i}",
            {"indicator_key": k, "indicator": ind, "comparator": c, "value": v, "unit": u}
            | {"deadline": y},
            prov,
        )
        for i, (k, ind, c, v, u, y) in enumerate(PLAN)
    ]
    rels = [RelRecord(RelType.STATED_IN, t.ref, doc.ref, {}, prov) for t in targets]
    with open_driver(settings) as driver:
        Writer(driver).write([doc, *targets], rels)


def _graph(settings: Settings) -> dict[str, Any]:
    with open_driver(settings) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (o:Organization)-[:MEMBER_OF {role: 'lead'}]->() "
            "WITH o ORDER BY o.id LIMIT 1 "
            "CALL () { MATCH (n) RETURN count(n) AS nodes } "
            "CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } "
            "RETURN o.id AS lead, o.name AS name, nodes, rels"
        )
    r = records[0]
    return {"lead": r["lead"], "name": r["name"], "nodes": r["nodes"], "rels": r["rels"]}


def _ask(url: str, graph: dict[str, Any], requests: int) -> dict[str, Any]:
    variables = {"d": AS_OF, "o": graph["lead"], "t": graph["name"][:4]}
    out: dict[str, Any] = {}
    with httpx.Client(timeout=120) as client:

        def ask(name: str) -> float:
            query = QUESTIONS[name]
            used = {k: v for k, v in variables.items() if f"${k}" in query}
            t0 = time.perf_counter()
            r = client.post(url, json={"query": query, "variables": used})
            elapsed = time.perf_counter() - t0
            body = r.json()
            if r.status_code != 200 or body.get("errors"):
                raise RuntimeError(f"{name}: {r.status_code} {body.get('errors')}")
            return elapsed

        for _ in range(WARM_ROUNDS):  # warm: plans compiled (and JIT-compiled), pages cached
            for name in QUESTIONS:
                ask(name)
        samples: dict[str, list[float]] = {name: [] for name in QUESTIONS}
        for _ in range(requests):
            for name in QUESTIONS:
                samples[name].append(ask(name))
    for name, times in samples.items():
        out[name] = _percentiles(times)
    return out


def _extract(settings: Settings, n: int) -> dict[str, Any]:
    """One document against the loaded registry: the lexicon refreshed from the graph
    (timed), then ``bench.lexicon``'s child extraction (wall time and peak RSS)."""
    from api.usecases.lexicon import refresh_lexicon

    t0 = time.perf_counter()
    lexicon = refresh_lexicon(settings)
    refreshed = time.perf_counter() - t0
    doc = document(n, settings.data_dir / "doc.txt")
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bench.lexicon", "--child", str(settings.data_dir), str(doc)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "lexicon_names": lexicon.registry_names,
        "lexicon_refresh_s": round(refreshed, 1),
        "doc_bytes": doc.stat().st_size,
        "process_s": round(time.perf_counter() - t0, 2),
        "peak_rss_mb": result["peak_rss_mb"],
        "linked": len(result["linked"]),
    }


def _progress(n: int, what: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {n} firms: {what}", file=sys.stderr, flush=True)


def _build(settings: Settings, n: int) -> dict[str, Any]:
    """The demo at ``n`` firms generated and loaded into an emptied database; the figures,
    also recorded in ``built.json`` beside the database."""
    from loaders.demo import write_demo
    from loaders.demo_size import DemoSize

    (settings.data_dir / BUILT).unlink(missing_ok=True)
    shutil.rmtree(settings.data_dir / "demo", ignore_errors=True)
    with open_driver(settings) as driver:
        text, params = delete_all()
        with driver.session() as session:
            session.run(text, params).consume()
        ensure_schema(driver)
    t0 = time.perf_counter()
    write_demo(settings.data_dir / "demo", size=DemoSize.scaled(n))
    generated = time.perf_counter() - t0
    _progress(n, f"generated in {generated:.0f} s; loading")
    child = subprocess.run(
        [
            *(sys.executable, "-m", "bench.scale", "--load-child"),
            *(str(settings.data_dir), str(settings.bolt_port)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    load = json.loads(child.stdout.strip().splitlines()[-1])
    _plan_targets(settings)
    built = {"firms": n, "generate_s": round(generated, 1), "load": load}
    built["built_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    (settings.data_dir / BUILT).write_text(json.dumps(built))
    _progress(n, f"loaded: {load['rows']} rows in {load['load_s']} s")
    return built


def _recorded(settings: Settings, n: int) -> dict[str, Any] | None:
    """The recorded build of ``n`` firms in this database, if there is one."""
    path = settings.data_dir / BUILT
    if not path.exists():
        return None
    built: dict[str, Any] = json.loads(path.read_text())
    return built if built.get("firms") == n else None


def measure(n: int, args: argparse.Namespace) -> dict[str, Any]:
    settings = _settings(n, free_port(), args.heap, args.pagecache)
    server = local_server(settings)
    server.stop()
    server.start()
    try:
        built = _recorded(settings, n) if args.reuse else None
        if built is None:
            built = _build(settings, n)
        else:
            built = {**built, "reused": built["built_at"]}
            _progress(n, f"reusing the build of {built['built_at']}")
            with open_driver(settings) as driver:  # counts a newer version keeps, once
                ensure_counts(driver, settings)
        graph = _graph(settings)
        port = free_port()
        web = serve(settings, port, workers=1)
        try:
            latency = _ask(f"http://127.0.0.1:{port}/graphql", graph, args.requests)
        finally:
            _stop(web)
        _progress(n, "questions asked; extracting")
        extraction = _extract(settings, n)
    finally:
        server.stop()
    return {
        **{k: v for k, v in built.items() if k != "built_at"},
        "graph": {k: graph[k] for k in ("nodes", "rels")},
        "http": latency,
        "extract": extraction,
    }


def _ratios(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        q: {k: round(large["http"][q][k] / small["http"][q][k], 1) for k in ("p50_ms", "p95_ms")}
        for q in QUESTIONS
    }
    out["load_s"] = round(large["load"]["load_s"] / small["load"]["load_s"], 1)
    out["load_peak_rss_mb"] = round(large["load"]["peak_rss_mb"] / small["load"]["peak_rss_mb"], 1)
    out["extract_process_s"] = round(
        large["extract"]["process_s"] / small["extract"]["process_s"], 1
    )
    out["extract_peak_rss_mb"] = round(
        large["extract"]["peak_rss_mb"] / small["extract"]["peak_rss_mb"], 1
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, default=1_000_000)
    ap.add_argument("--small", type=int, default=4_000, help="the reference size")
    ap.add_argument("--heap", default="4g", help="Neo4j heap (INNOGRAPH_NEO4J_HEAP)")
    ap.add_argument("--pagecache", default="6g", help="Neo4j page cache")
    ap.add_argument("--requests", type=int, default=30, help="timed requests per question")
    ap.add_argument("--load-child", nargs=2, metavar=("DATA_DIR", "PORT"))
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="measure a recorded build again instead of generating and loading it anew (after a "
        "change to a read; a change to the model or the loaders needs a new build)",
    )
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    if args.load_child:
        load_child(Path(args.load_child[0]), int(args.load_child[1]))
        return
    small = measure(args.small, args)
    _progress(args.small, json.dumps(small))  # kept even if the large run fails
    large = measure(args.firms, args)
    emit(
        {
            "note": "a shared machine (2 cores, other engineers' jobs running): figures vary",
            "small": small,
            "large": large,
            "growth": _ratios(small, large),
        },
        args.json,
    )


if __name__ == "__main__":
    main()
