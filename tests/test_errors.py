"""One error tree: every error innograph raises on purpose has InnographError as its root, and
connection failures name the URI and the likely cause."""

from __future__ import annotations

import inspect
import socket
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

import api.errors
import graph.errors
import loaders.errors
import nlp.errors
from api.cli import app
from api.settings import Settings
from graph.driver import open_driver
from graph.errors import DatabaseAuthError, DatabaseUnavailableError
from loaders.errors import InnographError


@pytest.mark.parametrize("module", [loaders.errors, nlp.errors, graph.errors, api.errors])
def test_every_error_class_descends_from_the_root(module: ModuleType) -> None:
    classes = [
        obj
        for name, obj in vars(module).items()
        if inspect.isclass(obj) and issubclass(obj, BaseException) and name in module.__all__
    ]
    assert classes
    assert all(issubclass(c, InnographError) for c in classes), classes


def test_the_root_documents_every_error_in_the_tree() -> None:
    doc = loaders.errors.__doc__ or ""
    for module in (loaders.errors, nlp.errors, graph.errors, api.errors):
        for name in module.__all__:
            assert name in doc, f"{module.__name__}.{name} is missing from the tree's docstring"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_server_at_the_uri_names_it_and_the_command() -> None:
    settings = Settings.from_env({}, bolt_port=_closed_port(), data_dir="var/test-nothing")
    with pytest.raises(DatabaseUnavailableError) as caught:
        open_driver(settings, connection_timeout=2.0)
    message = str(caught.value)
    assert settings.bolt_uri in message
    assert "innograph neo4j start" in message


@pytest.mark.neo4j
def test_a_wrong_password_names_the_uri_and_the_likely_cause(settings: Settings) -> None:
    # another user: Neo4j locks a user out for 5 s after 3 failed logins, and the session's
    # other tests log in as neo4j
    wrong = replace(
        settings, neo4j_uri=settings.bolt_uri, neo4j_user="intruder", neo4j_password="wrong"
    )
    with pytest.raises(DatabaseAuthError) as caught:
        open_driver(wrong)
    assert settings.bolt_uri in str(caught.value)
    assert "NEO4J_PASSWORD" in str(caught.value)


def _stats_at_a_closed_port(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    port = _closed_port()
    env = {"NEO4J_URI": None, "INNOGRAPH_DEBUG": None, "INNOGRAPH_NEO4J_PORT": str(port)}
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), *args, "stats"], env=env)
    return result.exit_code, result.output, f"bolt://127.0.0.1:{port}"


def test_the_cli_reports_an_innograph_error_in_one_line(tmp_path: Path) -> None:
    code, output, uri = _stats_at_a_closed_port(tmp_path)
    assert code == 1
    (line,) = output.splitlines()
    assert line.startswith("error: ") and uri in line and "innograph neo4j start" in line
    assert "Traceback" not in output


def test_debug_shows_the_traceback_before_the_line(tmp_path: Path) -> None:
    code, output, uri = _stats_at_a_closed_port(tmp_path, "--debug")
    assert code == 1
    assert "Traceback (most recent call last)" in output and "DatabaseUnavailableError" in output
    last = output.splitlines()[-1]
    assert last.startswith("error: ") and uri in last
    env = {"NEO4J_URI": None, "INNOGRAPH_DEBUG": "1", "INNOGRAPH_NEO4J_PORT": str(_closed_port())}
    result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "stats"], env=env)
    assert result.exit_code == 1 and "Traceback" in result.output


def test_a_bad_setting_is_one_line_too() -> None:
    result = CliRunner().invoke(app, ["stats"], env={"INNOGRAPH_NEO4J_PORT": "abc"})
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: INNOGRAPH_NEO4J_PORT='abc' is not a port number; use 1-65535"
    ]


@pytest.mark.neo4j
def test_the_cli_names_the_uri_a_wrong_password_was_refused_at(settings: Settings) -> None:
    env = {
        "NEO4J_URI": settings.bolt_uri,
        "NEO4J_USER": "intruder",  # not neo4j: see above
        "NEO4J_PASSWORD": "wrong",
        "INNOGRAPH_DEBUG": None,
    }
    result = CliRunner().invoke(app, ["stats"], env=env)
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith("error: ") and settings.bolt_uri in line and "NEO4J_PASSWORD" in line
