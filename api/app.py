"""The Starlette application; its lifespan owns the Neo4j driver."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import neo4j
import orjson
from cross_web import HTTPException
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from api.assets import asset
from api.auth import ANONYMOUS, ApiKeys
from api.errors import AuthError
from api.exports import export
from api.schema import Context, schema
from api.settings import Settings
from graph.driver import open_async_driver

__all__ = ["app_from_env", "create_app"]

HEALTH_TIMEOUT_S = 5.0
STATIC = Path(__file__).with_name("static")
GRAPHIQL = STATIC / "graphiql.html"
DASHBOARD = STATIC / "dashboard"


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


GRAPHQL_RESPONSE = "application/graphql-response+json"


def wants_graphql_response(accept: str) -> bool:
    """True when the client lists application/graphql-response+json before application/json."""
    kinds = [part.split(";")[0].strip() for part in accept.split(",")]
    if GRAPHQL_RESPONSE not in kinds:
        return False
    return "application/json" not in kinds or kinds.index(GRAPHQL_RESPONSE) < kinds.index(
        "application/json"
    )


def graphql_response_send(send: Send) -> Send:
    """GraphQL-over-HTTP's application/graphql-response+json: that media type, and 400 for a
    request error (a response without data), instead of the legacy 200."""
    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body" or not start:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(chunks)
        headers = [
            (k, v)
            for k, v in start.get("headers", [])
            if k.lower() not in (b"content-type", b"content-length")
        ]
        status = start["status"]
        content_type = dict(start.get("headers", [])).get(b"content-type", b"")
        if content_type.startswith(b"application/json"):
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
            if isinstance(parsed, dict) and "data" not in parsed and status == 200:
                status = 400
            content_type = GRAPHQL_RESPONSE.encode() + b"; charset=utf-8"
        headers += [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return wrapped


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
        return HTMLResponse(index, headers={"Cache-Control": "no-cache"})

    class InnographGraphQL(GraphQL[Context, None]):
        async def get_context(self, request: Any, response: Any = None) -> Context:
            try:
                principal = keys.principal(request.headers.get("authorization"))
            except AuthError as e:
                raise HTTPException(401, str(e)) from e
            if settings.reads_need_key and principal is ANONYMOUS:
                raise HTTPException(
                    401, "this server needs an API key: Authorization: Bearer <key>"
                )
            return Context(
                driver=app.state.driver, database=settings.neo4j_database, principal=principal
            )

        # orjson: UTF-8 output (no \u escapes for Chinese) at a fraction of json's cost
        def encode_json(self, data: object) -> bytes:
            return orjson.dumps(data)

        def decode_json(self, data: str | bytes) -> object:
            return orjson.loads(data)

        async def render_graphql_ide(self, request: Any) -> Response:
            return HTMLResponse(GRAPHIQL.read_text(encoding="utf-8"))

        async def process_result(
            self, request: Any, result: ExecutionResult
        ) -> GraphQLHTTPResponse:
            body = await super().process_result(request, result)
            # A request error (parse, validation, variable coercion: no error has a path)
            # means the operation never ran: the response has no data entry at all.
            if result.data is None and result.errors and all(e.path is None for e in result.errors):
                body.pop("data", None)
            return body

    graphql = InnographGraphQL(schema)

    class GraphQLWithKey:
        """Who is asking, from the bearer key; a wrong key is refused before any work.

        (A class, not a function: Starlette routes an ASGI callable object as is.)"""

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await graphql_with_key(scope, receive, send)

    async def graphql_with_key(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        try:
            principal = keys.principal(request.headers.get("authorization"))
        except AuthError as e:
            await JSONResponse({"errors": [{"message": str(e)}]}, status_code=401)(
                scope, receive, send
            )
            return
        ide_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
        if settings.reads_need_key and principal is ANONYMOUS and not ide_page:
            message = "this server needs an API key: Authorization: Bearer <key>"
            await JSONResponse({"errors": [{"message": message}]}, status_code=401)(
                scope, receive, send
            )
            return
        scope.setdefault("state", {})["principal"] = principal
        if wants_graphql_response(request.headers.get("accept", "")):
            await graphql(scope, receive, graphql_response_send(send))
        else:
            await graphql(scope, receive, send)

    app = Starlette(
        routes=[
            Route("/", dashboard),
            Mount("/app", StaticFiles(directory=DASHBOARD), name="app"),
            Route("/export/{format}", export, methods=["POST"]),
            Route("/healthz", healthz),
            Route("/graphql", GraphQLWithKey(), methods=["GET", "POST"]),
            Route("/assets/{package}/{path:path}", asset),
        ],
        lifespan=lifespan,
    )
    return app


def app_from_env() -> Starlette:
    """The app of one uvicorn worker process: its settings read here, at its edge."""
    return create_app(Settings.from_env())
