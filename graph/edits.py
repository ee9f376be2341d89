"""The bureau's corrections: pure Cypher builders, each change audited in the same transaction.

Every edit is idempotent (asking for the state that already holds changes nothing and
writes no audit entry) and records who, when, before and after in an ``AuditEntry``.
"""

from __future__ import annotations

import re
from typing import Any

from graph.audit import as_text, audit_params, audit_tail, lock
from graph.cypher import Query
from graph.errors import WhitelistError
from graph.merges import MERGE_DEPTH

__all__ = [
    "EDITABLE_ORG_FIELDS",
    "correct_organization",
    "end_membership",
    "figure_key",
    "membership_since",
    "name_fields",
    "report_figure",
    "set_membership",
    "withdraw_figure",
]

EDITABLE_ORG_FIELDS = ("name", "name_zh", "name_en", "uscc", "status")
# Chinese characters (CJK unified ideographs and extension A): a name in Chinese.
_CJK = re.compile(r"[\u3400-\u9fff]")


# The shared parts, under the names this module always used.
_text, _lock, _audit_params = as_text, lock, audit_params
_AUDIT = audit_tail()


def name_fields(changes: dict[str, Any]) -> dict[str, Any]:
    """The name fields a correction sets: a new ``name`` goes to ``name_zh`` when it has Chinese
    characters, else to ``name_en`` (unless that is given too), so no field keeps the old name."""
    out = dict(changes)
    name = out.get("name")
    if name is not None:
        if _CJK.search(name):
            out["name_zh"] = name
        else:
            out.setdefault("name_en", name)
    return out


def correct_organization(
    key: str, changes: dict[str, Any], *, who: str, role: str, reason: str
) -> Query:
    """Set the given fields of an organisation (only fields of EDITABLE_ORG_FIELDS).

    A new name is written to every field that carries the name (see :func:`name_fields`; an
    English ``name_en`` that was also the ``name`` takes ``name`` with it), and each name it
    replaces becomes a former name, with the day in ``name_history`` ("YYYY-MM-DD|name"),
    never an alias. A USCC that another organisation holds comes back as ``refusal``
    (``uscc_taken``, with that organisation's id and name) and nothing is written.
    """
    unknown = set(changes) - set(EDITABLE_ORG_FIELDS)
    if unknown:
        raise WhitelistError(
            f"fields {sorted(unknown)} cannot be corrected; use {', '.join(EDITABLE_ORG_FIELDS)}"
        )
    # (null-free: `x IN [a, null]` is null, not false, when x is not a)
    current = "[n IN [after.name, after.name_zh, after.name_en] WHERE n IS NOT NULL]"
    return (
        "MATCH (o:Organization {id: $target}) " + _lock("o") + "WITH o "
        "WITH o, o {.name, .name_zh, .name_en, .uscc, .status} AS before, "
        "head(COLLECT { MATCH (h:Organization) WHERE h.uscc = $changes.uscc AND h <> o "
        "RETURN h {.id, .name} ORDER BY h.id }) AS holder "
        "WITH o, before, holder, coalesce($changes.name, CASE WHEN $changes.name_en IS NOT NULL "
        "AND before.name = before.name_en THEN $changes.name_en END, before.name) AS name "
        "WITH o, before, holder, before {.*, name: name, "
        + ", ".join(
            f"{f}: coalesce($changes.{f}, before.{f})" for f in EDITABLE_ORG_FIELDS if f != "name"
        )
        + "} AS after "
        "WITH o, before, after, CASE WHEN holder IS NOT NULL THEN "
        "{code: 'uscc_taken', id: holder.id, name: holder.name, uscc: $changes.uscc} END AS refusal "
        "WITH o, before, after, refusal, refusal IS NULL AND "
        "any(f IN keys(after) WHERE coalesce(after[f] <> before[f], after[f] IS NOT NULL)) AS changed, "
        # the names a change of name replaces, each once
        "CASE WHEN after.name <> before.name THEN [n IN [before.name, before.name_zh, before.name_en] "
        f"WHERE n IS NOT NULL AND NOT n IN {current}] ELSE [] END AS replaced "
        "WITH o, before, after, refusal, changed, "
        "[i IN range(0, size(replaced) - 1) WHERE NOT replaced[i] IN replaced[0..i] | replaced[i]] AS gone "
        "WITH o, before, after, refusal, changed, gone, "
        f"[n IN coalesce(o.former_names, []) WHERE NOT n IN {current}] AS kept_former, "
        f"[n IN coalesce(o.aliases, []) WHERE NOT n IN {current}] AS aliases "
        "WITH o, before, after, refusal, changed, gone, aliases, "
        "kept_former + [n IN gone WHERE NOT n IN kept_former] AS former "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "SET o.name = after.name, o.name_zh = after.name_zh, o.name_en = after.name_en, "
        "o.uscc = after.uscc, o.status = after.status, "
        "o.corrected_by = $who, o.corrected_at = datetime(), "
        "o.former_names = former, o.aliases = aliases, "
        "o.name_history = coalesce(o.name_history, []) + [n IN gone | toString(date()) + '|' + n], "
        "o.alias_text = reduce(t = '', n IN aliases + former | "
        "t + CASE WHEN t = '' THEN '' ELSE '\\n' END + n)) "
        f"WITH changed, refusal, {_text('before')} AS before, "
        f"{_text('after')} AS after " + audit_tail("refusal"),
        {
            "changes": name_fields(changes),
            **_audit_params("correctOrganization", key, who, role, reason),
        },
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
            **_audit_params("setMembership", org, who, role, reason, (consortium,)),
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
            **_audit_params("endMembership", org, who, role, reason, (consortium,)),
        },
    )


