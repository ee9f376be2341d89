"""Cypher for the loader's own reads: what the graph already knows before a load."""

from __future__ import annotations

from graph.cypher import Query

__all__ = ["area_ids", "known_orgs", "source_node", "sources"]


def known_orgs(exclude_source: str) -> Query:
    """Organisations already in the graph, except those only ``exclude_source`` stated."""
    return (
        "MATCH (o:Organization) "
        "WHERE NOT coalesce(o.prov_sources, []) = [$source] "
        "RETURN o.id AS id, o.name AS name, o.kind AS kind, o.uscc AS uscc, "
        "o.aliases AS aliases, o.former_names AS former, o.name_en AS name_en, "
        "o.region AS region, o.synthetic AS synthetic",
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
        "s.sha256 AS sha256, s.synthetic AS synthetic ORDER BY name",
        {},
    )


def area_ids() -> Query:
    """The key of every area in the graph."""
    return ("MATCH (a:Area) RETURN a.id AS id ORDER BY id", {})
