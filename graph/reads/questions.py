"""The bureau's questions: coverage of the plan's technologies, and counts by scan."""

from __future__ import annotations

from datetime import date

from graph.cypher import Query
from graph.predicates import (
    TECHNOLOGY_DEPTH,
    in_area,
    in_force,
    not_merged,
    valid_on,
)
from graph.reads.counted import bucket_count, buckets_in, places_of
from graph.tally import STANDARDS, group_for
from loaders.vocabulary import vocabulary

__all__ = [
    "COUNT_GROUPS",
    "COVERAGE_RECOGNITIONS",
    "coverage",
    "coverage_scan",
    "grouped_counts_scan",
]

# The coverage columns that count organisations, each by the recognition kinds it counts.
COVERAGE_RECOGNITIONS = {
    key: list(c.recognitions)
    for key, c in vocabulary().coverage_columns.items()
    if c.list == "organizations"
}


def _consortia(terms: str) -> str:
    """Consortia formed (in the area) on $as_of that address one of the technology nodes
    ``terms``: walked from those nodes, so the work is the edges on them, not every
    consortium once per technology (a few thousand at a national scale)."""
    return (
        f"CALL ({terms}) {{ UNWIND {terms} AS x "
        "  OPTIONAL MATCH (x)<-[:FOCUSES_ON]-(c:Consortium) "
        "  WHERE (c.established_on IS NULL OR c.established_on <= $as_of) "
        f"    AND {in_area('c')} "
        "  RETURN count(DISTINCT c) AS consortia } "
    )


def _standards_scan(terms: str) -> str:
    """Group standards in force on $as_of that cover one of the technology nodes ``terms``,
    by a walk from them (tens of thousands at a national scale: the reference the
    maintained counts are checked against)."""
    return (
        f"CALL ({terms}) {{ UNWIND {terms} AS x "
        f"  OPTIONAL MATCH (x)<-[:COVERS]-(s:GroupStandard) WHERE {in_force('s')} "
        "  RETURN count(DISTINCT s) AS group_standards } "
    )


def _standards_counted(terms: str) -> str:
    """The same from the maintained counts (graph.tally.STANDARDS): the buckets of the
    technology sets that meet ``terms`` (a list of keys), each a few index reads; a standard
    is in one bucket, so one covering two of the terms counts once."""
    return (
        f"CALL ({terms}, day) {{ MATCH (b:TallyBucket {{group: $standards}}) "
        f"WHERE any(x IN b.techs WHERE x IN {terms}) {bucket_count('day')}"
        "RETURN coalesce(sum(n), 0) AS group_standards } "
    )


def coverage_scan(*, as_of: date, area: str | None, technologies: list[str] | None) -> Query:
    """Per technology (with its narrower terms): who addresses it as of a date, and the gaps.

    A row has a count per coverage column of the vocabulary, named by its key. By scan:
    the reference the maintained counts (:func:`coverage`) are checked against.
    """
    by_recognition = ", ".join(
        f"count(DISTINCT CASE WHEN r.kind IN $columns.{key} THEN o END) AS {key}"
        for key in COVERAGE_RECOGNITIONS
    )
    return (
        "MATCH (t:Technology) WHERE ($techs IS NULL AND t.in_plan) OR t.id IN $techs "
        f"CALL (t) {{ MATCH (n:Technology)-[:BROADER*0..{TECHNOLOGY_DEPTH}]->(t) RETURN collect(n) AS terms }} "
        f"{_consortia('terms')}{_standards_scan('terms')}"
        "CALL (t, terms) { "
        f"  OPTIONAL MATCH (o:Organization)-[:WORKS_ON]->(x) WHERE x IN terms AND {not_merged('o')} "
        f"    AND {in_area('o')} "
        f"  OPTIONAL MATCH (o)-[:HOLDS]->(r:Recognition) WHERE {valid_on('r')} "
        f"  RETURN {by_recognition} }} "
        "RETURN t {.id, .name_zh, .name_en, .in_plan} AS technology, "
        "[n IN terms WHERE n <> t | n {.id, .name_zh, .name_en}] AS narrower, consortia, "
        f"group_standards, {', '.join(COVERAGE_RECOGNITIONS)} ORDER BY t.id",
        {"as_of": as_of, "area": area, "techs": technologies, "columns": COVERAGE_RECOGNITIONS},
    )


