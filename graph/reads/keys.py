"""The registry's keys an argument names (areas, technologies, organisations), checked.

A read asked about an unknown key must not answer with a silent zero or an empty list:
``guarded`` makes any read answer no row at all when a key it was given is not in the graph
(one index seek per key, in the read's own round trip), and ``unknown_keys`` (asked only
when a read answered nothing) says which keys are unknown and lists what is near them.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.cypher import Query

__all__ = ["guarded", "near_organizations", "unknown_keys"]

# parameter -> label whose key (id) it holds; fixed text
_KEYED = (
    ("known_areas", "Area"),
    ("known_technologies", "Technology"),
    ("known_orgs", "Organization"),
)


def guarded(
    query: Query,
    *,
    areas: Sequence[str] = (),
    technologies: Sequence[str] = (),
    organizations: Sequence[str] = (),
) -> Query:
    """``query`` answering no row when one of the keys given is not in the graph."""
    text, params = query
    given = dict(zip((p for p, _ in _KEYED), (areas, technologies, organizations), strict=True))
    conditions = [
        f"all(k IN ${param} WHERE EXISTS {{ (:{label} {{id: k}}) }})"
        for param, label in _KEYED
        if given[param]
    ]
    if not conditions:
        return query
    extra = {param: list(keys) for param, keys in given.items() if keys}
    return (f"WITH true AS known WHERE {' AND '.join(conditions)} " + text, params | extra)


def unknown_keys(
    *, areas: Sequence[str], technologies: Sequence[str], organizations: Sequence[str]
) -> Query:
    """The keys given that are not in the graph, and, where an area or a technology is
    unknown, every one there is (a short list) with its names."""
    return (
        "CALL () { UNWIND $areas AS k WITH k WHERE NOT EXISTS { (:Area {id: k}) } "
        "  RETURN collect(k) AS areas } "
        "CALL () { UNWIND $technologies AS k WITH k WHERE NOT EXISTS { (:Technology {id: k}) } "
        "  RETURN collect(k) AS technologies } "
        "CALL () { UNWIND $organizations AS k WITH k WHERE NOT EXISTS { (:Organization {id: k}) } "
        "  RETURN collect(k) AS organizations } "
        "RETURN areas, technologies, organizations, "
        "COLLECT { MATCH (a:Area) WHERE size(areas) > 0 RETURN a {.id, .name_zh, .name_en} } "
        "AS area_terms, COLLECT { MATCH (t:Technology) WHERE size(technologies) > 0 "
        "RETURN t {.id, .name_zh, .name_en} } AS technology_terms",
        {
            "areas": list(areas),
            "technologies": list(technologies),
            "organizations": list(organizations),
        },
    )


def _phrase(text: str) -> str:
    """Text as one Lucene phrase: its quotes and escapes dropped, nothing left to parse."""
    words = " ".join(text.replace("\\", " ").replace('"', " ").split())
    return f'"{words}"' if words else '""'


def near_organizations(key: str, limit: int = 50) -> Query:
    """Organisations near an unknown key: ids that begin alike (a mistyped USCC) and names
    that match it (a name given where a key belongs)."""
    return (
        "CALL () { MATCH (o:Organization) WHERE o.id STARTS WITH $prefix "
        "  RETURN o.id AS id, o.name AS name LIMIT $limit "
        "  UNION CALL db.index.fulltext.queryNodes('org_names', $phrase, {limit: $limit}) YIELD node "
        "  RETURN node.id AS id, node.name AS name LIMIT $limit } "
        "RETURN id, name",
        {"prefix": key[: max(len(key) - 4, 4)], "phrase": _phrase(key), "limit": limit},
    )
