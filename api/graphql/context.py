"""A request's context and the one round trip a field makes to Neo4j."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import neo4j
from strawberry.types import Info

from api.auth import ANONYMOUS, Principal
from graph.cypher import Query

__all__ = ["QUERY_TIMEOUT_S", "Context", "run_query"]

QUERY_TIMEOUT_S = 10.0


@dataclass
class Context:
    driver: neo4j.AsyncDriver
    database: str
    principal: Principal = ANONYMOUS
    round_trips: int = 0


async def run_query(
    info: Info[Context, None], query: Query, write: bool = False
) -> list[neo4j.Record]:
    """The one round trip of a field: a transaction with a server-side timeout."""
    ctx = info.context
    ctx.round_trips += 1
    text, params = query
    # Shielded: when a sibling field fails, GraphQL execution cancels the others, and a
    # driver cancelled mid-connect leaves its socket behind. The query finishes (bounded by
    # its timeout) and its result is dropped instead.
    records, _, _ = await asyncio.shield(
        ctx.driver.execute_query(
            neo4j.Query(text, timeout=QUERY_TIMEOUT_S),
            params,
            database_=ctx.database,
            routing_=neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ,
        )
    )
    return records
