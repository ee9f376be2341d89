"""Test setup: one real Neo4j for the session, started by the same code as `innograph neo4j start`.

With NEO4J_URI set, that server is used instead and nothing is started. Tests that need the
database take the ``db`` fixture, which empties the graph first (schema kept).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from api.settings import Settings
from graph.cypher import delete_all
from graph.ddl import ensure_schema
from graph.driver import local_server, open_driver

# the small demo graph of the API tests (fixture `demo`), shared by their modules
pytest_plugins = ["tests.api_demo"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    env = dict(os.environ)
    if env.get("NEO4J_URI"):
        yield Settings.from_env(env, data_dir=ROOT / "var" / "test")
        return
    # A free port, so the tests never meet a server the developer is running on 7687.
    test_settings = Settings.from_env(
        {}, data_dir=ROOT / "var" / "test", bolt_port=_free_port(), neo4j_heap="768m"
    )
    server = local_server(test_settings)
    server.stop()  # a server left behind by an interrupted run may hold another port
    server.start()
    try:
        yield test_settings
    finally:
        server.stop()


@pytest.fixture(scope="session")
def driver(settings: Settings) -> Iterator[neo4j.Driver]:
    with open_driver(settings) as d:
        ensure_schema(d, settings.neo4j_database)
        yield d


@pytest.fixture()
def db(driver: neo4j.Driver, settings: Settings) -> neo4j.Driver:
    """The driver, over an empty graph (constraints and indexes stay)."""
    query, params = delete_all()
    with driver.session(database=settings.neo4j_database) as session:
        session.run(query, params).consume()  # type: ignore[arg-type]
    return driver


@pytest.fixture(scope="session")
def shared() -> Path:
    """The team's development corpus beside the repository (``../shared``), for the tests that
    score against it. A user's clone has none: those tests are skipped, naming the path. CI
    always has it, so there a missing corpus fails the run instead of hiding the tests."""
    if not SHARED.is_dir():
        message = f"the shared corpus {SHARED} is not beside the repository"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: CI must run the corpus tests)")
        pytest.skip(message + ": corpus tests skipped")
    return SHARED
