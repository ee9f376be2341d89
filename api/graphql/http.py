"""GraphQL over HTTP: the ASGI endpoint, who is asking (from the bearer key), and the
application/graphql-response+json media type."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from neo4j.exceptions import ServiceUnavailable
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from api.auth import ANONYMOUS, ApiKeys
from api.errors import AuthError
from api.graphql.build import schema
from api.graphql.context import Context
from api.http.headers import html_page
from api.settings import Settings
from loaders.errors import InnographError

__all__ = [
    "GRAPHQL_RESPONSE",
    "GraphQLWithKey",
    "InnographGraphQL",
    "graphql_response_send",
    "plain_error",
    "wants_graphql_response",
]

GRAPHIQL = (Path(__file__).parents[1] / "static" / "graphiql.html").read_text(encoding="utf-8")
GRAPHQL_RESPONSE = "application/graphql-response+json"
KEY_NEEDED = "this server needs an API key: Authorization: Bearer <key>"
NOT_AN_OBJECT = "the body must be a JSON object with a query (and variables, if any)"
UNEXPECTED = "the server could not answer this request (the fault is logged)"
NO_NEO4J = "Neo4j does not answer; retry shortly"
log = logging.getLogger("innograph.http")


def plain_error(error: GraphQLError) -> GraphQLError:
    """``error`` as the client may see it: innograph's and GraphQL's own messages as they are;
    any other exception (a driver fault, a bug) in plain words, its text only in the log."""
    cause = error.original_error
    if cause is None or isinstance(cause, InnographError | GraphQLError):
        return error
    log.error("GraphQL %s at %s", type(cause).__name__, error.path, exc_info=cause)
    message = NO_NEO4J if isinstance(cause, ServiceUnavailable) else UNEXPECTED
    return GraphQLError(message, path=error.path, original_error=None)


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


class InnographGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app with this API's context, JSON codec, IDE page and error shape."""

    def __init__(self, settings: Settings, keys: ApiKeys) -> None:
        super().__init__(schema)
        self.settings, self.keys = settings, keys

    async def get_context(self, request: Any, response: Any = None) -> Context:
        try:
            principal = self.keys.principal(request.headers.get("authorization"))
        except AuthError as e:
            raise HTTPException(401, str(e)) from e
        if self.settings.reads_need_key and principal is ANONYMOUS:
            raise HTTPException(401, KEY_NEEDED)
        # The driver of the app serving the request: its lifespan opens and closes it.
        return Context(
            driver=request.app.state.driver,
            database=self.settings.neo4j_database,
            principal=principal,
            deadline=self.settings.query_deadline,
        )

    # orjson: UTF-8 output (no \u escapes for Chinese) at a fraction of json's cost
    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        parsed = orjson.loads(data)
        # a list is a batch, which Strawberry refuses in words; any other non-object
        # ("hello", null, 5) would reach it as a mapping and fail there with a 500
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, NOT_AN_OBJECT)
        return parsed

    async def render_graphql_ide(self, request: Any) -> Response:
        return html_page(GRAPHIQL)

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        if result.errors:
            result.errors = [plain_error(e) for e in result.errors]
        body = await super().process_result(request, result)
        # A request error (parse, validation, variable coercion: no error has a path)
        # means the operation never ran: the response has no data entry at all.
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            body.pop("data", None)
        return body


class GraphQLWithKey:
    """Who is asking, from the bearer key; a wrong key is refused before any work.

    (A class, not a function: Starlette routes an ASGI callable object as is.)"""

    def __init__(self, settings: Settings, keys: ApiKeys) -> None:
        self.settings, self.keys = settings, keys
        self.graphql = InnographGraphQL(settings, keys)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        try:
            principal = self.keys.principal(request.headers.get("authorization"))
        except AuthError as e:
            error = {"message": str(e), "extensions": {"code": e.code}}
            await JSONResponse({"errors": [error]}, status_code=401)(scope, receive, send)
            return
        ide_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
        if self.settings.reads_need_key and principal is ANONYMOUS and not ide_page:
            error = {"message": KEY_NEEDED, "extensions": {"code": AuthError.code}}
            await JSONResponse({"errors": [error]}, status_code=401)(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        if wants_graphql_response(request.headers.get("accept", "")):
            await self.graphql(scope, receive, graphql_response_send(send))
        else:
            await self.graphql(scope, receive, send)
