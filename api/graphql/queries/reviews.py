"""The bureau's review queue: pairs the loader was unsure of (graph/reviews.py)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from api.auth import Role
from api.errors import ForbiddenError
from api.graphql.context import Context, run_query
from api.graphql.convert import native, to_provenance
from api.graphql.relay import (
    DEFAULT_PAGE,
    Connection,
    Node,
    connection,
    global_id,
    offset_after,
    page_size,
)
from api.graphql.types import ProvenanceType
from graph.reviews import review_queue

__all__ = ["ReviewDecision", "ReviewEntry", "ReviewItem", "ReviewQueries", "to_review_item"]


@strawberry.enum(description="SAME: one organisation (merged); DISTINCT: two (never asked again).")
class ReviewDecision(Enum):
    SAME = "SAME"
    DISTINCT = "DISTINCT"


@strawberry.type(description="One entry of a pair under review.")
class ReviewEntry:
    key: str
    name: str | None
    uscc: str | None
    kind: str | None
    sources: list[str] = strawberry.field(description="Every source that lists the entry.")
    row: int | None = strawberry.field(description="Its row in the first source that listed it.")


@strawberry.type(
    description="A pair of entries the loader found similar but not enough to merge: the "
    "bureau decides whether they are one organisation."
)
class ReviewItem(Node):
    key: str
    organization: ReviewEntry = strawberry.field(description="The entry the load created.")
    candidate: ReviewEntry = strawberry.field(description="The existing entry it resembles.")
    score: float = strawberry.field(description="Name similarity, 0-100 (merged from 95).")
    evidence: str
    source: str | None = strawberry.field(description="The source whose row raised the pair.")
    row: int | None
    decision: str | None
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    provenance: ProvenanceType


def _entry(d: dict[str, Any], side: str) -> ReviewEntry:
    return ReviewEntry(
        key=d[f"{side}_id"],
        name=d.get(f"{side}_name"),
        uscc=d.get(f"{side}_uscc"),
        kind=d.get(f"{side}_kind"),
        sources=list(d.get(f"{side}_sources") or []),
        row=d.get(f"{side}_row"),
    )


def to_review_item(d: dict[str, Any]) -> ReviewItem:
    return ReviewItem(
        id=global_id("ReviewItem", d["id"]),
        key=d["id"],
        organization=_entry(d, "a"),
        candidate=_entry(d, "b"),
        score=float(d["score"]),
        evidence=d.get("evidence") or "",
        source=d.get("source"),
        row=d.get("row"),
        decision=d.get("decision"),
        decided_by=d.get("decided_by"),
        decided_at=native(d.get("decided_at")),
        reason=d.get("decision_reason"),
        provenance=to_provenance(d),
    )


@strawberry.type
class ReviewQueries:
    @strawberry.field(
        description="The pairs awaiting the bureau's decision (bureau keys only), the most "
        "similar first; a pair leaves the queue once decided (decideReview) or merged."
    )
    async def review_queue(
        self, info: Info[Context, None], first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[ReviewItem]:
        p = info.context.principal
        if p.role is not Role.BUREAU:
            raise ForbiddenError(
                f"{p.name} ({p.role}) may not read the review queue: it needs a bureau key"
            )
        limit, offset = page_size(first), offset_after(after)
        (row,) = await run_query(info, review_queue(offset=offset, limit=limit + 1))
        return connection(row, offset, limit, to_review_item)
