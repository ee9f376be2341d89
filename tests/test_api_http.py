"""The GraphQL API over real HTTP, its limits, and several workers on one database."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.graphql import Context, schema
from api.settings import Settings
from graph.driver import open_async_driver
from tests.http_server import serving

pytestmark = pytest.mark.neo4j


def test_graphql_over_http_and_bad_input_is_a_typed_error(demo: None, settings: Settings) -> None:
    with serving(create_app(settings)) as base:
        ok = httpx.post(
            f"{base}/graphql",
            json={"query": "{ organizations(first: 1) { totalCount } }"},
            timeout=30,
        )
        assert ok.status_code == 200 and ok.json()["data"]["organizations"]["totalCount"] > 300
        bad = httpx.post(
            f"{base}/graphql",
            json={"query": "{ organizations(first: 1000) { totalCount } }"},
            timeout=30,
        )
        assert bad.status_code == 200
        assert "first: 1000 must be between 1 and 100" in bad.json()["errors"][0]["message"]
        # Chinese names travel as UTF-8, not as \u escapes
        named = httpx.post(
            f"{base}/graphql",
            json={
                "query": '{ organizations(first: 1, area: "fengxi") { edges { node { name } } } }'
            },
            timeout=30,
        )
        name = named.json()["data"]["organizations"]["edges"][0]["node"]["name"]
        assert re.search("[\u4e00-\u9fff]", name) and name.encode() in named.content
        garbled = httpx.post(
            f"{base}/graphql",
            content=b'{"query": "{ organizations',
            headers={"content-type": "application/json"},
            timeout=30,
        )
        assert garbled.status_code == 400 and "JSON" in garbled.text
        sdl = httpx.get(f"{base}/healthz", timeout=30)
        assert sdl.status_code == 200


def test_graphiql_is_served_with_local_assets_only(settings: Settings) -> None:
    with serving(create_app(settings)) as base:
        page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200 and "GraphiQL" in page.text
        links = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert links and all(
            link.startswith("/assets/") for link in links
        )  # nothing off this server
        for src in (
            "/assets/graphiql/graphiql.min.js",
            "/assets/react/umd/react.production.min.js",
            "/assets/graphiql/graphiql.min.css",
        ):
            assert src in page.text
            asset = httpx.get(base + src, timeout=30)
            assert asset.status_code == 200 and len(asset.content) > 1000
        assert (
            httpx.get(f"{base}/assets/graphiql/../../../pyproject.toml", timeout=30).status_code
            == 404
        )
        assert httpx.get(f"{base}/assets/lodash/index.js", timeout=30).status_code == 404


def test_deep_and_alias_heavy_queries_are_refused(settings: Settings) -> None:
    deep = "{ organizations(first: 1) { edges { node { memberships { consortium { id } } } } } }"
    aliases = "{ " + " ".join(f'a{i}: search(text: "x") {{ key }}' for i in range(40)) + " }"

    async def go(q: str) -> list[str]:
        driver = open_async_driver(settings)
        try:
            result = await schema.execute(q, context_value=Context(driver, settings.neo4j_database))
            return [e.message for e in result.errors or []]
        finally:
            await driver.close()

    assert asyncio.run(go(deep)) == []  # ordinary nesting passes
    nested = (
        "{ organizations(first: 1) { edges { node { "
        + "memberships { consortium { id } } "
        + "} } } }"
    )
    assert asyncio.run(go(nested)) == []
    errors = asyncio.run(go(aliases))
    assert errors and "aliases" in errors[0].lower()


def test_cost_limit_prices_pages_times_what_each_item_asks_for(settings: Settings) -> None:
    from api.graphql.cost import MAX_COST

    async def errors(q: str, variables: dict[str, Any] | None = None) -> list[str]:
        driver = open_async_driver(settings)
        try:
            result = await schema.execute(
                q, variable_values=variables, context_value=Context(driver, settings.neo4j_database)
            )
            return [e.message for e in result.errors or []]
        finally:
            await driver.close()

    node = "node { name aliases areas { id } recognitions { kind validFrom validTo } memberships { role consortium { id name } } }"
    ok = "{ organizations(first: 100) { totalCount edges { cursor " + node + " } } }"
    assert asyncio.run(errors(ok)) == []
    many = (
        "{ "
        + " ".join(f"o{i}: organizations(first: 100) {{ edges {{ {node} }} }}" for i in range(8))
        + " }"
    )
    refused = asyncio.run(errors(many))
    assert refused and "over the limit of" in refused[0] and str(MAX_COST) in refused[0]
    # a page size given by a variable is priced at the cap
    variable = (
        "query($n: Int!) { "
        + " ".join(f"o{i}: organizations(first: $n) {{ edges {{ {node} }} }}" for i in range(8))
        + " }"
    )
    assert asyncio.run(errors(variable, {"n": 1}))


def test_several_workers_serve_one_database(demo: None, settings: Settings) -> None:
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, "workers did not come up"
            time.sleep(0.3)
        totals = {
            httpx.post(
                f"http://127.0.0.1:{port}/graphql",
                json={"query": "{ organizations(first: 1) { totalCount } }"},
                timeout=30,
            ).json()["data"]["organizations"]["totalCount"]
            for _ in range(20)
        }
        assert len(totals) == 1 and totals.pop() > 300
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert b"Started parent process" in err and err.count(b"Application startup complete") == 2
