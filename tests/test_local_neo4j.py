"""The local server's lifecycle, through the code `innograph neo4j start|stop|status` runs."""

from __future__ import annotations

import json
import socket
import stat
from pathlib import Path

import neo4j
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from graph.driver import local_server
from graph.errors import PortInUseError
from graph.local import LocalNeo4j

pytestmark = pytest.mark.neo4j


def test_taken_port_is_refused_with_its_number(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(PortInUseError, match=f"port {port} on 127.0.0.1 is already in use"):
            LocalNeo4j(tmp_path / "neo4j", port).start()


def test_password_is_generated_once_and_private(settings: Settings, driver: neo4j.Driver) -> None:
    if not settings.local:
        pytest.skip("NEO4J_URI points at a server innograph does not manage")
    server = local_server(settings)
    mode = stat.S_IMODE(server.password_file.stat().st_mode)
    assert mode == 0o600
    assert server.password() == server.password()
    with (
        neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", "neo4j")) as d,
        pytest.raises(neo4j.exceptions.AuthError),
    ):
        d.verify_connectivity()


def test_status_start_again_and_restart_keep_data(settings: Settings, db: neo4j.Driver) -> None:
    if not settings.local:
        pytest.skip("NEO4J_URI points at a server innograph does not manage")
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
    }
    runner = CliRunner()
    result = runner.invoke(app, ["neo4j", "status", "--json"], env=env)
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    assert status["running"] is True
    assert status["uri"] == f"bolt://127.0.0.1:{settings.bolt_port}"
    assert status["version"].startswith("5.26")
    assert status["data_bytes"] > 0

    result = runner.invoke(app, ["neo4j", "start"], env=env)
    assert result.exit_code == 0 and "already running" in result.output

    db.execute_query("CREATE (:Area {id: 'kept-across-restart'})")
    assert runner.invoke(app, ["neo4j", "stop"], env=env).exit_code == 0
    stopped = runner.invoke(app, ["neo4j", "status", "--json"], env=env)
    assert stopped.exit_code == 3 and json.loads(stopped.stdout)["running"] is False
    result = runner.invoke(app, ["neo4j", "start"], env=env)
    assert result.exit_code == 0, result.output
    assert "jars resolved" not in result.output  # a warm start needs no Maven
    records, _, _ = db.execute_query(
        "MATCH (a:Area {id: 'kept-across-restart'}) RETURN count(a) AS n"
    )
    assert records[0]["n"] == 1


def test_healthz_goes_503_when_neo4j_stops_and_recovers_without_restart(
    settings: Settings, driver: neo4j.Driver
) -> None:
    if not settings.local:
        pytest.skip("NEO4J_URI points at a server innograph does not manage")
    import httpx

    from api.app import create_app
    from tests.http_server import serving

    server = local_server(settings)
    with serving(create_app(settings)) as base:
        assert httpx.get(f"{base}/healthz", timeout=30).status_code == 200
        server.stop()
        try:
            down = httpx.get(f"{base}/healthz", timeout=30)
            assert down.status_code == 503 and down.json()["status"] == "unavailable"
        finally:
            server.start()
        up = httpx.get(f"{base}/healthz", timeout=30)
        assert up.status_code == 200 and up.json() == {"status": "ok", "neo4j": "up"}


def test_a_killed_server_is_reaped_through_its_popen(tmp_path: Path) -> None:
    """A server killed from outside (as test_database_down does) is found dead and reaped
    by its own Popen: one reaped behind Popen's back warns "still running" when collected,
    at the interpreter's exit, where pytest's warnings-as-errors cannot see it."""
    import gc
    import os
    import signal
    import subprocess
    import time
    import warnings

    from graph import local

    proc = subprocess.Popen(["sleep", "60"])
    local._STARTED[proc.pid] = proc
    try:
        assert local._alive(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while local._alive(proc.pid):
            assert time.monotonic() < deadline, "a SIGKILLed child still alive after 10 s"
            time.sleep(0.01)
        assert proc.pid not in local._STARTED and proc.returncode == -signal.SIGKILL
    finally:
        local._STARTED.pop(proc.pid, None)
        if proc.returncode is None:
            proc.kill()
            proc.wait()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del proc
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
