"""Cypher for the loader's own reads: what the graph already knows before a load."""

from __future__ import annotations

from collections.abc import Sequence

from graph.cypher import Query

__all__ = ["area_ids", "known_orgs", "overlapping_recognitions", "source_node", "sources"]


def known_orgs(exclude_source: str) -> Query:
    """Organisations already in the graph, except those only ``exclude_source`` stated, in
    key order."""
    return (
        "MATCH (o:Organization) "
        "WHERE NOT coalesce(o.prov_sources, []) = [$source] "
        "RETURN o.id AS id, o.name AS name, o.kind AS kind, o.uscc AS uscc, "
        "o.aliases AS aliases, o.former_names AS former, o.name_en AS name_en, "
        "o.region AS region, o.synthetic AS synthetic "
        # in key order: resolution keeps the first of equal candidates, so a load must not
        # depend on the order the store happens to return them in
        "ORDER BY o.id",
        {"source": exclude_source},
    )


def source_node(source: str) -> Query:
    """The Source node of an earlier load of ``source``."""
    return ("MATCH (s:Source {id: $id}) RETURN properties(s) AS p", {"id": source})


def sources() -> Query:
    """Every loaded source with its bookkeeping, by name."""
    return (
        "MATCH (s:Source) RETURN s.id AS name, s.kind AS kind, s.uri AS uri, "
        "s.loaded_at AS loaded_at, s.rows_ok AS rows_ok, s.rows_rejected AS rows_rejected, "
        "s.rejects AS rejects, s.review AS review, s.overlaps AS overlaps, "
        "s.sha256 AS sha256, s.synthetic AS synthetic ORDER BY name",
        {},
    )


def area_ids() -> Query:
    """The key of every area in the graph."""
    return ("MATCH (a:Area) RETURN a.id AS id ORDER BY id", {})


def overlapping_recognitions(ids: Sequence[str]) -> Query:
    """Recognitions of the same kind that one organisation holds with overlapping validity
    windows (an open end overlaps everything after its start), for each recognition in
    ``ids``: one row per (recognition in ``ids``, other); a pair of two in ``ids`` comes
    twice. Index seeks from each id; only the organisation's own recognitions are read."""
    return (
        "UNWIND $ids AS rid "
        "MATCH (r:Recognition {id: rid})<-[:HOLDS]-(o:Organization)-[:HOLDS]->(x:Recognition) "
        # the organisation that stands (a root holds its merged entries' recognitions too)
        "WHERE NOT EXISTS { (o)-[:SAME_AS]->() } "
        "AND x.kind = r.kind AND x <> r AND r.valid_from IS NOT NULL "
        "AND x.valid_from IS NOT NULL "
        "AND (x.valid_to IS NULL OR r.valid_from <= x.valid_to) "
        "AND (r.valid_to IS NULL OR x.valid_from <= r.valid_to) "
        "RETURN o.id AS org, o.name AS name, "
        "r {.id, .kind, .cert_no, .valid_from, .valid_to, .prov_source, .prov_row} AS a, "
        "x {.id, .kind, .cert_no, .valid_from, .valid_to, .prov_source, .prov_row} AS b",
        {"ids": list(ids)},
    )
