"""Node counts per label and relationship counts per type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import neo4j

from graph.cypher import stats_labels, stats_rels

__all__ = ["GraphStats", "graph_stats"]


@dataclass(frozen=True, slots=True)
class GraphStats:
    nodes: dict[str, int]
    relationships: dict[str, int]

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {"nodes": self.nodes, "relationships": self.relationships}


def _read_all(
    tx: neo4j.ManagedTransaction, text: str, params: dict[str, Any]
) -> list[neo4j.Record]:
    return list(tx.run(text, params))


def graph_stats(driver: neo4j.Driver, database: str | None = None) -> GraphStats:
    result = {}
    # Labels of the model that no node has yet draw "unknown label" notices: not news here.
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        for name, (text, params) in (("label", stats_labels()), ("type", stats_rels())):
            records = session.execute_read(_read_all, text, params)
            result[name] = {r[name]: r["count"] for r in records}
    return GraphStats(result["label"], result["type"])