def coverage(*, as_of: date, area: str | None, technologies: list[str] | None) -> Query:
    """Per technology (with its narrower terms): who addresses it as of a date, and the gaps.

    A row has a count per coverage column of the vocabulary, named by its key. The
    organisation and standards columns come from the maintained counts (graph.tally);
    consortia, a few thousand at a national scale, are counted as they are.
    """
    by_recognition = " ".join(
        f"CALL (terms, places, day) {{ MATCH (b:TallyBucket {{group: $groups.{key}}}) "
        f"WHERE {buckets_in('places', 'terms')} {bucket_count('day')}"
        f"RETURN coalesce(sum(n), 0) AS {key} }}"
        for key in COVERAGE_RECOGNITIONS
    )
    return (
        f"WITH {places_of('$area')} AS places, $as_of AS day "
        "MATCH (t:Technology) WHERE ($techs IS NULL AND t.in_plan) OR t.id IN $techs "
        f"CALL (t) {{ MATCH (n:Technology)-[:BROADER*0..{TECHNOLOGY_DEPTH}]->(t) RETURN collect(n) AS nodes }} "
        "WITH t, nodes, [n IN nodes | n.id] AS terms, places, day "
        f"{_consortia('nodes')}{_standards_counted('terms')}"
        f"{by_recognition} "
        "RETURN t {.id, .name_zh, .name_en, .in_plan} AS technology, "
        "[n IN nodes WHERE n <> t | n {.id, .name_zh, .name_en}] AS narrower, consortia, "
        f"group_standards, {', '.join(COVERAGE_RECOGNITIONS)} ORDER BY t.id",
        {
            "as_of": as_of,
            "area": area,
            "techs": technologies,
            "groups": {k: group_for(kinds) for k, kinds in COVERAGE_RECOGNITIONS.items()},
            "standards": STANDARDS,
        },
    )


# group-by key -> (what the group is read from, key expression); both fixed text. An
# organisation with no value for the group (no area, no technology) is counted in the group
# whose key is null, so that the groups add up to the total.
COUNT_GROUPS = {
    "AREA": ("OPTIONAL MATCH (o)-[:LOCATED_IN]->(a:Area)", "a.id"),
    "TECHNOLOGY": ("OPTIONAL MATCH (o)-[:WORKS_ON]->(t:Technology)", "t.id"),
    "RECOGNITION_KIND": ("", "r.kind"),
    "RECOGNITION_LEVEL": ("", "r.kind + '/' + r.level"),
    "YEAR": ("", "toString(r.year)"),
}


def grouped_counts_scan(group_by: str, *, as_of: date, kind: str | None, area: str | None) -> Query:
    """Distinct organisations per group, holding a recognition valid as of the date; those
    with no value for the group (no area, no technology, no year) under the key null, last.

    By a scan of every valid recognition: the reference the maintained counts
    (:func:`graph.reads.counted.grouped_counts`, which the API asks) are checked against."""
    group, key = COUNT_GROUPS[group_by]
    return (
        "MATCH (o:Organization)-[:HOLDS]->(r:Recognition) "
        f"WHERE {valid_on('r')} AND ($kind IS NULL OR r.kind = $kind) AND {not_merged('o')} "
        f"AND {in_area('o')} "
        f"{group} WITH {key} AS key, count(DISTINCT o) AS count "
        "RETURN key, count ORDER BY key IS NULL, key",
        {"as_of": as_of, "kind": kind, "area": area},
    )
