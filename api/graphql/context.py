"""A request's context and the one round trip a field makes to Neo4j."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired
from strawberry.types import Info

from api.auth import ANONYMOUS, Principal
from api.errors import EditRefusedError
from graph.cypher import Query
from graph.errors import DatabaseTimeoutError, DatabaseUnavailableError
from graph.tallies import drive_async, merge_trees, refresh_steps

__all__ = [
    "QUERY_TIMEOUT_S",
    "Context",
    "item_or_none",
    "require_one",
    "run_counted_write",
    "run_query",
]

T = TypeVar("T")

QUERY_TIMEOUT_S = 10.0  # the default deadline of a request's database work (seconds)

# Round trips given up at the deadline but still running (shielded, see run_query): held
# here so that they are not garbage-collected mid-flight.
_ABANDONED: set[asyncio.Future[Any]] = set()


@dataclass
class Context:
    driver: neo4j.AsyncDriver
    database: str
    principal: Principal = ANONYMOUS
    round_trips: int = 0
    # Seconds all of the request's database work may take, from ``started`` on (the
    # setting INNOGRAPH_QUERY_DEADLINE); its fields share it.
    deadline: float = QUERY_TIMEOUT_S
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return self.started + self.deadline - time.monotonic()


def _timed_out(ctx: Context) -> DatabaseTimeoutError:
    return DatabaseTimeoutError(
        f"the database did not answer within {ctx.deadline:g} s; try again", ""
    )


def _unavailable() -> DatabaseUnavailableError:
    return DatabaseUnavailableError(
        "the database is unavailable; try again in a moment (the operators are told by /healthz)",
        "",
    )


def _forget(task: asyncio.Future[Any]) -> None:
    _ABANDONED.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: an abandoned failure is not logged as unhandled


def _round_trip(ctx: Context) -> float:
    """Count a round trip and say how long it may take (past the deadline: timed out)."""
    ctx.round_trips += 1
    remaining = ctx.remaining()
    if remaining <= 0:
        raise _timed_out(ctx)
    return remaining


async def _within(ctx: Context, remaining: float, work: Coroutine[Any, Any, T]) -> T:
    """``work`` within the deadline, shielded: when a sibling field fails, GraphQL execution
    cancels the others, and a driver cancelled mid-connect leaves its socket behind. The
    work finishes (bounded by its timeout and the driver's connection timeouts) and its
    result is dropped instead; at the deadline the request stops waiting for it the same
    way."""
    task = asyncio.ensure_future(work)
    _ABANDONED.add(task)
    task.add_done_callback(_forget)
    try:
        async with asyncio.timeout(remaining):
            return await asyncio.shield(task)
    except TimeoutError as e:
        raise _timed_out(ctx) from e
    except (ServiceUnavailable, SessionExpired) as e:  # IncompleteCommit among them
        raise _unavailable() from e
    except Neo4jError as e:
        if e.code and "TransactionTimedOut" in e.code:
            raise _timed_out(ctx) from e
        raise


async def run_counted_write(
    info: Info[Context, None], query: Query, orgs: Sequence[str]
) -> list[neo4j.Record]:
    """A mutation that moves counts (a merge, an undo): its query and, in the same
    transaction, the maintained counts of the merge trees of ``orgs`` before and after it
    (graph.tallies), within the request's deadline like :func:`run_query`."""
    ctx = info.context
    remaining = _round_trip(ctx)
    text, params = query

    @neo4j.unit_of_work(timeout=remaining)
    async def work(tx: neo4j.AsyncManagedTransaction) -> list[neo4j.Record]:
        trees_text, trees_params = merge_trees(orgs)
        before = await (await tx.run(trees_text, trees_params)).single(strict=True)
        records = [r async for r in await tx.run(text, params)]
        await drive_async(tx, refresh_steps({*orgs, *before["ids"]}, trees=True))
        return records

    async def go() -> list[neo4j.Record]:
        async with ctx.driver.session(database=ctx.database) as session:
            return await session.execute_write(work)

    return await _within(ctx, remaining, go())


async def run_query(
    info: Info[Context, None], query: Query, write: bool = False
) -> list[neo4j.Record]:
    """The one round trip of a field, within what is left of the request's deadline
    (connecting included); past it :class:`~graph.errors.DatabaseTimeoutError`, and
    :class:`~graph.errors.DatabaseUnavailableError` when the server cannot be reached.
    Neither message names the server: they reach the client."""
    ctx = info.context
    remaining = _round_trip(ctx)
    text, params = query
    records, _, _ = await _within(
        ctx,
        remaining,
        ctx.driver.execute_query(
            neo4j.Query(text, timeout=remaining),
            params,
            database_=ctx.database,
            routing_=neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ,
        ),
    )
    return records


def require_one(records: Sequence[neo4j.Record], missing: str) -> neo4j.Record:
    """The first record of a lookup that must find what it names; none: the not-found
    refusal, :class:`~api.errors.EditRefusedError` with ``missing`` as its message
    (``extensions.code`` NOT_FOUND)."""
    if not records:
        raise EditRefusedError(missing, "NOT_FOUND")
    return records[0]


def item_or_none(records: Sequence[neo4j.Record]) -> dict[str, Any] | None:
    """The ``item`` of a lookup's first record, or None when nothing answered: an
    organisation or node that does not exist is null (as Relay's ``node`` answers)."""
    item = records[0]["item"] if records else None
    return dict(item) if item else None
