"""What every bureau edit shares: the entity lock, the audit entry, before/after as text.

Each edit is one Cypher query: lock the entities, read their "before" state, change them
only if something differs, and write an ``AuditEntry`` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["as_text", "audit_params", "audit_tail", "lock"]


def as_text(var: str) -> str:
    """A map as a list of 'key=value' strings (properties cannot hold maps)."""
    return f"[k IN keys({var}) | k + '=' + coalesce(toString({var}[k]), '')]"


def lock(var: str) -> str:
    """A node's write lock, taken before its "before" state is read: concurrent identical
    edits then run one after the other, and each one after the first sees the state the
    first left (reads are read-committed), finds nothing to change and writes no entry."""
    return f"SET {var}._lock = true REMOVE {var}._lock "


def audit_tail(*extra: str, entities: str = "$entities") -> str:
    """Write an AuditEntry when ``changed``; returns changed, before, after (and ``extra``).
    ``entities`` is the Cypher list of the entities concerned, when the query finds some.

    "changed" compares the fields an edit sets one by one (comparing whole maps gives null
    as soon as a value is null)."""
    returns = ", ".join(["changed", "before", "after", *extra])
    return (
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "CREATE (:AuditEntry {id: randomUUID(), who: $who, role: $role, at: datetime(), "
        f"action: $action, target: $target, entities: {entities}, reason: $reason, "
        "before: before, after: after})) "
        f"RETURN {returns}"
    )


def audit_params(
    action: str, target: str, who: str, role: str, reason: str, related: Sequence[str] = ()
) -> dict[str, Any]:
    """The audit entry's parameters: ``target`` is the entity edited; ``related`` the others
    the edit concerns (the consortium of a membership, the entry merged), so that the audit
    trail of each of them (its ``entities``) shows the entry."""
    return {
        "action": action,
        "target": target,
        "entities": list(dict.fromkeys([target, *related])),
        "who": who,
        "role": role,
        "reason": reason,
    }
