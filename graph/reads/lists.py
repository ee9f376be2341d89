"""The other registry lists (consortia, standards, technologies, documents) and the areas."""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.cypher import Query
from graph.model import Label, key_of
from graph.predicates import in_area, in_force, member_on, not_merged, under_technology

__all__ = ["areas", "item_by_key", "list_page"]


def areas() -> Query:
    """Every area with its parent, the new area before its cities."""
    return (
        "MATCH (a:Area) OPTIONAL MATCH (a)-[:PART_OF]->(p:Area) "
        "RETURN a {.id, .name_zh, .name_en, .kind, parent: p.id} AS area "
        "ORDER BY p.id IS NOT NULL, a.id",
        {},
    )


# The other registry lists: label -> (filter, order, projection, the filter's parameters).
# Fixed text; values are parameters.
_LISTS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "Consortium": (
        f"{in_area('n')} AND {under_technology('n', 'FOCUSES_ON')} "
        "AND (n.established_on IS NULL OR n.established_on <= $as_of)",
        "n.name",
        "n {.id, .name, .level, .established_on, .tech_fields, .prov_source, .prov_row, .prov_sources, "
        # members on the date, each once: a merged entry's membership is read on its root
        "key: n.id, members: [(o)-[m:MEMBER_OF]->(n) WHERE "
        + not_merged("o")
        + " AND "
        + member_on("m")
        + " | {id: o.id, name: o.name, role: m.role, since: m.since, until: m.until}], "
        "technologies: [(n)-[:FOCUSES_ON]->(t) | t.id], "
        "technology_refs: [(n)-[:FOCUSES_ON]->(t) | t {.id, .name_zh, .name_en}]}",
        ("area", "technology", "as_of"),
    ),
    "GroupStandard": (
        # in force on the date, as the coverage matrix counts them
        f"{under_technology('n', 'COVERS')} AND {in_force('n')}",
        "n.code",
        "n {.code, .title_zh, .title_en, .status, .published_on, .effective_on, .ics, .prov_source, "
        ".prov_row, .prov_sources, key: n.code, "
        "issuer: head([(s)-[:ISSUED]->(n) | s.name]), "
        "drafters: [(o)-[d:DRAFTED]->(n) WHERE " + not_merged("o") + " | o.name], "
        "drafter_refs: [(o)-[d:DRAFTED]->(n) WHERE "
        + not_merged("o")
        + " | {id: o.id, name: o.name, uscc: o.uscc, order: d.order}], "
        "technologies: [(n)-[:COVERS]->(t) | t.id], "
        "technology_refs: [(n)-[:COVERS]->(t) | t {.id, .name_zh, .name_en}]}",
        ("technology", "as_of"),
    ),
    "Technology": (
        under_technology("n", None),
        "n.id",
        "n {.id, .name_zh, .name_en, .aliases, .in_plan, .prov_source, .prov_row, .prov_sources, key: n.id, "
        "broader: [(n)-[:BROADER]->(b) | b.id], narrower: [(x)-[:BROADER]->(n) | x.id], "
        "broader_refs: [(n)-[:BROADER]->(b) | b {.id, .name_zh, .name_en}], "
        "narrower_refs: [(x)-[:BROADER]->(n) | x {.id, .name_zh, .name_en}]}",
        ("technology",),
    ),
    "Document": (
        "true",
        "n.id",
        "n {.id, .title, .url, .lang, .sha256, .prov_source, .prov_sources, key: n.id, "
        "targets: COUNT { (t:Target)-[:STATED_IN]->(n) }}",
        (),
    ),
}


def list_page(
    label: str,
    *,
    offset: int,
    limit: int,
    as_of: date,
    area: str | None = None,
    technology: str | None = None,
) -> Query:
    """A page of consortia, group standards, technologies or documents, with a counted total."""
    where, order, projection, names = _LISTS[label]
    filters = {"as_of": as_of, "area": area, "technology": technology}
    return (
        f"CALL () {{ MATCH (n:`{label}`) WHERE {where} RETURN count(n) AS total }} "
        f"CALL () {{ MATCH (n:`{label}`) WHERE {where} WITH n ORDER BY {order} SKIP $offset LIMIT $limit "
        f"RETURN collect({projection}) AS items }} RETURN total, items",
        {"offset": offset, "limit": limit, **{n: filters[n] for n in names}},
    )


def item_by_key(label: str, key: str, *, as_of: date) -> Query:
    """One consortium, standard, technology or document by its key (as of a date: who is a
    member of a consortium then)."""
    _, _, projection, _ = _LISTS[label]
    prop = key_of(Label(label))
    params: dict[str, Any] = {"key": key}
    if "$as_of" in projection:
        params["as_of"] = as_of
    return (f"MATCH (n:`{label}` {{`{prop}`: $key}}) RETURN {projection} AS item", params)
