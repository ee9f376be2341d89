"""Serving the web app (GraphQL, the dashboard, /healthz) with uvicorn."""

from __future__ import annotations

import os

import neo4j

from api.settings import Settings
from api.usecases.events import NO_EVENTS, Events

__all__ = ["serve"]


def serve(
    settings: Settings, host: str, port: int, workers: int = 1, events: Events = NO_EVENTS
) -> None:
    """Serve until interrupted; with several workers each builds its app from the environment."""
    from api.app import create_app
    from api.http.server import run
    from graph.driver import open_driver
    from graph.errors import GraphError
    from graph.tallies import standards_missing, tallies_missing

    # A graph written before a family of counts was kept answers from missing cells. Only
    # said here: several replicas starting at once must not rebuild side by side (each would
    # add its own counts); `innograph init` builds them once.
    try:
        with open_driver(settings) as driver:
            db = settings.neo4j_database
            if tallies_missing(driver, db) or standards_missing(driver, db):
                events.on_warning(
                    "this graph lacks some maintained counts (written before they were kept): "
                    "counts and coverage are wrong until `innograph init` builds them"
                )
    except (GraphError, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as e:
        # the app still serves: /healthz says what is wrong with the database
        events.on_warning(f"counts not checked ({e})")
    events.on_message(f"serving on http://{host}:{port}/ with {workers} worker(s) (Ctrl-C to stop)")
    if workers == 1:
        run(create_app(settings), settings, host, port)
        return
    # Worker processes build their own app from the environment; hand them the data dir
    # this command was given (the API is stateless: every worker serves the same database).
    os.environ["INNOGRAPH_DATA_DIR"] = str(settings.data_dir.resolve())
    os.environ["INNOGRAPH_NEO4J_PORT"] = str(settings.bolt_port)
    run("api.app:app_from_env", settings, host, port, workers)