def figure_key(indicator: str, area: str | None, as_of: Any) -> str:
    """The key of a reported figure: one per indicator, area (none: the district) and date."""
    return f"{indicator}|{area or ''}|{as_of}"


# What a figure's audit entry shows of it.
_FIGURE = "f {.value, .unit, .source, .withdrawn_at, .withdrawn_by, .withdrawn_reason}"


def report_figure(figure: dict[str, Any], *, who: str, role: str, reason: str) -> Query:
    """A reported figure for an indicator the registry cannot count, with its source.

    Reporting it again with another value, unit or source corrects it (the audit entry keeps
    the old one); reporting a withdrawn figure again enters it anew."""
    key = figure_key(figure["indicator"], figure.get("area"), figure["as_of"])
    return (
        # MERGE first: it locks the figure (created or found) before its state is read
        "MERGE (f:ReportedFigure {id: $target}) ON CREATE SET f._new = true "
        + _lock("f")
        + f"WITH f, CASE WHEN f._new THEN null ELSE {_FIGURE} END AS b "
        "REMOVE f._new "
        "WITH f, b, {value: $figure.value, unit: $figure.unit, source: $figure.source} AS a "
        "WITH f, b, a, b IS NULL OR b.value <> a.value OR b.unit <> a.unit "
        "OR coalesce(b.source <> a.source, true) OR b.withdrawn_at IS NOT NULL AS changed "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "SET f += $figure, f.entered_by = $who, f.entered_at = datetime(), "
        "f.prov_source = 'bureau:' + $who, "
        "f.withdrawn_at = null, f.withdrawn_by = null, f.withdrawn_reason = null) "
        f"WITH changed, {_text('b')} AS before, {_text('a')} AS after " + _AUDIT,
        {"figure": figure, **_audit_params("reportFigure", key, who, role, reason)},
    )


def withdraw_figure(key: str, *, who: str, role: str, reason: str) -> Query:
    """Retract a reported figure: nothing is deleted, the figure is marked withdrawn (who,
    when, why) and every read ignores it. No row: no such figure."""
    return (
        "MATCH (f:ReportedFigure {id: $target}) " + _lock("f") + "WITH f "
        f"WITH f, {_FIGURE} AS b, f.withdrawn_at IS NULL AS changed "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "SET f.withdrawn_at = datetime(), f.withdrawn_by = $who, f.withdrawn_reason = $reason) "
        f"WITH changed, b, {_FIGURE} AS a "
        f"WITH changed, {_text('b')} AS before, {_text('a')} AS after " + _AUDIT,
        _audit_params("withdrawFigure", key, who, role, reason),
    )
