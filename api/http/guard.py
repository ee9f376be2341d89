"""The ASGI middleware that bounds every request before and while the app serves it.

In order: header count and size (431), a declared body over the limit (413), the caller's
rate (429: per API key's principal, or per address when anonymous), requests in progress
(429 per address, 503 in all). While the app reads the body it is counted (413 as soon as
it passes the limit) and timed (408 when it does not arrive in time). Every refusal is a
JSON ``{"errors": [{"message": ...}]}`` with ``Connection: close`` and, where waiting helps,
``Retry-After``; each is logged (address, path, status) on the ``innograph.http`` logger.
/healthz counts against the rate but not against concurrency, so it answers while slow
clients hold their slots.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import ApiKeys
from api.errors import AuthError, LimitError
from api.http.limits import InFlight, TokenBuckets
from api.settings import Settings

__all__ = ["MAX_HEADERS", "MAX_HEADER_BYTES", "Guard", "refusal"]

MAX_HEADERS = 100
MAX_HEADER_BYTES = 64 * 1024
UNBOUNDED = frozenset({"/healthz"})  # not counted against concurrency
log = logging.getLogger("innograph.http")


def refusal(error: LimitError) -> JSONResponse:
    headers = {"Connection": "close"}
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    return JSONResponse(
        {"errors": [{"message": str(error)}]}, status_code=error.status, headers=headers
    )


def _check_headers(scope: Scope, max_body: int) -> None:
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    if len(headers) > MAX_HEADERS:
        raise LimitError(431, f"more than {MAX_HEADERS} request headers")
    if sum(len(k) + len(v) for k, v in headers) > MAX_HEADER_BYTES:
        raise LimitError(431, f"request headers over {MAX_HEADER_BYTES} bytes")
    for name, value in headers:
        if name == b"content-length":
            if not value.isdigit():
                raise LimitError(400, "Content-Length is not a number")
            if int(value) > max_body:
                raise LimitError(413, f"request body over {max_body} bytes")


class _Body:
    """The app's ``receive``: counts body bytes against the limit, within the deadline."""

    def __init__(self, receive: Receive, limit: int, deadline: float) -> None:
        self.receive, self.limit, self.deadline = receive, limit, deadline
        self.seen, self.done = 0, False

    async def __call__(self) -> Message:
        if self.done:
            return await self.receive()
        try:
            async with asyncio.timeout_at(self.deadline):
                message = await self.receive()
        except TimeoutError:
            raise LimitError(408, "the request body did not arrive in time") from None
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.limit:
                raise LimitError(413, f"request body over {self.limit} bytes")
            self.done = not message.get("more_body", False)
        return message


class Guard:
    """Wraps the app; see the module's docstring for what it refuses."""

    def __init__(self, app: ASGIApp, settings: Settings, keys: ApiKeys) -> None:
        self.app, self.settings, self.keys = app, settings, keys
        self.rates = TokenBuckets(settings.rate, settings.rate_burst)
        self.in_flight = InFlight(settings.max_concurrent, settings.max_concurrent_per_client)

    def _caller(self, scope: Scope, address: str) -> str:
        for name, value in scope["headers"]:
            if name == b"authorization":
                try:
                    return "key:" + self.keys.principal(value.decode("latin-1")).name
                except AuthError:
                    break  # a wrong key is refused by the endpoint; rate it by address
        return "address:" + address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = str(client[0]) if client else "unknown"
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            _check_headers(scope, self.settings.max_body)
            self.rates.take(self._caller(scope, address))
            deadline = asyncio.get_running_loop().time() + self.settings.body_timeout
            body = _Body(receive, self.settings.max_body, deadline)
            if scope["path"] in UNBOUNDED:
                await self.app(scope, body, tracked)
            else:
                with self.in_flight.hold(address):
                    await self.app(scope, body, tracked)
        except LimitError as e:
            self._refused(scope, address, e)
            if not started:
                await refusal(e)(scope, receive, send)

    @staticmethod
    def _refused(scope: Scope, address: str, error: LimitError) -> None:
        path: Any = scope.get("path", "")
        log.warning(
            "refused %s %s %.200s: %s %s", address, scope.get("method"), path, error.status, error
        )
