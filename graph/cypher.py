"""Cypher for writes, built by small pure functions returning ``(query, params)``.

Labels and relationship types come from :mod:`graph.model` enumerations only; every value
travels as a parameter. Each write query reports what it created and changed, and a row
whose content hash is unchanged is not written again (so a re-load changes nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.model import ORG_KINDS, Label, RelType, key_of

__all__ = ["Query", "delete_all", "merge_nodes", "merge_rels", "stats_labels", "stats_rels"]

Query = tuple[str, dict[str, Any]]

_COUNT_CHANGES = (
    "RETURN count(*) AS matched, "
    "count(CASE WHEN created THEN 1 END) AS created, "
    "count(CASE WHEN changed AND NOT created THEN 1 END) AS updated"
)


def merge_nodes(
    label: Label, rows: Sequence[dict[str, Any]], now: str, kinds: Sequence[Label] = ()
) -> Query:
    """Upsert nodes of ``label`` by its key; ``kinds`` are extra organisation labels."""
    label = Label(label)
    key = key_of(label)
    kind_labels = sorted(Label(k) for k in kinds)
    if any(k not in ORG_KINDS for k in kind_labels):
        raise ValueError(f"kinds {kind_labels} are not organisation kinds")
    # An organisation has one kind: set it and drop any other a source guessed before.
    others = sorted(ORG_KINDS - set(kind_labels)) if kind_labels else []
    set_kinds = "".join(f" SET n:`{k}`" for k in kind_labels) + "".join(
        f" REMOVE n:`{k}`" for k in others
    )
    query = (
        "UNWIND $rows AS row "
        f"MERGE (n:`{label}` {{`{key}`: row.key}})"
        f"{set_kinds} "
        "WITH n, row, n._hash IS NULL AS created, coalesce(n._hash <> row.hash, true) AS changed "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "SET n += row.props, n._hash = row.hash, n.updated_at = datetime($now), "
        # every source that ever stated the node, not only the last writer
        "n.prov_sources = CASE WHEN row.props.prov_source IN coalesce(n.prov_sources, []) "
        "THEN n.prov_sources ELSE coalesce(n.prov_sources, []) + row.props.prov_source END) "
        + _COUNT_CHANGES
    )
    return query, {"rows": list(rows), "now": now}


def merge_rels(
    rel_type: RelType,
    start: Label,
    end: Label,
    rows: Sequence[dict[str, Any]],
    now: str,
    keyed: bool = False,
) -> Query:
    """Upsert relationships between existing nodes; rows whose ends are missing match nothing."""
    rel_type = RelType(rel_type)
    start, end = Label(start), Label(end)
    skey, ekey = key_of(start), key_of(end)
    rel_key = " {key: row.rkey}" if keyed else ""
    query = (
        "UNWIND $rows AS row "
        f"MATCH (a:`{start}` {{`{skey}`: row.start}}) "
        f"MATCH (b:`{end}` {{`{ekey}`: row.end}}) "
        f"MERGE (a)-[r:`{rel_type}`{rel_key}]->(b) "
        "WITH r, row, r._hash IS NULL AS created, coalesce(r._hash <> row.hash, true) AS changed "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        "SET r += row.props, r._hash = row.hash, r.updated_at = datetime($now)) " + _COUNT_CHANGES
    )
    return query, {"rows": list(rows), "now": now}


def delete_all(batch_size: int = 10_000) -> Query:
    """Remove every node and relationship in batches (schema is kept)."""
    return (
        "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS",
        {"batch": batch_size},
    )


def stats_labels() -> Query:
    """Node count per label of the model; each count comes from Neo4j's count store."""
    parts = [
        f"MATCH (n:`{label}`) WITH count(n) AS count RETURN '{label}' AS label, count"
        for label in Label
    ]
    return " UNION ALL ".join(parts), {}


def stats_rels() -> Query:
    """Relationship count per type of the model, from the count store."""
    parts = [
        f"MATCH ()-[r:`{t}`]->() WITH count(r) AS count RETURN '{t}' AS type, count"
        for t in RelType
    ]
    return " UNION ALL ".join(parts), {}
