"""The audit trail: every edit of the registry with who, role, when, before, after and why,
readable with an analyst or bureau key (never anonymously), newest first, a page at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.auth import ANONYMOUS, Role
from api.errors import AuthError, ForbiddenError, InputError
from api.graphql.context import Context, run_query
from api.graphql.convert import native
from api.graphql.relay import (
    DEFAULT_PAGE,
    Connection,
    connection,
    decode_id,
    global_id,
    offset_after,
    page_size,
)
from api.graphql.types import AuditEntry
from graph import reads

__all__ = ["AuditQueries"]

READERS = (Role.ANALYST, Role.BUREAU)


def _require_reader(info: Info[Context, None]) -> None:
    p = info.context.principal
    if p is ANONYMOUS:
        raise AuthError(
            "the audit trail needs an API key with the analyst or bureau role: "
            "Authorization: Bearer <key>"
        )
    if p.role not in READERS:
        raise ForbiddenError(
            f"{p.name} ({p.role}) may not read the audit trail: it needs an API key with the "
            "analyst or bureau role"
        )


def _entity_key(entity: str | None) -> str | None:
    """A plain key (organisation, consortium, figure), or a global id of this API."""
    if entity is None:
        return None
    if not entity.strip():
        raise InputError("entity: give an entity's key or global id, or leave it out for all")
    try:
        return decode_id(entity)[1]
    except InputError:
        return entity


def _to_entry(d: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=global_id("AuditEntry", d["id"]),
        who=d["who"],
        role=d["role"],
        at=native(d["at"]),
        action=d["action"],
        entity=d["target"],
        entities=list(d.get("entities") or [d["target"]]),
        before=sorted(d.get("before") or []),
        after=sorted(d.get("after") or []),
        reason=d.get("reason") or "",
    )


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description="The audit trail (analyst or bureau key): every edit of the registry, "
        "newest first, with who, role, when, action, before, after and reason."
    )
    async def audit_trail(
        self,
        info: Info[Context, None],
        entity: Annotated[
            str | None,
            strawberry.argument(
                description="Only the edits concerning this entity: an organisation's or "
                "consortium's key or global id, or a reported figure's key "
                "(indicator|area|date). Default: every edit."
            ),
        ] = None,
        since: Annotated[
            datetime | None,
            strawberry.argument(
                description="Only the edits made at or after this time (ISO 8601; UTC when no "
                "offset is given)."
            ),
        ] = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[AuditEntry]:
        _require_reader(info)
        limit, offset = page_size(first), offset_after(after)
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        query = reads.audit_trail(
            entity=_entity_key(entity), since=since, offset=offset, limit=limit + 1
        )
        (row,) = await run_query(info, query)
        result: Connection[AuditEntry] = connection(row, offset, limit, _to_entry)
        return result
