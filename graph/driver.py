"""Opening the driver from settings: a given server, or the local one with its stored password."""

from __future__ import annotations

import neo4j

from graph.errors import SettingsError
from graph.local import LocalNeo4j
from graph.settings import Settings

__all__ = ["local_server", "open_async_driver", "open_driver"]


# "Unknown label/property" notices fire for every part of the model no row has used yet.
QUIET: dict[str, object] = {"notifications_disabled_classifications": ["UNRECOGNIZED"]}


def local_server(settings: Settings) -> LocalNeo4j:
    return LocalNeo4j(
        settings.neo4j_home,
        settings.bolt_port,
        heap=settings.neo4j_heap,
        pagecache=settings.neo4j_pagecache,
        java_home=settings.java_home,
    )


def _target(settings: Settings) -> tuple[str, tuple[str, str]]:
    if settings.neo4j_uri:
        if settings.neo4j_password is None:
            raise SettingsError(
                f"NEO4J_URI={settings.neo4j_uri!r} is set but NEO4J_PASSWORD is not; set both"
            )
        auth = (settings.neo4j_user, settings.neo4j_password)
        uri = settings.neo4j_uri
    else:
        server = local_server(settings)
        auth = ("neo4j", server.password())
        uri = server.uri
    return uri, auth


def open_driver(settings: Settings, **config: object) -> neo4j.Driver:
    """A driver for the configured server (``NEO4J_URI``), else for the local one."""
    uri, auth = _target(settings)
    return neo4j.GraphDatabase.driver(uri, auth=auth, **{**QUIET, **config})  # type: ignore[arg-type]


def open_async_driver(settings: Settings, **config: object) -> neo4j.AsyncDriver:
    """The asyncio driver for the same server, for the web app."""
    uri, auth = _target(settings)
    return neo4j.AsyncGraphDatabase.driver(uri, auth=auth, **{**QUIET, **config})  # type: ignore[arg-type]
