"""The Starlette application; its lifespan owns the Neo4j driver."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import neo4j
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from api.assets import asset
from api.schema import Context, schema
from graph.driver import open_async_driver
from graph.settings import Settings

__all__ = ["create_app"]

HEALTH_TIMEOUT_S = 5.0
GRAPHIQL = Path(__file__).with_name("static") / "graphiql.html"


async def healthz(request: Request) -> JSONResponse:
    """200 when Neo4j answers; 503 with the reason otherwise. The driver reconnects by itself."""
    driver: neo4j.AsyncDriver = request.app.state.driver
    database: str = request.app.state.settings.neo4j_database
    try:
        # One auto-commit query, no retries: health must answer fast, not wait for recovery.
        async with asyncio.timeout(HEALTH_TIMEOUT_S), driver.session(database=database) as s:
            await (await s.run("RETURN 1")).consume()
    except TimeoutError:
        return JSONResponse(
            {"status": "unavailable", "neo4j": f"no answer within {HEALTH_TIMEOUT_S}s"},
            status_code=503,
        )
    except (ServiceUnavailable, Neo4jError, OSError) as e:
        return JSONResponse({"status": "unavailable", "neo4j": str(e)}, status_code=503)
    return JSONResponse({"status": "ok", "neo4j": "up"})


def create_app(settings: Settings) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.driver = open_async_driver(settings, connection_acquisition_timeout=5.0)
        try:
            yield
        finally:
            await app.state.driver.close()

    class InnographGraphQL(GraphQL[Context, None]):
        async def get_context(self, request: Any, response: Any = None) -> Context:
            return Context(driver=app.state.driver, database=settings.neo4j_database)

        async def render_graphql_ide(self, request: Any) -> Response:
            return HTMLResponse(GRAPHIQL.read_text(encoding="utf-8"))

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/graphql", InnographGraphQL(schema), methods=["GET", "POST"]),
            Route("/assets/{package}/{path:path}", asset),
        ],
        lifespan=lifespan,
    )
    return app
