"""The Starlette application; its lifespan owns the Neo4j driver."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import neo4j
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from api.assets import asset
from api.auth import ApiKeys
from api.exports import export
from api.graphql.http import GraphQLWithKey
from api.http.guard import Guard
from api.http.headers import SecurityHeaders, html_page
from api.settings import Settings
from graph.driver import open_async_driver

__all__ = ["app_from_env", "create_app", "healthz"]

HEALTH_TIMEOUT_S = 5.0
DASHBOARD = Path(__file__).with_name("static") / "dashboard"
NO_ANSWER = "Neo4j does not answer"
log = logging.getLogger("innograph.http")


async def healthz(request: Request) -> JSONResponse:
    """200 when Neo4j answers; 503 otherwise. The driver reconnects by itself.

    The answer names no host, port or error: those go to the log only."""
    driver: neo4j.AsyncDriver = request.app.state.driver
    database: str = request.app.state.settings.neo4j_database
    try:
        # One auto-commit query, no retries: health must answer fast, not wait for recovery.
        async with asyncio.timeout(HEALTH_TIMEOUT_S), driver.session(database=database) as s:
            await (await s.run("RETURN 1")).consume()
    except TimeoutError:
        log.warning("healthz: Neo4j gave no answer within %ss", HEALTH_TIMEOUT_S)
        return JSONResponse({"status": "unavailable", "neo4j": NO_ANSWER}, status_code=503)
    except (ServiceUnavailable, Neo4jError, OSError) as e:
        log.warning("healthz: Neo4j does not answer: %s", e)
        return JSONResponse({"status": "unavailable", "neo4j": NO_ANSWER}, status_code=503)
    return JSONResponse({"status": "ok", "neo4j": "up"})


def create_app(settings: Settings) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.driver = open_async_driver(settings)
        try:
            yield
        finally:
            await app.state.driver.close()

    keys = ApiKeys.load(settings.keys_file)
    index = (DASHBOARD / "index.html").read_text(encoding="utf-8")  # once, not per request

    async def dashboard(request: Request) -> Response:
        # no-cache: the page is tiny and must pick up a new release at once
        return html_page(index, headers={"Cache-Control": "no-cache"})

    app = Starlette(
        routes=[
            Route("/", dashboard),
            Mount("/app", StaticFiles(directory=DASHBOARD), name="app"),
            Route("/export/{format}", export, methods=["POST"]),
            Route("/healthz", healthz),
            Route("/graphql", GraphQLWithKey(settings, keys), methods=["GET", "POST"]),
            Route("/assets/{package}/{path:path}", asset),
        ],
        lifespan=lifespan,
        # outermost first: every answer, refusals too, carries the security headers
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(Guard, settings=settings, keys=keys),
        ],
    )
    app.state.keys = keys  # /export checks a bearer key with them
    return app


def app_from_env() -> Starlette:
    """The app of one uvicorn worker process: its settings read here, at its edge."""
    return create_app(Settings.from_env())
