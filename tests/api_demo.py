"""The small demo graph the API tests run against, and how they ask it (schema level)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import neo4j
import pytest

from api.graphql import Context, schema
from api.settings import Settings
from graph.cypher import delete_all
from graph.driver import open_async_driver
from graph.ingest import load_source
from loaders.demo import DemoSize, write_demo
from loaders.sources import DEFAULT_SOURCES, read_sources

__all__ = ["AS_OF", "cypher", "demo", "run"]

AS_OF = "2025-06-30"


@pytest.fixture(scope="module")
def demo(
    driver: neo4j.Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    text, params = delete_all()
    with driver.session() as s:
        s.run(text, params).consume()  # type: ignore[arg-type]
    folder = tmp_path_factory.mktemp("api-demo")
    write_demo(
        folder / "demo",
        seed=3,
        size=DemoSize(
            firms=300, rd_institutions=10, consortia=9, standards=40, tech_centres=20, rd_centres=8
        ),
    )
    for spec in read_sources(DEFAULT_SOURCES, folder):
        load_source(driver, spec, Path(spec.uri).read_bytes(), reports_dir=folder / "reports")


def run(
    settings: Settings, query: str, variables: dict[str, Any] | None = None
) -> tuple[dict[str, Any], int]:
    async def go() -> tuple[dict[str, Any], int]:
        driver = open_async_driver(settings)
        try:
            ctx = Context(driver, settings.neo4j_database)
            result = await schema.execute(query, variable_values=variables, context_value=ctx)
            assert result.errors is None, result.errors
            assert result.data is not None
            return result.data, ctx.round_trips
        finally:
            await driver.close()

    return asyncio.run(go())


def cypher(driver: neo4j.Driver, text: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(text, params)
    return [dict(r) for r in records]
