"""The audit trail: the bureau's edits (who, role, when, action, before, after, reason) of
one entity or all of them, newest first, a page at a time."""

from __future__ import annotations

from datetime import datetime

from graph.cypher import Query

__all__ = ["audit_trail"]

# Entries written before they listed the entities they concern name only their target.
_CONCERNS = "($entity IS NULL OR a.target = $entity OR $entity IN coalesce(a.entities, []))"


def audit_trail(*, entity: str | None, since: datetime | None, offset: int, limit: int) -> Query:
    """A page of audit entries of ``entity`` (None: every entity) at or after ``since``, newest
    first (ties by id, so pages never overlap), with the number of them all."""
    where = f"{_CONCERNS} AND ($since IS NULL OR a.at >= $since)"
    return (
        f"CALL () {{ MATCH (a:AuditEntry) WHERE {where} RETURN count(a) AS total }} "
        f"CALL () {{ MATCH (a:AuditEntry) WHERE {where} "
        "WITH a ORDER BY a.at DESC, a.id DESC SKIP $offset LIMIT $limit "
        "RETURN collect(a {.id, .who, .role, .at, .action, .target, .entities, .reason, "
        ".before, .after}) AS items } "
        "RETURN total, items",
        {"entity": entity, "since": since, "offset": offset, "limit": limit},
    )
