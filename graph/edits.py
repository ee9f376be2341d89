"""The bureau's corrections: pure Cypher builders, each change audited in the same transaction.

Every edit is idempotent (asking for the state that already holds changes nothing and
writes no audit entry) and records who, when, before and after in an ``AuditEntry``.
"""

from __future__ import annotations

from typing import Any

from graph.audit import as_text, audit_params, audit_tail, lock
from graph.cypher import Query
from graph.errors import WhitelistError
from graph.merges import MERGE_DEPTH

__all__ = [
    "EDITABLE_ORG_FIELDS",
    "correct_organization",
    "end_membership",
    "membership_since",
    "report_figure",
    "set_membership",
]

EDITABLE_ORG_FIELDS = ("name", "name_en", "uscc", "status")


# The shared parts, under the names this module always used.
_text, _lock, _audit_params = as_text, lock, audit_params
_AUDIT = audit_tail()


def correct_organization(
    key: str, changes: dict[str, Any], *, who: str, role: str, reason: str
) -> Query:
    """Set the given fields of an organisation (only fields of EDITABLE_ORG_FIELDS)."""
    unknown = set(changes) - set(EDITABLE_ORG_FIELDS)
    if unknown:
        raise WhitelistError(
            f"fields {sorted(unknown)} cannot be corrected; use {', '.join(EDITABLE_ORG_FIELDS)}"
        )
    return (
        "MATCH (o:Organization {id: $target}) " + _lock("o") + "WITH o "
        "WITH o, o {.name, .name_en, .uscc, .status} AS before "
        "WITH o, before, before {.*, "
        + ", ".join(f"{f}: coalesce($changes.{f}, before.{f})" for f in EDITABLE_ORG_FIELDS)
        + "} AS after "
        "WITH o, before, after, "
        "any(f IN keys($changes) WHERE o[f] IS NULL OR o[f] <> $changes[f]) AS changed "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "SET o += $changes, o.corrected_by = $who, o.corrected_at = datetime(), "
        "o.aliases = CASE WHEN $changes.name IS NOT NULL AND NOT before.name IN coalesce(o.aliases, []) "
        "THEN coalesce(o.aliases, []) + before.name ELSE o.aliases END) "
        f"WITH changed, {_text('before')} AS before, {_text('after')} AS after " + _AUDIT,
        {"changes": changes, **_audit_params("correctOrganization", key, who, role, reason)},
    )


def set_membership(
    org: str, consortium: str, member_role: str, since: Any, *, who: str, role: str, reason: str
) -> Query:
    return (
        "MATCH (o:Organization {id: $target}), (c:Consortium {id: $consortium}) "
        + _lock("o")
        + _lock("c")
        + "WITH o, c OPTIONAL MATCH (o)-[old:MEMBER_OF]->(c) "
        "WITH o, c, old, old {.role, .since, .until} AS b "
        "WITH o, c, old, b, {role: $member_role, since: coalesce($since, b.since), until: null} AS a "
        "WITH o, c, b, a, b IS NULL OR b.role <> a.role OR b.until IS NOT NULL "
        "OR ($since IS NOT NULL AND coalesce(b.since <> $since, true)) AS changed "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "MERGE (o)-[r:MEMBER_OF]->(c) SET r.role = $member_role, r.since = a.since, r.until = null, "
        # the bureau's word makes a membership held through a merge the organisation's own
        "r.prov_source = coalesce(r.prov_source, 'bureau:' + $who), r.edited_by = $who "
        "REMOVE r.via_merge) "
        f"WITH changed, {_text('b')} AS before, {_text('a')} AS after " + _AUDIT,
        {
            "consortium": consortium,
            "member_role": member_role,
            "since": since,
            **_audit_params("setMembership", org, who, role, reason),
        },
    )


def membership_since(org: str, consortium: str) -> Query:
    """When the organisation's membership of the consortium began (no row: not a member)."""
    return (
        "MATCH (:Organization {id: $target})-[r:MEMBER_OF]->(:Consortium {id: $consortium}) "
        "RETURN r.since AS since",
        {"target": org, "consortium": consortium},
    )


def end_membership(
    org: str, consortium: str, until: Any, *, who: str, role: str, reason: str
) -> Query:
    return (
        "MATCH (o:Organization {id: $target}), (c:Consortium {id: $consortium}) "
        + _lock("o")
        + _lock("c")
        + "WITH o, c MATCH (o)-[r:MEMBER_OF]->(c) "
        "WITH o, c, r, r {.role, .since, .until} AS b "
        "WITH o, c, r, b, b {.*, until: $until} AS a "
        "WITH o, c, r, b, a, coalesce(r.until <> $until, true) AS changed "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | SET r.until = $until, r.edited_by = $who) "
        # the entries merged into o are the same organisation: their memberships end too
        "WITH o, c, b, a, changed "
        f"CALL (o, c, changed) {{ WITH o, c WHERE changed "
        f"  MATCH (x:Organization)-[:SAME_AS*1..{MERGE_DEPTH}]->(o) MATCH (x)-[h:MEMBER_OF]->(c) "
        "  WHERE h.until IS NULL OR h.until > $until SET h.until = $until, h.edited_by = $who "
        "  RETURN count(h) AS _ended } "
        f"WITH changed, {_text('b')} AS before, {_text('a')} AS after " + _AUDIT,
        {
            "consortium": consortium,
            "until": until,
            **_audit_params("endMembership", org, who, role, reason),
        },
    )


def report_figure(figure: dict[str, Any], *, who: str, role: str, reason: str) -> Query:
    """A reported figure for an indicator the registry cannot count, with its source."""
    key = f"{figure['indicator']}|{figure.get('area') or ''}|{figure['as_of']}"
    return (
        # MERGE first: it locks the figure (created or found) before its state is read
        "MERGE (f:ReportedFigure {id: $target}) ON CREATE SET f._new = true "
        + _lock("f")
        + "WITH f, CASE WHEN f._new THEN null ELSE f {.value, .unit, .source} END AS b "
        "REMOVE f._new "
        "WITH f, b "
        "WITH b, {value: $figure.value, unit: $figure.unit, source: $figure.source} AS a "
        "WITH b, a, b IS NULL OR b.value <> a.value OR b.unit <> a.unit "
        "OR coalesce(b.source <> a.source, true) AS changed "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "MERGE (f:ReportedFigure {id: $target}) SET f += $figure, f.entered_by = $who, "
        "f.prov_source = 'bureau:' + $who) "
        f"WITH changed, {_text('b')} AS before, {_text('a')} AS after " + _AUDIT,
        {"figure": figure, **_audit_params("reportFigure", key, who, role, reason)},
    )
