"""Merges: two entries that are one organisation, kept as history and read as one.

``(m)-[:SAME_AS]->(k)`` records that ``m`` is the same organisation as ``k``; nothing is
deleted. Entries form a forest: a merged entry points at one other, and the root of each
tree (the entry that stands, merged into nothing) is what every read shows and counts.

So that reads need not walk the forest, the root *holds* what its tree holds: each
recognition, membership, drafting and technology of an entry merged into it (directly or
through another) is copied onto the root, the copy marked ``via_merge`` with the entry's
id. The copies are a pure function of the forest and of the entries' own relationships:
:func:`rebuild` deletes a root's copies and writes them again, so a merge, an undo or a
load that adds to a merged entry all end in the same graph, and an undo restores exactly
the state before the merge.

Refusals (merging into a merged entry, which is also what would close a circle; undoing
what is not merged) come back as ``refusal`` so the API can say why in words.
"""

from __future__ import annotations

from graph.audit import as_text, audit_params, audit_tail, lock
from graph.cypher import Query

__all__ = [
    "MERGE_DEPTH",
    "MERGE_HELD",
    "merge_organizations",
    "rebuild",
    "refresh_merges",
    "root_of",
    "standing",
    "undo_merge",
]

# How long a chain of merges may be (a merge of a merged entry's root extends its chain).
MERGE_DEPTH = 8
# What a root holds of the entries merged into it: relationship type -> the target's label.
MERGE_HELD = {
    "HOLDS": "Recognition",
    "MEMBER_OF": "Consortium",
    "DRAFTED": "GroupStandard",
    "WORKS_ON": "Technology",
}


def root_of(var: str) -> str:
    """The entry that stands for ``var``: itself, or the root its merges lead to."""
    return (
        f"coalesce(head([({var})-[:SAME_AS*1..{MERGE_DEPTH}]->(r:Organization) "
        f"WHERE NOT EXISTS {{ (r)-[:SAME_AS]->() }} | r]), {var})"
    )


def _drop_copies(var: str) -> str:
    types = "|".join(MERGE_HELD)
    return (
        f"CALL ({var}) {{ MATCH ({var})-[c:{types}]->() WHERE c.via_merge IS NOT NULL DELETE c }} "
    )


def rebuild(var: str) -> str:
    """Cypher that makes the root ``var`` hold exactly what its tree holds (fixed text)."""
    copies = "".join(
        f"CALL ({var}, tree) {{ UNWIND tree AS x MATCH (x)-[h:{rel}]->(n:{label}) "
        f"WHERE h.via_merge IS NULL MERGE ({var})-[c:{rel}]->(n) "
        "ON CREATE SET c = properties(h), c.via_merge = x.id } "
        for rel, label in MERGE_HELD.items()
    )
    return (
        _drop_copies(var)
        + f"CALL ({var}) {{ OPTIONAL MATCH (x:Organization)-[:SAME_AS*1..{MERGE_DEPTH}]->({var}) "
        "WITH x ORDER BY x.id RETURN collect(x) AS tree } " + copies
    )


def merge_organizations(keep: str, merge: str, *, who: str, role: str, reason: str) -> Query:
    """Record that ``merge`` is the same organisation as ``keep`` (which must stand)."""
    return (
        "MATCH (k:Organization {id: $target}), (m:Organization {id: $merge}) WHERE k <> m "
        # both locked in the order of their ids: two merges of one pair never deadlock
        "CALL (k, m) { UNWIND CASE WHEN k.id < m.id THEN [k, m] ELSE [m, k] END AS n "
        + lock("n")
        + "} WITH k, m "
        "WITH k, m, head([(k)-[:SAME_AS]->(x) | x]) AS k_into, "
        "head([(m)-[:SAME_AS]->(x) | x]) AS m_into "
        "WITH k, m, m_into, CASE "
        "  WHEN k_into IS NOT NULL THEN {code: 'keep_merged', into: k_into.id, name: k_into.name} "
        "  WHEN m_into IS NOT NULL AND m_into <> k THEN {code: 'merge_merged', into: m_into.id, name: m_into.name} "
        "END AS refusal "
        "WITH k, m, refusal, m_into IS NULL AND refusal IS NULL AS changed, {status: m.status} AS b "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "MERGE (m)-[r:SAME_AS]->(k) SET r.by = $who, r.at = datetime(), r.reason = $reason, "
        "r.previous_status = m.status SET m.status = 'merged') "
        "WITH k, m, refusal, changed, b "
        # what m held (and its tree) is now held by k; m, no longer a root, holds no copies
        "CALL (k, m, changed) { WITH k, m WHERE changed "
        + _drop_copies("m")
        + rebuild("k")
        + "RETURN count(*) AS _rebuilt } "
        f"WITH changed, refusal, {as_text('b')} AS before, "
        "CASE WHEN changed THEN ['status=merged', 'into=' + k.id] ELSE [] END AS after "
        + audit_tail("refusal"),
        {"merge": merge, **audit_params("mergeOrganizations", keep, who, role, reason, (merge,))},
    )


def undo_merge(merge: str, *, who: str, role: str, reason: str) -> Query:
    """``merge`` stands on its own again, with the entries merged into it; exact reversal."""
    return (
        "MATCH (m:Organization {id: $target}) " + lock("m") + "WITH m "
        "OPTIONAL MATCH (m)-[s:SAME_AS]->(p:Organization) "
        f"WITH m, s, p, {root_of('p')} AS top "
        # the root is rebuilt below: locked first, so a merge into it waits for this undo
        "CALL (top) { WITH top WHERE top IS NOT NULL " + lock("top") + "} "
        "WITH m, s, p, top, s IS NOT NULL AS changed, "
        "CASE WHEN s IS NULL THEN {code: 'not_merged', into: null, name: m.name} END AS refusal, "
        "CASE WHEN s IS NULL THEN ['status=' + coalesce(m.status, 'active')] "
        "ELSE ['status=merged', 'into=' + p.id] END AS before "
        "SET m.status = CASE WHEN changed THEN coalesce(s.previous_status, 'active') ELSE m.status END "
        "DELETE s "
        "WITH m, top, changed, refusal, before, p.id AS parent "
        "CALL (m, top, changed) { WITH m, top WHERE changed "
        + rebuild("top")
        + "WITH m "
        + rebuild("m")
        + "RETURN count(*) AS _rebuilt } "
        "WITH changed, refusal, before, parent, "
        "CASE WHEN changed THEN ['status=' + m.status] ELSE [] END AS after "
        # the entry it was merged into shows the undo in its trail too
         + audit_tail("refusal", entities="$entities + coalesce(parent, [])"),
        audit_params("undoMerge", merge, who, role, reason),
    )


def standing(org: str) -> Query:
    """Whether the organisation stands, and if not, the root it stands as (no row: unknown)."""
    return (
        "MATCH (o:Organization {id: $id}) "
        f"WITH o, {root_of('o')} AS root "
        "RETURN o.name AS name, CASE WHEN root <> o THEN root {.id, .name} END AS merged_into",
        {"id": org},
    )


def refresh_merges() -> Query:
    """Rebuild every root that has entries merged into it (after a load: a loaded row may
    have added to a merged entry, and the root must hold that too). Idempotent."""
    return (
        # from the SAME_AS edges (the relationship-type index), not a scan of organisations
        "MATCH (:Organization)-[:SAME_AS]->(k:Organization) WITH DISTINCT k "
        "WHERE NOT EXISTS { (k)-[:SAME_AS]->() } "
        "CALL (k) { " + rebuild("k") + "} "
        "RETURN count(k) AS roots",
        {},
    )
