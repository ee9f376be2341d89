"""A hash of the whole graph's content, for 'the same graph' assertions."""

from __future__ import annotations

import hashlib
import json

import neo4j

# Wall-clock stamps differ between two runs that state the same facts; _hashes are derived
# from the other properties (stamps included), which are compared one by one.
TIME_FIELDS = {"updated_at", "retrieved_at", "loaded_at", "_hashes"}


def _clean(props: dict[str, object]) -> dict[str, object]:
    return {k: str(v) for k, v in props.items() if k not in TIME_FIELDS}


def graph_digest(driver: neo4j.Driver) -> tuple[int, int, str]:
    """(node count, relationship count, sha256 of every label set, property and edge)."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
    )
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, "
        "coalesce(a.id, a.code) AS a, coalesce(b.id, b.code) AS b"
    )
    items = sorted(
        json.dumps([sorted(r["labels"]), _clean(r["props"])], sort_keys=True, ensure_ascii=False)
        for r in nodes
    )
    items += sorted(
        json.dumps(
            [r["type"], r["a"], r["b"], _clean(r["props"])], sort_keys=True, ensure_ascii=False
        )
        for r in rels
    )
    return len(nodes), len(rels), hashlib.sha256("\n".join(items).encode()).hexdigest()


# Where a fact was printed (row, page) and which file version stated it (load) differ
# between two formats of one list; the Source and audit bookkeeping name the file.
PLACE_FIELDS = {"prov_row", "prov_page", "prov_load"}
BOOKKEEPING = ("Source", "AuditEntry")


def facts_digest(driver: neo4j.Driver) -> tuple[int, int, str]:
    """:func:`graph_digest` of the facts alone: the same for one list loaded from a CSV, a
    workbook or a PDF (stamps, hashes, rows, pages, loads and bookkeeping nodes left out)."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT any(l IN labels(n) WHERE l IN $skip) "
        "RETURN labels(n) AS labels, properties(n) AS props",
        skip=list(BOOKKEEPING),
    )
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE NOT any(l IN labels(a) + labels(b) WHERE l IN $skip) "
        "RETURN type(r) AS type, properties(r) AS props, "
        "coalesce(a.id, a.code) AS a, coalesce(b.id, b.code) AS b",
        skip=list(BOOKKEEPING),
    )

    def facts(props: dict[str, object]) -> dict[str, object]:
        return {
            k: v
            for k, v in _clean(props).items()
            if k not in PLACE_FIELDS and not k.startswith("_")
        }

    items = sorted(
        json.dumps([sorted(r["labels"]), facts(r["props"])], sort_keys=True, ensure_ascii=False)
        for r in nodes
    )
    items += sorted(
        json.dumps(
            [r["type"], r["a"], r["b"], facts(r["props"])], sort_keys=True, ensure_ascii=False
        )
        for r in rels
    )
    return len(nodes), len(rels), hashlib.sha256("\n".join(items).encode()).hexdigest()
