"""One error tree: every error innograph raises on purpose has InnographError as its root, and
connection failures name the URI and the likely cause."""

from __future__ import annotations

import inspect
import socket
from dataclasses import replace
from types import ModuleType

import pytest

import api.errors
import graph.errors
import loaders.errors
import nlp.errors
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
    wrong = replace(settings, neo4j_uri=settings.bolt_uri, neo4j_password="not-the-password")
    with pytest.raises(DatabaseAuthError) as caught:
        open_driver(wrong)
    assert settings.bolt_uri in str(caught.value)
    assert "NEO4J_PASSWORD" in str(caught.value)
