"""A dead or paused database, on a private Neo4j this module starts and kills (issue 18.5):
requests answer within the deadline with a code and words, never the driver's text; the
loader stops with one line saying what is committed and how to go on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from graph.ddl import ensure_schema
from graph.driver import local_server, open_driver
from graph.retry import OUTAGE_BUDGET
from loaders.demo import DemoSize, write_demo
from tests.conftest import ROOT, _free_port
from tests.http_server import serving

pytestmark = pytest.mark.neo4j

DEADLINE = 3.0
QUERY = {"query": "{ organizations(first: 1) { totalCount } }"}
LEAKS = ("Errno", "127.0.0.1", "bolt://", "ServiceUnavailable", "SessionExpired", "neo4j.")


@pytest.fixture()
def private(tmp_path: Path) -> Iterator[Settings]:
    """A Neo4j of this test's own (data dir, free port, 512m heap), stopped at the end."""
    settings = Settings.from_env(
        {},
        data_dir=tmp_path,
        bolt_port=_free_port(),
        neo4j_heap="512m",
        neo4j_pagecache="64m",
        query_deadline=DEADLINE,
    )
    server = local_server(settings)
    server.start()
    try:
        with open_driver(settings) as driver:
            ensure_schema(driver, settings.neo4j_database)
        yield settings
    finally:
        pid = server._pid()
        if pid is not None:
            os.kill(pid, signal.SIGCONT)  # a paused server cannot stop
        server.stop()


def _pid(settings: Settings) -> int:
    return int(local_server(settings).pid_file.read_text())


def _refused_in_words(base: str, code: str | tuple[str, ...]) -> float:
    """One query: its seconds; it must fail with ``code`` and leak nothing of the driver."""
    t0 = time.monotonic()
    r = httpx.post(f"{base}/graphql", json=QUERY, timeout=60)
    took = time.monotonic() - t0
    assert took < DEADLINE + 2, f"answered after {took:.1f} s"
    (error,) = r.json()["errors"]
    assert error["extensions"]["code"] in ((code,) if isinstance(code, str) else code), error
    assert "try again" in error["message"]
    assert not any(leak in r.text for leak in LEAKS), r.text
    return took


def test_a_paused_then_killed_database_is_answered_within_the_deadline(
    private: Settings,
) -> None:
    pid = _pid(private)
    with serving(create_app(private)) as base:
        ok = {"data": {"organizations": {"totalCount": 0}}}
        for _ in range(3):  # a fresh server's first query (planning it) may pass 3 s
            if httpx.post(f"{base}/graphql", json=QUERY, timeout=60).json() == ok:
                break
        else:
            pytest.fail("the fresh server never answered within the deadline")

        os.kill(pid, signal.SIGSTOP)
        try:
            _refused_in_words(base, "TIMEOUT")
            assert httpx.get(f"{base}/healthz", timeout=60).status_code == 503
        finally:
            os.kill(pid, signal.SIGCONT)
        again = httpx.post(f"{base}/graphql", json=QUERY, timeout=60).json()
        assert again == ok  # recovered, no restart of the app
        assert httpx.get(f"{base}/healthz", timeout=60).status_code == 200

        os.kill(pid, signal.SIGKILL)
        # the pooled connection's failure (and retries), then a refused connect at once
        _refused_in_words(base, ("DATABASE_UNAVAILABLE", "TIMEOUT"))
        _refused_in_words(base, "DATABASE_UNAVAILABLE")
        down = httpx.get(f"{base}/healthz", timeout=60)
        assert down.status_code == 503 and down.json()["status"] == "unavailable"


def test_the_loader_stops_in_one_line_when_the_database_dies(
    private: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "sources"
    write_demo(folder / "demo", seed=7, size=DemoSize(firms=3000))
    firms = folder / "demo" / "hightech_enterprises.xlsx"
    env = {
        **os.environ,
        "INNOGRAPH_DATA_DIR": str(private.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(private.bolt_port),
    }
    command = [sys.executable, "-m", "api.cli", "load", "--quiet", "--batch-size", "50"]
    command += ["--file", str(firms), "--kind", "hightech"]
    proc = subprocess.Popen(
        command, env=env, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    with open_driver(private) as driver:
        while proc.poll() is None:  # kill once the load is writing organisations
            records, _, _ = driver.execute_query("MATCH (o:Organization) RETURN count(o) AS n")
            if records[0]["n"] >= 300:
                break
            time.sleep(0.05)
    assert proc.poll() is None, "the load ended before the kill"
    os.kill(_pid(private), signal.SIGKILL)
    t0 = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    took = time.monotonic() - t0
    # the writer's one outage clock, then one more attempt (refused at once): not the
    # 12-30 s that each batch retrying on its own clock took
    assert proc.returncode == 1 and took < OUTAGE_BUDGET + 8, (proc.returncode, took, stderr)
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    (line,) = lines
    assert "batches" in line and "committed" in line, line
    assert "safe" in line and "innograph load --file" in line, line
