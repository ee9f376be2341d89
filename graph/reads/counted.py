"""Reads of the maintained counts (graph.tally): how many organisations a group of
recognition kinds counts on a day, in an area subtree and a technology subtree, from the
count cells alone: the cost grows with the number of buckets asked, not with the registry.

The fragments take variable names chosen by code; values travel as parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from graph.cypher import Query
from graph.predicates import AREA_DEPTH, TECHNOLOGY_DEPTH
from graph.tally import ANY, SET_GROUPS, group_for, kind_group

__all__ = [
    "COUNTED_ALL",
    "COUNTED_GROUP_BY",
    "COUNTED_TOTAL",
    "bucket_count",
    "buckets_in",
    "counted_group",
    "counted_total",
    "grouped_counts",
    "places_of",
    "terms_of",
]


def places_of(param: str) -> str:
    """The area ``param`` and its parts, as a list of keys (null: anywhere)."""
    return (
        f"CASE WHEN {param} IS NULL THEN null ELSE COLLECT {{ MATCH (a:Area)"
        f"-[:PART_OF*0..{AREA_DEPTH}]->(:Area {{id: {param}}}) RETURN a.id }} END"
    )


def terms_of(param: str) -> str:
    """The technology ``param`` and its narrower terms, as a list of keys (null: any)."""
    return (
        f"CASE WHEN {param} IS NULL THEN null ELSE COLLECT {{ MATCH (n:Technology)"
        f"-[:BROADER*0..{TECHNOLOGY_DEPTH}]->(:Technology {{id: {param}}}) RETURN n.id }} END"
    )


def buckets_in(places: str, terms: str, *, tech: str | None = None) -> str:
    """The WHERE condition on bucket ``b``: its areas meet ``places`` and its technologies
    meet ``terms`` (null: any). ``tech`` (a boolean expression) says whether the buckets
    kept per technology are meant; by default, when ``terms`` is given."""
    family = tech if tech is not None else f"{terms} IS NOT NULL"
    return (
        f"({places} IS NULL OR any(x IN b.areas WHERE x IN {places})) "
        f"AND (CASE WHEN {family} THEN b.techs IS NOT NULL ELSE b.techs IS NULL END) "
        f"AND ({terms} IS NULL OR any(x IN b.techs WHERE x IN {terms}))"
    )


def bucket_count(day: str, out: str = "n") -> str:
    """A CALL giving ``out``: bucket ``b``'s count on ``day`` — the year cells before the
    day's year, the month cells of its year before its month, the day cells of its month
    up to the day (each an index range on (cell, day))."""
    return (
        f"CALL (b, {day}) {{ WITH b.key AS k, {day} AS d, "
        f"date({{year: {day}.year, month: 1, day: 1}}) AS y0, "
        f"date({{year: {day}.year, month: {day}.month, day: 1}}) AS m0 "
        "CALL (k, d, y0, m0) { "
        "  MATCH (c:Tally) WHERE c.cell = k + '|Y' AND c.day < y0 RETURN c.n AS v "
        "  UNION ALL MATCH (c:Tally) WHERE c.cell = k + '|M' AND c.day >= y0 AND c.day < m0 "
        "  RETURN c.n AS v "
        "  UNION ALL MATCH (c:Tally) WHERE c.cell = k + '|D' AND c.day >= m0 AND c.day <= d "
        "  RETURN c.n AS v } "
        f"RETURN coalesce(sum(v), 0) AS {out} }} "
    )


def counted_group(recognition: str | None, recognitions: Sequence[str] | None) -> str | None:
    """The maintained group a list's recognition filter counts, or None when no group keeps
    it (then the list counts by scan)."""
    if recognition is not None and recognitions is None:
        return kind_group(recognition)
    if recognitions is not None and recognition is None:
        group = group_for(recognitions)
        return group if group.startswith("k:") or group in SET_GROUPS or group == ANY else None
    return None


def _counted(area: str, technology: str, name: str) -> str:
    return (
        f"WITH {places_of(area)} AS places, {terms_of(technology)} AS terms, "
        "$as_of AS day "
        "MATCH (b:TallyBucket {group: $group}) WHERE "
        + buckets_in("places", "terms")
        + " "
        + bucket_count("day")
        + f"RETURN coalesce(sum(n), 0) AS {name}"
    )


# Organisations group $group counts on $as_of in $area and $technology (with their parts
# and narrower terms): ``total``, one row even when no bucket matches.
COUNTED_TOTAL = _counted("$area", "$technology", "total")
# The same in the whole registry: ``all``.
COUNTED_ALL = _counted("null", "null", "all")


def counted_total(group: str, *, as_of: date, area: str | None, technology: str | None) -> Query:
    """Organisations ``group`` counts on ``as_of`` in the area and technology."""
    return (
        COUNTED_TOTAL,
        {"group": group, "as_of": as_of, "area": area, "technology": technology},
    )


# group-by -> (which buckets, the key(s) each bucket counts under; fixed text). An
# organisation with no area or technology counts under the key null.
COUNTED_GROUP_BY = {
    "AREA": (
        "b.group = coalesce('k:' + $kind, '*')",
        "CASE b.areas WHEN [] THEN [null] ELSE b.areas END",
        False,
    ),
    "TECHNOLOGY": (
        "b.group = coalesce('k:' + $kind, '*')",
        "CASE b.techs WHEN [] THEN [null] ELSE b.techs END",
        True,
    ),
    "RECOGNITION_KIND": (
        "b.group STARTS WITH 'k:' AND ($kind IS NULL OR b.group = 'k:' + $kind)",
        "[substring(b.group, 2)]",
        False,
    ),
    "RECOGNITION_LEVEL": (
        "b.group STARTS WITH 'l:' + coalesce($kind + '/', '')",
        "[CASE WHEN b.group ENDS WITH '/' THEN null ELSE substring(b.group, 2) END]",
        False,
    ),
    "YEAR": (
        "b.group STARTS WITH 'y:' + coalesce($kind, '*') + ':'",
        "[CASE split(b.group, ':')[2] WHEN '' THEN null ELSE split(b.group, ':')[2] END]",
        False,
    ),
}


def grouped_counts(group_by: str, *, as_of: date, kind: str | None, area: str | None) -> Query:
    """Distinct organisations per group, holding a recognition valid as of the date, from
    the maintained counts; those with no value for the group (no area, no technology) under
    the key null, last. Groups that count no one are left out."""
    which, keys, tech = COUNTED_GROUP_BY[group_by]
    return (
        f"WITH {places_of('$area')} AS places, $as_of AS day "
        f"MATCH (b:TallyBucket) WHERE {which} AND "
        + buckets_in("places", "null", tech="true" if tech else "false")
        + " "
        + bucket_count("day")
        + f"UNWIND {keys} AS key WITH key, sum(n) AS count WHERE count > 0 "
        "RETURN key, count ORDER BY key IS NULL, key",
        {"as_of": as_of, "kind": kind, "area": area},
    )
