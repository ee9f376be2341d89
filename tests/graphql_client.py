"""A GraphQL client for tests that ask many questions: one event loop and one driver for
all of them, at schema level (the API's resolvers, against the real Neo4j)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from api.auth import Principal, Role
from api.graphql import Context, schema
from api.settings import Settings
from graph.driver import open_async_driver

__all__ = ["BUREAU", "Answer", "GraphQL"]

BUREAU = Principal("steward", Role.BUREAU)


class Answer:
    """The data of an answer, and its errors as (message, extensions.code) pairs."""

    def __init__(self, data: dict[str, Any] | None, errors: list[tuple[str, str | None]]) -> None:
        self.data, self.errors = data, errors

    @property
    def ok(self) -> dict[str, Any]:
        assert not self.errors, self.errors
        assert self.data is not None
        return self.data

    @property
    def code(self) -> str | None:
        assert self.errors, "expected an error"
        return self.errors[0][1]


class GraphQL:
    """Runs its own event loop in a thread: callable from plain tests and from tests that
    already run a loop (Playwright's sync API does)."""

    def __init__(self, settings: Settings) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.settings = settings
        self.driver = open_async_driver(settings)

    def __call__(self, query: str, principal: Principal = BUREAU, **variables: Any) -> Answer:
        async def go() -> Answer:
            ctx = Context(self.driver, self.settings.neo4j_database, principal)
            result = await schema.execute(query, variable_values=variables, context_value=ctx)
            errors = [(e.message, (e.extensions or {}).get("code")) for e in result.errors or []]
            return Answer(result.data, errors)

        return asyncio.run_coroutine_threadsafe(go(), self.loop).result()

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.driver.close(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()
