"""The registry's names for the extractor's gazetteer: its version (cheap, on every run) and
the names themselves (streamed, only when the version changed), as nlp Entry records."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from typing import TypeVar

import neo4j

from graph.cypher import Query
from graph.predicates import not_merged
from nlp.gazetteer import Entry

__all__ = ["read_registry", "read_registry_version", "registry_names", "registry_version"]

T = TypeVar("T")


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


def registry_version() -> Query:
    """What changes whenever a registry name may have changed, read without visiting the
    registry: the node counts of each named label and of merges (count store), every
    load's source with its time and content hash (a load writes names), and the number and
    latest time of audit entries (an edit or a merge writes one)."""
    return (
        "CALL () { MATCH (s:Source) WITH s ORDER BY s.id "
        "  RETURN collect([s.id, toString(s.loaded_at), s.sha256]) AS sources } "
        "CALL () { MATCH (e:AuditEntry) RETURN count(e) AS audits, toString(max(e.at)) AS last } "
        "RETURN sources, audits, last, "
        "  COUNT { (:Organization) } AS organizations, COUNT { (:Consortium) } AS consortia, "
        "  COUNT { (:Technology) } AS technologies, COUNT { (:Area) } AS areas, "
        "  COUNT { (:GroupStandard) } AS standards, COUNT { ()-[:SAME_AS]->() } AS merges",
        {},
    )


def read_registry_version(driver: neo4j.Driver, database: str | None = None) -> str:
    """The registry's version: a digest of :func:`registry_version`'s row."""
    text, params = registry_version()
    records, _, _ = driver.execute_query(
        text, params, database_=database, routing_=neo4j.RoutingControl.READ
    )
    row = json.dumps(records[0].data(), sort_keys=True, default=str)
    return hashlib.sha256(row.encode()).hexdigest()[:16]


def _entries(result: neo4j.Result) -> Iterator[Entry]:
    for r in result:
        for kind, names in (
            ("name", r["names"]),
            ("alias", r["aliases"]),
            ("former_name", r["former"]),
        ):
            for n in names:
                if n and str(n).strip():
                    code = "code" if r["label"] == "STANDARD" else kind
                    yield Entry(r["label"], n, r["node"], code, r["node_label"])


def read_registry(
    driver: neo4j.Driver, sink: Callable[[Iterator[Entry]], T], database: str | None = None
) -> T:
    """``sink`` applied to the registry's names as the driver streams them (one read
    transaction; a retried transaction calls ``sink`` again from the start)."""
    text, params = registry_names()
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        return session.execute_read(lambda tx: sink(_entries(tx.run(text, params))))
