"""The whole registry, label by label, in key order: what `innograph export registry` writes."""

from __future__ import annotations

from graph.cypher import Query
from graph.model import Label, key_of

__all__ = ["DUMP_LABELS", "dump_page"]

# What the registry publishes, in this order (the audit trail is not the registry's content).
DUMP_LABELS = (
    Label.AREA,
    Label.TECHNOLOGY,
    Label.ORGANIZATION,
    Label.RECOGNITION,
    Label.CONSORTIUM,
    Label.GROUP_STANDARD,
    Label.DOCUMENT,
    Label.TARGET,
    Label.REPORTED_FIGURE,
    Label.SOURCE,
)


def dump_page(label: Label, *, after: str | None, limit: int) -> Query:
    """Up to ``limit`` nodes of ``label`` after the key ``after`` (keyset paging: each page
    costs the same), each with every property (provenance included: ``prov_*``), its other
    labels and its outgoing relationships with theirs."""
    prop = key_of(label)
    return (
        f"MATCH (n:`{label}`) WHERE $after IS NULL OR n.`{prop}` > $after "
        f"WITH n ORDER BY n.`{prop}` LIMIT $limit "
        f"RETURN n.`{prop}` AS key, [x IN labels(n) WHERE x <> $label] AS labels, "
        "properties(n) AS properties, "
        "[(n)-[r]->(m) | {type: type(r), to: coalesce(m.id, m.code), "
        "to_label: CASE WHEN m:Organization THEN 'Organization' ELSE head(labels(m)) END, "
        "properties: properties(r)}] AS relations",
        {"after": after, "limit": limit, "label": str(label)},
    )
