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
    from api.usecases.prepare import ensure_counts
    from graph.driver import open_driver
    from graph.errors import GraphError

    # a graph written before a family of counts was kept would answer from missing cells
    try:
        with open_driver(settings) as driver:
            ensure_counts(driver, settings, events)
    except (GraphError, neo4j.exceptions.Neo4jError) as e:
        # the app still serves: /healthz says what is wrong with the database
        events.on_warning(f"counts not checked ({e}); run `innograph init` once it answers")
    events.on_message(f"serving on http://{host}:{port}/ with {workers} worker(s) (Ctrl-C to stop)")
    if workers == 1:
        run(create_app(settings), settings, host, port)
        return
    # Worker processes build their own app from the environment; hand them the data dir
    # this command was given (the API is stateless: every worker serves the same database).
    os.environ["INNOGRAPH_DATA_DIR"] = str(settings.data_dir.resolve())
    os.environ["INNOGRAPH_NEO4J_PORT"] = str(settings.bolt_port)
    run("api.app:app_from_env", settings, host, port, workers)
