"""The registry's names for the extractor's gazetteer: one read, as nlp Entry records."""

from __future__ import annotations

import neo4j

from graph.cypher import Query
from graph.predicates import not_merged
from nlp.gazetteer import Entry

__all__ = ["read_registry", "registry_names"]


def registry_names() -> Query:
    """Every name, alias and former name of organisations, consortia, technologies, areas
    and standards (merged organisations excluded: their names live on the kept one)."""
    return (
        f"MATCH (o:Organization) WHERE {not_merged('o')} "
        "RETURN 'ORG' AS label, 'Organization' AS node_label, o.id AS node, "
        "  [o.name, o.name_en] AS names, coalesce(o.aliases, []) AS aliases, "
        "  coalesce(o.former_names, []) AS former "
        "UNION ALL MATCH (c:Consortium) RETURN 'ORG' AS label, 'Consortium' AS node_label, "
        "  c.id AS node, [c.name] AS names, [] AS aliases, [] AS former "
        "UNION ALL MATCH (t:Technology) RETURN 'TECH' AS label, 'Technology' AS node_label, "
        "  t.id AS node, [t.name_zh, t.name_en] AS names, coalesce(t.aliases, []) AS aliases, [] AS former "
        "UNION ALL MATCH (a:Area) RETURN 'AREA' AS label, 'Area' AS node_label, a.id AS node, "
        "  [a.name_zh, a.name_en] AS names, coalesce(a.aliases, []) AS aliases, [] AS former "
        "UNION ALL MATCH (s:GroupStandard) RETURN 'STANDARD' AS label, 'GroupStandard' AS node_label, "
        "  s.code AS node, [s.code] AS names, [] AS aliases, [] AS former",
        {},
    )


def read_registry(driver: neo4j.Driver, database: str | None = None) -> list[Entry]:
    text, params = registry_names()
    records, _, _ = driver.execute_query(text, params, database_=database)
    entries: list[Entry] = []
    for r in records:
        for kind, names in (
            ("name", r["names"]),
            ("alias", r["aliases"]),
            ("former_name", r["former"]),
        ):
            entries += [
                Entry(
                    r["label"],
                    n,
                    r["node"],
                    "code" if r["label"] == "STANDARD" else kind,
                    r["node_label"],
                )
                for n in names
                if n and str(n).strip()
            ]
    return entries
