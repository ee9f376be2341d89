"""Benchmark: the GraphQL API against the same Cypher run directly through the driver.

On the demo data, in one run: p50/p95 latency of `partners`, `coverage`, `ledger` and a
paginated `organizations` over HTTP (uvicorn, keep-alive client), and of the Cypher each
of them sends, executed directly with the driver. Reported: both, and their ratio (goal
API / direct <= 1.2). Run from the repository root:

    .venv/bin/python -m bench.api [--requests 200] [--json bench/out/api.json]

It starts its own Neo4j under var/bench-api on a free port and stops it at the end.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--json", type=Path, default=None)
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
            web.should_exit = True
            thread.join(10)
    finally:
        server.stop()
    emit(results, args.json)


if __name__ == "__main__":
    main()
