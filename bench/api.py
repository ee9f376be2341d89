"""Benchmark: the GraphQL API against the same Cypher run directly through the driver.

On the demo data, in one run: p50/p95 latency of `partners`, `coverage`, `ledger` and a
paginated `organizations` over HTTP (`innograph serve` in its own process, keep-alive
client), and of the Cypher each of them sends, executed directly with the driver (sync, and
async as the API runs it); they are sampled in turn, so drift on a shared machine hits all
alike. Reported: all three, the ratio API / direct (goal <= 1.2), its split into async
driver / sync driver and API / async driver, and the floor of HTTP + GraphQL alone
(`{ __typename }`). Run from the repository root:

    .venv/bin/python -m bench.api [--requests 200] [--json bench/out/api.json]

It starts its own Neo4j under var/bench-api on a free port and stops it at the end.

Then requests/s against @neo4j/graphql (bench/neo4j-graphql: the npm package on
graphql-yoga, with type definitions mirroring the registry) on the same database, for the
same questions, both measured by autocannon (8 connections, 10 s each; ratio goal >= 1.0),
with innograph served by one uvicorn worker (like the one Node process) and by two.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import neo4j

from api.settings import Settings
from bench.report import emit, free_port
from graph import reads
from graph.cypher import Query, delete_all
from graph.ddl import ensure_schema
from graph.driver import local_server, open_async_driver, open_driver
from graph.ingest import load_source
from graph.model import Label, RelType
from graph.records import NodeRecord, RelRecord
from graph.writer import Writer
from loaders.demo import write_demo
from loaders.provenance import Provenance
from loaders.sources import DEFAULT_SOURCES, read_sources

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2025, 6, 30)

# The plan's nine targets (DESIGN.md), written directly for the ledger to count.
PLAN = [
    ("non_fossil_share", "non-fossil energy share", "~", 16.0, "%", 2025),
    ("non_fossil_share", "non-fossil energy share", "~", 20.0, "%", 2030),
    (
        "rd_activity_share",
        "industrial enterprises above designated size with R&D activity",
        ">",
        50.0,
        "%",
        2030,
    ),
    (
        "national_hightech_enterprises",
        "national high-tech enterprises",
        ">=",
        3500.0,
        "count",
        2025,
    ),
    (
        "new_rd_institutions",
        "new R&D institutions at or above municipal level",
        ">=",
        25.0,
        "count",
        2025,
    ),
    (
        "innovation_consortia",
        "innovation consortia at or above municipal level",
        ">=",
        25.0,
        "count",
        2025,
    ),
    ("enterprise_rd_centres", "enterprise R&D centres", ">", 30.0, "count", 2025),
    ("green_schools_hospitals_share", "green schools and hospitals", ">", 80.0, "%", 2030),
    ("waste_free_cells", "new waste-free cell projects", ">", 10.0, "count", 2030),
]


def _prepare(driver: neo4j.Driver, settings: Settings) -> str:
    text, params = delete_all()
    with driver.session() as session:
        session.run(text, params).consume()
    ensure_schema(driver)
    write_demo(settings.data_dir / "demo")
    for spec in read_sources(DEFAULT_SOURCES, settings.data_dir):
        load_source(
            driver, spec, Path(spec.uri).read_bytes(), reports_dir=settings.data_dir / "reports"
        )
    doc = NodeRecord(
        Label.DOCUMENT,
        "bench-plan",
        {"title": "plan targets (bench fixture)"},
        Provenance("bench", "bench"),
    )
    targets = [
        NodeRecord(
            Label.TARGET,
            f"bench-{i}",
            {
                "indicator_key": k,
                "indicator": ind,
                "comparator": c,
                "value": v,
                "unit": u,
                "deadline": y,
            },
            Provenance("bench", "bench"),
        )
        for i, (k, ind, c, v, u, y) in enumerate(PLAN)
    ]
    Writer(driver).write(
        [doc, *targets], [RelRecord(RelType.STATED_IN, t.ref, doc.ref, {}, t.prov) for t in targets]
    )
    records, _, _ = driver.execute_query(
        "MATCH (o:Organization)-[:MEMBER_OF {role: 'lead'}]->() RETURN o.id AS id ORDER BY id LIMIT 1"
    )
    return str(records[0]["id"])


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
    }


def _time_interleaved(n: int, *fns: Callable[[], Any]) -> list[list[float]]:
    """``n`` timings of each function, taken in turn, after a warm-up of all."""
    for _ in range(10):
        for fn in fns:
            fn()
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for fn, samples in zip(fns, out, strict=True):
            t0 = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t0)
    return out


def serve(settings: Settings, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``innograph serve`` in its own process, as deployed; returns once it is healthy."""
    cli = Path(sys.executable).parent / "innograph"
    proc = subprocess.Popen(
        [
            *(str(cli), "--data-dir", str(settings.data_dir), "serve"),
            *("--port", str(port), "--workers", str(workers)),
        ],
        env={**os.environ, "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"innograph serve exited with {proc.returncode}")
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("innograph serve did not become healthy in 60 s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


NEO4J_GRAPHQL = ROOT / "bench" / "neo4j-graphql"

# The same question to both servers: (innograph query, @neo4j/graphql query), with $id.
EQUIVALENT = {
    "organizations_in_area": (
        '{ organizations(first: 20, area: "fengxi") { totalCount edges { node { id name uscc recognitions { kind validTo } } } } }',
        '{ organizationsConnection(first: 20, where: {areas: {some: {id: {eq: "fengxi"}}}}, sort: [{name: ASC}]) { totalCount edges { node { id name uscc recognitions { kind validTo } } } } }',
    ),
    "organization_by_id": (
        "query($id: String!) { organization(id: $id) { name uscc recognitions { kind validTo } technologies { id nameZh } } }",
        "query($id: ID!) { organizations(where: {id: {eq: $id}}) { name uscc recognitions { kind validTo } technologies { id nameZh } } }",
    ),
    "consortia_with_members": (
        "{ consortia(first: 30) { edges { node { id name members { name role } } } } }",
        "{ consortiumsConnection(first: 30, sort: [{name: ASC}]) { edges { node { id name membersConnection { edges { properties { role } node { name } } } } } } }",
    ),
}


def _autocannon(url: str, body: dict[str, Any], seconds: int, connections: int) -> dict[str, Any]:
    """requests/s of one server under autocannon (a separate Node process)."""
    import json

    out = subprocess.run(
        [
            "node",
            str(NEO4J_GRAPHQL / "node_modules" / "autocannon" / "autocannon.js"),
            "-c",
            str(connections),
            "-d",
            str(seconds),
            "-m",
            "POST",
            "-H",
            "content-type=application/json",
            "-b",
            json.dumps(body),
            "-j",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    r = json.loads(out.stdout)
    return {
        "requests_per_s": r["requests"]["average"],
        "p50_ms": r["latency"]["p50"],
        "non_2xx": r["non2xx"],
        "errors": r["errors"],
    }


def compare_neo4j_graphql(
    settings: Settings, ours: dict[int, int], org_id: str, seconds: int, connections: int
) -> dict[str, Any]:
    """Requests/s of innograph (``ours``: port per worker count) and of @neo4j/graphql on the
    same database and questions."""
    if not (NEO4J_GRAPHQL / "node_modules").is_dir():
        subprocess.run(
            ["npm", "ci", "--prefix", str(NEO4J_GRAPHQL), "--no-audit", "--no-fund"], check=True
        )
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "NEO4J_URI": settings.bolt_uri,
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": local_server(settings).password(),
    }
    node = subprocess.Popen(
        ["node", str(NEO4J_GRAPHQL / "server.mjs"), str(port)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert node.stdout is not None and "ready" in node.stdout.readline()
        their_url = f"http://127.0.0.1:{port}/graphql"
        results: dict[str, Any] = {"connections": connections, "seconds": seconds}
        for name, (mine, theirs) in EQUIVALENT.items():
            variables = {"id": org_id} if "$id" in mine else {}
            urls = {w: f"http://127.0.0.1:{p}/graphql" for w, p in ours.items()}
            for url, query in [*((u, mine) for u in urls.values()), (their_url, theirs)]:
                check = httpx.post(url, json={"query": query, "variables": variables}, timeout=30)
                assert check.status_code == 200 and "errors" not in check.json(), check.text[:300]
            b = _autocannon(
                their_url, {"query": theirs, "variables": variables}, seconds, connections
            )
            row: dict[str, Any] = {"neo4j_graphql": b}
            for workers, url in urls.items():
                a = _autocannon(url, {"query": mine, "variables": variables}, seconds, connections)
                row[f"innograph_{workers}w"] = a
                row[f"ratio_{workers}w"] = round(a["requests_per_s"] / b["requests_per_s"], 3)
            results[name] = row
        return results
    finally:
        node.terminate()
        node.wait(10)


def _cases(lead: str) -> dict[str, tuple[str, dict[str, Any], Query]]:
    """Each question: its GraphQL text and variables, and the same Cypher the API sends."""
    d = AS_OF.isoformat()
    return {
        "partners": (
            "query($o: String!, $d: Date) { partners(organization: $o, first: 10, asOf: $d) { organizationId name score reasons { kind text } } }",
            {"o": lead, "d": d},
            reads.partners(id=lead, technology=None, first=10, as_of=AS_OF),
        ),
        "coverage": (
            "query($d: Date) { coverage(asOf: $d) { technology { id nameZh } consortia rdInstitutions groupStandards enterpriseRdCentres hightechEnterprises gaps } }",
            {"d": d},
            reads.coverage(as_of=AS_OF, area=None, technologies=None),
        ),
        "ledger": (
            "query($d: Date) { ledger(asOf: $d) { targetId indicator target actual progress status trend { day value } } }",
            {"d": d},
            reads.ledger(as_of=AS_OF, area=None),
        ),
        "organizations": (
            'query($d: Date) { organizations(first: 20, area: "fengxi", recognition: "national_hightech", asOf: $d) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name uscc recognitions { kind validTo } } } } }',
            {"d": d},
            reads.organizations_page(
                offset=0,
                limit=21,
                as_of=AS_OF,
                area="fengxi",
                recognition="national_hightech",
                # what the API reads for this selection: recognitions only
                related=frozenset({"recognitions"}),
            ),
        ),
    }


def _split(api_t: list[float], direct_t: list[float], async_t: list[float]) -> dict[str, Any]:
    api_s, direct_s = _percentiles(api_t), _percentiles(direct_t)
    async_s = _percentiles(async_t)
    return {
        "api": api_s,
        "direct": direct_s,
        "direct_async": async_s,
        "ratio_p50": round(api_s["p50_ms"] / direct_s["p50_ms"], 3),
        "ratio_p95": round(api_s["p95_ms"] / direct_s["p95_ms"], 3),
        "ratio_p50_async_vs_direct": round(async_s["p50_ms"] / direct_s["p50_ms"], 3),
        "ratio_p50_api_vs_async": round(api_s["p50_ms"] / async_s["p50_ms"], 3),
    }


def _latencies(
    settings: Settings, driver: neo4j.Driver, port: int, lead: str, requests: int
) -> dict[str, Any]:
    """Per question, the API over HTTP against the same Cypher through the sync and the
    async driver (the API's own flavour), sampled in turn: what asyncio costs (async vs
    sync) and what HTTP + GraphQL cost (API vs async); plus the floor of { __typename }."""
    results: dict[str, Any] = {}
    adriver = open_async_driver(settings)
    loop = asyncio.new_event_loop()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            floor = _time_interleaved(
                requests, lambda: client.post("/graphql", json={"query": "{ __typename }"})
            )[0]
            results["http_graphql_floor"] = _percentiles(floor)
            for name, (query, variables, (cypher, params)) in _cases(lead).items():

                def via_api(q: str = query, v: dict[str, Any] = variables) -> None:
                    r = client.post("/graphql", json={"query": q, "variables": v})
                    assert r.status_code == 200 and "errors" not in r.json(), r.text[:300]

                def direct(c: str = cypher, p: dict[str, Any] = params) -> None:
                    driver.execute_query(
                        neo4j.Query(c, timeout=10.0), p, routing_=neo4j.RoutingControl.READ
                    )

                def direct_async(c: str = cypher, p: dict[str, Any] = params) -> None:
                    loop.run_until_complete(
                        adriver.execute_query(
                            neo4j.Query(c, timeout=10.0), p, routing_=neo4j.RoutingControl.READ
                        )
                    )

                results[name] = _split(*_time_interleaved(requests, via_api, direct, direct_async))
    finally:
        loop.run_until_complete(adriver.close())
        loop.close()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--seconds", type=int, default=10, help="autocannon run per query and server")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument(
        "--no-compare", action="store_true", help="skip the @neo4j/graphql requests/s comparison"
    )
    args = ap.parse_args()
    settings = Settings.from_env({}, data_dir=ROOT / "var" / "bench-api", bolt_port=free_port())
    server = local_server(settings)
    server.stop()
    server.start()
    results: dict[str, Any] = {"requests": args.requests, "as_of": AS_OF.isoformat()}
    try:
        with open_driver(settings) as driver:
            lead = _prepare(driver, settings)
            port = free_port()
            web = serve(settings, port, workers=1)
            try:
                results.update(_latencies(settings, driver, port, lead, args.requests))
                if not args.no_compare:
                    port2 = free_port()
                    web2 = serve(settings, port2, workers=2)
                    try:
                        results["vs_neo4j_graphql"] = compare_neo4j_graphql(
                            settings, {1: port, 2: port2}, lead, args.seconds, args.connections
                        )
                    finally:
                        _stop(web2)
            finally:
                _stop(web)
    finally:
        server.stop()
    emit(results, args.json)


if __name__ == "__main__":
    main()
