"""Benchmark: the GraphQL API against the same Cypher run directly through the driver.

On the demo data, in one run: p50/p95 latency of `partners`, `coverage`, `ledger` and a
paginated `organizations` over HTTP (uvicorn, keep-alive client), and of the Cypher each
of them sends, executed directly with the driver. Reported: both, and their ratio (goal
API / direct <= 1.2). Run from the repository root:

    .venv/bin/python -m bench.api [--requests 200] [--json bench/out/api.json]

It starts its own Neo4j under var/bench-api on a free port and stops it at the end.

Then requests/s against @neo4j/graphql (bench/neo4j-graphql: the npm package on
graphql-yoga, with type definitions mirroring the registry) on the same database, for the
same questions, both measured by autocannon (8 connections, 10 s each; ratio goal >= 1.0).
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import neo4j
import uvicorn

from api.app import create_app
from bench.report import emit, free_port
from graph import reads
from graph.cypher import delete_all
from graph.driver import local_server, open_driver
from graph.ingest import load_source
from graph.model import Label, RelType
from graph.records import NodeRecord, RelRecord
from graph.schema import ensure_schema
from graph.settings import Settings
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
        session.run(text, params).consume()  # type: ignore[arg-type]
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


def _time(n: int, fn: Callable[[], Any]) -> list[float]:
    for _ in range(5):
        fn()  # warm-up
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


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
    import subprocess

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
    settings: Settings, our_port: int, org_id: str, seconds: int, connections: int
) -> dict[str, Any]:
    """Requests/s of innograph and of @neo4j/graphql on the same database and questions."""
    import subprocess

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
        results: dict[str, Any] = {"connections": connections, "seconds": seconds}
        for name, (ours, theirs) in EQUIVALENT.items():
            variables = {"id": org_id} if "$id" in ours else {}
            for url, query in (
                (f"http://127.0.0.1:{our_port}/graphql", ours),
                (f"http://127.0.0.1:{port}/graphql", theirs),
            ):
                check = httpx.post(url, json={"query": query, "variables": variables}, timeout=30)
                assert check.status_code == 200 and "errors" not in check.json(), check.text[:300]
            a = _autocannon(
                f"http://127.0.0.1:{our_port}/graphql",
                {"query": ours, "variables": variables},
                seconds,
                connections,
            )
            b = _autocannon(
                f"http://127.0.0.1:{port}/graphql",
                {"query": theirs, "variables": variables},
                seconds,
                connections,
            )
            results[name] = {
                "innograph": a,
                "neo4j_graphql": b,
                "ratio": round(a["requests_per_s"] / b["requests_per_s"], 3),
            }
        return results
    finally:
        node.terminate()
        node.wait(10)


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
            web = uvicorn.Server(
                uvicorn.Config(
                    create_app(settings), host="127.0.0.1", port=port, log_level="warning"
                )
            )
            thread = threading.Thread(target=web.run, daemon=True)
            thread.start()
            while not web.started:
                time.sleep(0.05)
            d = AS_OF.isoformat()
            cases: dict[str, tuple[str, dict[str, Any], reads.Query]] = {
                "partners": (
                    "query($o: String!, $d: Date) { partners(organization: $o, first: 10, asOf: $d) { organizationId name score reasons { kind text } } }",
                    {"o": lead, "d": d},
                    (
                        reads.partners(first=10, as_of=AS_OF)[0],
                        {
                            **reads.partners(first=10, as_of=AS_OF)[1],
                            "id": lead,
                            "technology": None,
                        },
                    ),
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
                    ),
                ),
            }
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                for name, (query, variables, (cypher, params)) in cases.items():

                    def via_api(q: str = query, v: dict[str, Any] = variables) -> None:
                        r = client.post("/graphql", json={"query": q, "variables": v})
                        assert r.status_code == 200 and "errors" not in r.json(), r.text[:300]

                    def direct(c: str = cypher, p: dict[str, Any] = params) -> None:
                        driver.execute_query(
                            neo4j.Query(c, timeout=10.0), p, routing_=neo4j.RoutingControl.READ
                        )

                    api_s = _percentiles(_time(args.requests, via_api))
                    direct_s = _percentiles(_time(args.requests, direct))
                    results[name] = {
                        "api": api_s,
                        "direct": direct_s,
                        "ratio_p50": round(api_s["p50_ms"] / direct_s["p50_ms"], 3),
                        "ratio_p95": round(api_s["p95_ms"] / direct_s["p95_ms"], 3),
                    }
            if not args.no_compare:
                results["vs_neo4j_graphql"] = compare_neo4j_graphql(
                    settings, port, lead, args.seconds, args.connections
                )
            web.should_exit = True
            thread.join(10)
    finally:
        server.stop()
    emit(results, args.json)


if __name__ == "__main__":
    main()
