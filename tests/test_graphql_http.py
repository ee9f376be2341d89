"""GraphQL over HTTP against the real server: graphql-http's audits and a schema-driven fuzz."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import neo4j
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from api.app import create_app
from api.graphql import schema
from api.settings import Settings
from tests.http_server import serving

pytestmark = pytest.mark.neo4j

WEB = Path(__file__).resolve().parents[1] / "web"


@pytest.fixture(scope="module")
def base(driver: neo4j.Driver, settings: Settings) -> Iterator[str]:
    with serving(create_app(settings)) as url:
        yield url


def test_graphql_http_server_audits_all_pass(base: str) -> None:
    node = shutil.which("node")
    assert node, "node is needed for graphql-http's audits (scripts/setup installs web/)"
    out = subprocess.run(
        [node, str(WEB / "graphql-http-audit.mjs"), f"{base}/graphql"],
        capture_output=True,
        text=True,
        cwd=WEB,
        timeout=300,
        check=True,
    )
    results = json.loads(out.stdout)
    assert len(results) >= 50
    musts = [r for r in results if r["name"].startswith("MUST")]
    assert musts and all(r["status"] == "ok" for r in musts), [
        r for r in musts if r["status"] != "ok"
    ]
    # the SHOULD audits too, application/graphql-response+json semantics included
    assert [r for r in results if r["status"] != "ok"] == []


SDL = schema.as_str()


@hsettings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    # Date arguments (some required, e.g. flows' from/to): real dates and junk text alike
    query=queries(
        SDL,
        custom_scalars={
            "Date": st.one_of(
                st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(
                    lambda d: nodes.String(d.isoformat())
                ),
                st.text(max_size=12).map(nodes.String),
            )
        },
    ),
    accept=st.sampled_from(["application/json", "application/graphql-response+json"]),
)
def test_fuzzed_queries_never_break_the_server(base: str, query: str, accept: str) -> None:
    response = httpx.post(
        f"{base}/graphql", json={"query": query}, headers={"Accept": accept}, timeout=60
    )
    assert response.status_code in (200, 400), (response.status_code, query, response.text[:500])
    body = response.json()
    assert "data" in body or "errors" in body
    for error in body.get("errors", []):
        # limits and validation speak; nothing leaks an internal traceback
        assert "Traceback" not in error["message"]
