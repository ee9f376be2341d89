"""The CLI surface and the HTTP app's health check, over real HTTP."""

from __future__ import annotations

import json
import re

import httpx
import neo4j
import pytest
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app
from api.settings import Settings
from tests.http_server import serving


def test_help_lists_every_command_with_a_description() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for command in ["neo4j", "init", "stats", "demo", "serve"]:
        line = next(ln for ln in result.output.splitlines() if re.search(rf"│ {command}\s", ln))
        assert len(line.split(command, 1)[1].strip(" │")) > 10, line


def test_neo4j_start_refuses_when_a_server_uri_is_set() -> None:
    result = CliRunner().invoke(
        app, ["neo4j", "start"], env={"NEO4J_URI": "neo4j://db.example:7687"}
    )
    assert result.exit_code == 1
    assert "NEO4J_URI=neo4j://db.example:7687 is set" in result.output


@pytest.mark.neo4j
def test_stats_json(settings: Settings, db: neo4j.Driver) -> None:
    db.execute_query("CREATE (:Technology {id: 't1'})-[:BROADER]->(:Technology {id: 't2'})")
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
    }
    result = CliRunner().invoke(app, ["stats", "--json"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["nodes"]["Technology"] == 2
    assert data["relationships"]["BROADER"] == 1


@pytest.mark.neo4j
def test_healthz_is_ok_when_neo4j_answers(settings: Settings, driver: neo4j.Driver) -> None:
    with serving(create_app(settings)) as base:
        response = httpx.get(f"{base}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "neo4j": "up"}


def test_healthz_is_503_with_a_reason_when_neo4j_is_down(tmp_path: object) -> None:
    down = Settings.from_env({}, neo4j_uri="bolt://127.0.0.1:9", neo4j_password="unused")
    with serving(create_app(down)) as base:
        response = httpx.get(f"{base}/healthz", timeout=30)
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["neo4j"]
