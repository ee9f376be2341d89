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


def _upsert(v: str, on_create_extra: str = "", on_update_extra: str = "") -> str:
    """What the merged node or relationship ``v`` takes from its row, and the counts.

    The first source that states a fact owns it: its values are written, and its
    provenance (source, row, load) stays on the element. Any other source only fills
    properties still missing, so two lists that disagree do not overwrite each other on
    every load. ``_hashes`` keeps one content hash per source: a source whose statement has
    not changed writes nothing. ``prov_sources`` lists every source that stated it.

    A new element is written whole by ON CREATE (the bulk-load path); the checks below then
    find nothing to do for it. Creations are counted from the summary's counters.
    """
    return (
        f"ON CREATE SET {v} += row.props, {v} += row.prov, {v}._phash = row.phash, "
        f"{v}._hashes = [row.prov.prov_source + ':' + row.hash], "
        f"{v}.prov_sources = [row.prov.prov_source], {v}.updated_at = datetime($now)"
        f"{on_create_extra} "
        f"WITH {v}, row, coalesce({v}.prov_source = row.prov.prov_source, true) AS owner, "
        "row.prov.prov_source + ':' + row.hash AS stamp "
        f"WITH {v}, row, owner, stamp, NOT stamp IN {v}._hashes AS changed, "
        f"owner AND {v}._phash <> row.phash AS moved, "
        f"NOT row.prov.prov_source IN {v}.prov_sources AS new_source "
        # the old values are only needed where another source fills gaps
        f"WITH {v}, row, owner, stamp, changed, moved, new_source, "
        f"CASE WHEN changed AND NOT owner THEN properties({v}) END AS before "
        f"FOREACH (_ IN CASE WHEN changed AND owner THEN [1] ELSE [] END | SET {v} += row.props) "
        "FOREACH (_ IN CASE WHEN changed AND NOT owner THEN [1] ELSE [] END | "
        f"SET {v} += row.props, {v} += before) "
        "FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END | "
        f"SET {v}._hashes = [h IN {v}._hashes "
        "WHERE NOT h STARTS WITH row.prov.prov_source + ':'] + stamp, "
        f"{v}.updated_at = datetime($now){on_update_extra}) "
        "FOREACH (_ IN CASE WHEN moved THEN [1] ELSE [] END | "
        f"SET {v} += row.prov, {v}._phash = row.phash) "
        "FOREACH (_ IN CASE WHEN new_source THEN [1] ELSE [] END | "
        f"SET {v}.prov_sources = {v}.prov_sources + row.prov.prov_source) "
        "RETURN count(*) AS matched, "
        "count(CASE WHEN changed OR moved OR new_source THEN 1 END) AS updated"
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
    set_kinds = "".join(f", n:`{k}`" for k in kind_labels)
    fix_kinds = set_kinds + "".join(f" REMOVE n:`{k}`" for k in others)
    query = f"UNWIND $rows AS row MERGE (n:`{label}` {{`{key}`: row.key}}) " + _upsert(
        "n", set_kinds, fix_kinds
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
        f"MERGE (a)-[r:`{rel_type}`{rel_key}]->(b) " + _upsert("r")
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
