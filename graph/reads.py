"""Cypher for the API's reads: pure functions returning ``(query, params)``.

Every top-level API field is answered by one of these in one round trip. Filters are
parameters (a null parameter means 'no filter'); the only text chosen by code is from
fixed whitelists (sort keys, group-by keys).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.cypher import Query
from graph.model import Label, key_of
from graph.predicates import (
    AREA_DEPTH,
    TECHNOLOGY_DEPTH,
    in_area,
    in_force,
    not_merged,
    under_technology,
    valid_on,
)
from loaders.vocabulary import vocabulary

__all__ = [
    "COUNTABLE",
    "COUNT_GROUPS",
    "COVERAGE_RECOGNITIONS",
    "ORG_RELATED",
    "ORG_SORTS",
    "areas",
    "coverage",
    "grouped_counts",
    "item_by_key",
    "ledger",
    "list_page",
    "organization",
    "organizations_page",
    "partners",
    "search",
]

# The coverage columns that count organisations, each by the recognition kinds it counts.
COVERAGE_RECOGNITIONS = {
    key: list(c.recognitions)
    for key, c in vocabulary().coverage_columns.items()
    if c.list == "organizations"
}

# What an organisation reads as: its own properties, plus the related lists asked for
# (one round trip; a list nobody asked for is not read).
_ORG_BASE = """
  .id, .name, .name_zh, .name_en, .uscc, .kind, .status, .aliases, .former_names, .region,
  .synthetic, .prov_source, .prov_row, .prov_load, .prov_extractor, .prov_confidence,
  .prov_sources"""
ORG_RELATED = {
    "areas": "areas: [(o)-[:LOCATED_IN]->(a:Area) | a {.id, .name_zh, .name_en}]",
    "technologies": """technologies: [(o)-[w:WORKS_ON]->(t:Technology) | t {.id, .name_zh, .name_en,
    prov_source: w.prov_source, prov_row: w.prov_row, prov_sources: w.prov_sources}]""",
    "recognitions": """recognitions: [(o)-[:HOLDS]->(r:Recognition) | r {
    .id, .kind, .level, .cert_no, .granted_on, .valid_from, .valid_to, .year, .batch,
    .issuer, .status, .prov_source, .prov_row, .prov_sources,
    valid: """
    + valid_on("r")
    + "}]",
    "memberships": """memberships: [(o)-[m:MEMBER_OF]->(c:Consortium) | {role: m.role, since: m.since,
    consortium: c {.id, .name, .level}, prov_source: m.prov_source, prov_row: m.prov_row}]""",
    "standards": """standards: [(o)-[d:DRAFTED]->(s:GroupStandard) | s {.code, .title_zh, .status,
    .published_on, role: 'drafter', order: d.order, prov_source: d.prov_source,
    prov_row: d.prov_row, prov_sources: d.prov_sources}]""",
}


def _org_projection(related: frozenset[str] | None) -> str:
    """The map projection of ``o`` with the related lists named (None: all of them)."""
    names = ORG_RELATED if related is None else [n for n in ORG_RELATED if n in related]
    return "o {" + ", ".join([_ORG_BASE, *(ORG_RELATED[n] for n in names)]) + "}"


def _org_filter(area: bool) -> str:
    """The organisations filter; ``area`` False when the query already starts from the area."""
    return (
        f"{not_merged('o')} AND ($kind IS NULL OR o.kind = $kind) "
        + (f"AND {in_area('o')} " if area else "")
        + f"AND {under_technology('o', 'WORKS_ON')} "
        "AND (($recognition IS NULL AND $recognitions IS NULL) OR EXISTS { "
        "(o)-[:HOLDS]->(r:Recognition) WHERE (r.kind = $recognition OR r.kind IN $recognitions) "
        f"AND ($level IS NULL OR r.level = $level) AND {valid_on('r')} }})"
    )


ORG_SORTS = {"NAME": "o.name", "ID": "o.id"}


def _org_params(
    kind: str | None,
    area: str | None,
    technology: str | None,
    recognition: str | None,
    level: str | None,
    as_of: date,
    recognitions: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "area": area,
        "technology": technology,
        "recognition": recognition,
        "recognitions": recognitions,
        "level": level,
        "as_of": as_of,
    }


def organizations_page(
    *,
    offset: int,
    limit: int,
    as_of: date,
    kind: str | None = None,
    area: str | None = None,
    technology: str | None = None,
    recognition: str | None = None,
    recognitions: list[str] | None = None,
    level: str | None = None,
    text: str | None = None,
    sort: str = "NAME",
    descending: bool = False,
    related: frozenset[str] | None = None,
) -> Query:
    """One page (``limit`` + 1 rows, to know if there is a next) and the total, counted.

    ``recognition`` (one kind) or ``recognitions`` (any of several) must be valid on ``as_of``.
    """
    order = ORG_SORTS[sort] + (" DESC" if descending else "")
    where = _org_filter(area=True)
    if text:
        source = (
            "CALL db.index.fulltext.queryNodes('org_names', $text) YIELD node AS o, score "
            "WITH o, score "
        )
    elif area:
        # from the area and its parts to who is located there: no scan of every organisation
        source = (
            f"MATCH (:Area {{id: $area}})<-[:PART_OF*0..{AREA_DEPTH}]-(:Area)<-[:LOCATED_IN]-(o:Organization) "
            "WITH DISTINCT o "
        )
        where = _org_filter(area=False)
    else:
        source = "MATCH (o:Organization) "
    query = (
        "CALL () { " + source + "WHERE " + where + " RETURN count(o) AS total } "
        "CALL () { "
        + source
        + "WHERE "
        + where
        + f" WITH o ORDER BY {'score DESC, ' if text else ''}{order}, o.id SKIP $offset LIMIT $limit "
        "RETURN collect(" + _org_projection(related) + ") AS items } "
        "RETURN total, items"
    )
    params = _org_params(kind, area, technology, recognition, level, as_of, recognitions)
    params.update({"offset": offset, "limit": limit})
    if text:
        params["text"] = _lucene(text)
    return query, params


# Lucene's query syntax: these characters, and these words in capitals, are operators.
_LUCENE_SPECIAL = frozenset('+-&|!(){}[]^"~*?:\\/')
_LUCENE_WORDS = frozenset({"AND", "OR", "NOT", "TO"})


def _lucene(text: str) -> str:
    """User text as a Lucene query of plain terms: special characters are escaped, and the
    operator words are lower-cased (the analyzer lower-cases every term anyway, so they
    search as the words they are)."""
    words = [w.lower() if w in _LUCENE_WORDS else w for w in text.split()]
    escaped = "".join("\\" + c if c in _LUCENE_SPECIAL else c for c in " ".join(words))
    return escaped or '""'


def areas() -> Query:
    """Every area with its parent, the new area before its cities."""
    return (
        "MATCH (a:Area) OPTIONAL MATCH (a)-[:PART_OF]->(p:Area) "
        "RETURN a {.id, .name_zh, .name_en, .kind, parent: p.id} AS area "
        "ORDER BY p.id IS NOT NULL, a.id",
        {},
    )


def organization(
    *, id: str | None, uscc: str | None, as_of: date, related: frozenset[str] | None = None
) -> Query:
    """One organisation by id or USCC."""
    return (
        # two index seeks; an OR of the two would scan every organisation
        "CALL () { MATCH (o:Organization {id: $id}) RETURN o "
        "UNION MATCH (o:Organization {uscc: $uscc}) RETURN o } "
        "WITH o LIMIT 1 RETURN " + _org_projection(related) + " AS item",
        # the date only where a recognition's validity on it is read
        {"id": id, "uscc": uscc}
        | ({"as_of": as_of} if related is None or "recognitions" in related else {}),
    )


def search(text: str, first: int) -> Query:
    """Typeahead over organisations (names, aliases, former names) and technologies."""
    return (
        "CALL () { CALL db.index.fulltext.queryNodes('org_names', $q) YIELD node, score "
        # a merged entry leads to the organisation it was merged into
        "OPTIONAL MATCH (node)-[:SAME_AS]->(kept:Organization) WITH coalesce(kept, node) AS node, score "
        "RETURN DISTINCT 'Organization' AS type, node.id AS id, node.name AS label, node.kind AS detail, score "
        "ORDER BY score DESC LIMIT $first "
        "UNION ALL MATCH (t:Technology) WHERE toLower(t.alias_text) CONTAINS toLower($raw) "
        "RETURN 'Technology' AS type, t.id AS id, t.name_zh + ' / ' + t.name_en AS label, "
        "null AS detail, 1.0 AS score LIMIT $first } "
        "RETURN type, id, label, detail, score ORDER BY score DESC LIMIT $first",
        {"q": _lucene(text), "raw": text.strip(), "first": first},
    )


def coverage(*, as_of: date, area: str | None, technologies: list[str] | None) -> Query:
    """Per technology (with its narrower terms): who addresses it as of a date, and the gaps.

    A row has a count per coverage column of the vocabulary, named by its key.
    """
    by_recognition = ", ".join(
        f"count(DISTINCT CASE WHEN r.kind IN $columns.{key} THEN o END) AS {key}"
        for key in COVERAGE_RECOGNITIONS
    )
    return (
        "MATCH (t:Technology) WHERE ($techs IS NULL AND t.in_plan) OR t.id IN $techs "
        f"CALL (t) {{ MATCH (n:Technology)-[:BROADER*0..{TECHNOLOGY_DEPTH}]->(t) RETURN collect(n) AS terms }} "
        "CALL (t, terms) { "
        "  OPTIONAL MATCH (c:Consortium)-[:FOCUSES_ON]->(x) WHERE x IN terms "
        "    AND (c.established_on IS NULL OR c.established_on <= $as_of) "
        f"    AND {in_area('c')} "
        "  RETURN count(DISTINCT c) AS consortia } "
        "CALL (t, terms) { "
        f"  OPTIONAL MATCH (s:GroupStandard)-[:COVERS]->(x) WHERE x IN terms AND {in_force('s')} "
        "  RETURN count(DISTINCT s) AS group_standards } "
        "CALL (t, terms) { "
        f"  OPTIONAL MATCH (o:Organization)-[:WORKS_ON]->(x) WHERE x IN terms AND {in_area('o')} "
        f"  OPTIONAL MATCH (o)-[:HOLDS]->(r:Recognition) WHERE {valid_on('r')} "
        f"  RETURN {by_recognition} }} "
        "RETURN t {.id, .name_zh, .name_en, .in_plan} AS technology, "
        "[n IN terms WHERE n <> t | n {.id, .name_zh, .name_en}] AS narrower, consortia, "
        f"group_standards, {', '.join(COVERAGE_RECOGNITIONS)} ORDER BY t.id",
        {"as_of": as_of, "area": area, "techs": technologies, "columns": COVERAGE_RECOGNITIONS},
    )


def partners(*, id: str, technology: str | None, first: int, as_of: date) -> Query:
    """Ranked partner suggestions for organisation $id, each with the paths behind it.

    Evidence and weights: a consortium in common (3), a standard drafted together (3), a
    shared technology (2) or a neighbouring one under the same broader term (1), the same
    new city (1), a recognition valid on the date (1). Restricted to $technology (with its
    narrower terms) when given.
    """
    return (
        "MATCH (me:Organization {id: $id}) "
        "CALL (me) { "
        "  MATCH (me)-[:MEMBER_OF]->(c:Consortium)<-[:MEMBER_OF]-(p:Organization) WHERE p <> me "
        "  RETURN p, 3.0 AS w, {kind: 'consortium', via: c.name, via_id: c.id} AS why "
        "  UNION ALL "
        "  MATCH (me)-[:DRAFTED]->(s:GroupStandard)<-[:DRAFTED]-(p:Organization) WHERE p <> me "
        "  RETURN p, 3.0 AS w, {kind: 'standard', via: s.code + ' ' + coalesce(s.title_zh, ''), via_id: s.code} AS why "
        "  UNION ALL "
        "  MATCH (me)-[:WORKS_ON]->(t:Technology)<-[:WORKS_ON]-(p:Organization) WHERE p <> me "
        "  RETURN p, 2.0 AS w, {kind: 'technology', via: t.name_zh + ' / ' + t.name_en, via_id: t.id} AS why "
        "  UNION ALL "
        "  MATCH (me)-[:WORKS_ON]->(t:Technology)-[:BROADER]->(b:Technology)<-[:BROADER]-(t2:Technology)<-[:WORKS_ON]-(p:Organization) "
        "  WHERE p <> me AND t2 <> t "
        "  RETURN p, 1.0 AS w, {kind: 'complementary', via: t2.name_zh + ' / ' + t2.name_en + ' (' + b.name_zh + ')', via_id: t2.id} AS why "
        "} "
        "WITH me, p, collect(DISTINCT why) AS whys, sum(w) AS base "
        f"WHERE {not_merged('p')} AND ($technology IS NULL OR EXISTS {{ "
        f"  (p)-[:WORKS_ON|MEMBER_OF|DRAFTED]->()-[:WORKS_ON|FOCUSES_ON|COVERS|BROADER*0..{TECHNOLOGY_DEPTH}]->(:Technology {{id: $technology}}) }} "
        f"   OR {under_technology('p', 'WORKS_ON')}) "
        "OPTIONAL MATCH (me)-[:LOCATED_IN]->(city:Area)<-[:LOCATED_IN]-(p) "
        "WITH me, p, whys, base, collect(DISTINCT city) AS cities "
        f"OPTIONAL MATCH (p)-[:HOLDS]->(r:Recognition) WHERE {valid_on('r')} "
        "WITH p, whys, base, cities, collect(DISTINCT r.kind) AS valid "
        "WITH p, whys + [c IN cities | {kind: 'area', via: c.name_zh + ' / ' + c.name_en, via_id: c.id}] "
        "  + [k IN valid | {kind: 'recognition', via: k, via_id: k}] AS reasons, "
        "  base + size(cities) + size(valid) AS score "
        "RETURN p {.id, .name, .name_en, .kind, .uscc} AS partner, score, reasons "
        "ORDER BY score DESC, p.name LIMIT $first",
        {"id": id, "technology": technology, "first": first, "as_of": as_of},
    )


# group-by key -> (what the group is read from, key expression); both fixed text.
COUNT_GROUPS = {
    "AREA": ("MATCH (o)-[:LOCATED_IN]->(a:Area)", "a.id"),
    "TECHNOLOGY": ("MATCH (o)-[:WORKS_ON]->(t:Technology)", "t.id"),
    "RECOGNITION_KIND": ("", "r.kind"),
    "RECOGNITION_LEVEL": ("", "r.kind + '/' + r.level"),
    "YEAR": ("", "toString(r.year)"),
}


def grouped_counts(group_by: str, *, as_of: date, kind: str | None, area: str | None) -> Query:
    """Distinct organisations per group, holding a recognition valid as of the date."""
    group, key = COUNT_GROUPS[group_by]
    return (
        "MATCH (o:Organization)-[:HOLDS]->(r:Recognition) "
        f"WHERE {valid_on('r')} AND ($kind IS NULL OR r.kind = $kind) AND {in_area('o')} "
        f"{group} WITH {key} AS key, count(DISTINCT o) AS count WHERE key IS NOT NULL "
        "RETURN key, count ORDER BY key",
        {"as_of": as_of, "kind": kind, "area": area},
    )


# Indicators the registry can count, by key; every other indicator is read from the latest
# ReportedFigure entered for it.
# (what the registry counts for each is in the vocabulary: recognition kinds or consortia,
# and the levels that count)
COUNTABLE = frozenset(vocabulary().counted_indicators)


def _counted() -> dict[str, dict[str, Any]]:
    """Per countable indicator, what is counted: a parameter of the ledger query."""
    return {
        key: {
            "kinds": list(i.recognitions) or None,
            "consortia": i.consortia,
            "levels": list(i.levels) or None,
        }
        for key, i in vocabulary().counted_indicators.items()
    }


def _since(day: str) -> str:
    return f"(t.new_since IS NULL OR {day} >= t.new_since)"


def ledger(*, as_of: date, area: str | None, years: int = 5) -> Query:
    """Every target with its actual value on ``as_of`` and on 31 December of earlier years.

    Countable indicators are counted from the registry (validity windows honoured; a target
    with ``new_since`` counts only what was recognised or formed since that date); the others
    take the latest reported figure on or before each day. The registry is read once per
    target (its candidate windows), and each day is counted from that list in memory: six
    days cost one scan, not six.
    """
    return (
        "MATCH (t:Target) WHERE $area IS NULL OR t.area IS NULL OR t.area = $area "
        "OPTIONAL MATCH (t)-[s:STATED_IN]->(doc:Document) "
        "WITH t, doc, s, [y IN range($as_of.year - $years, $as_of.year - 1) | date({year: y, month: 12, day: 31})] + [$as_of] AS days "
        # Countable: one pass over the candidates, each spread over the days it was valid on.
        "OPTIONAL CALL (t, days) { "
        "  WITH t, days, $counted[t.indicator_key] AS what WHERE what.kinds IS NOT NULL "
        "  MATCH (r:Recognition) WHERE r.kind IN what.kinds "
        "    AND (what.levels IS NULL OR r.level IN what.levels) "
        f"    AND {_since('r.valid_from')} "
        f"  MATCH (o:Organization)-[:HOLDS]->(r) WHERE {in_area('o')} "
        f"  UNWIND [d IN days WHERE {valid_on('r', 'd')}] AS day "
        "  RETURN day, count(DISTINCT o) AS n "
        "  UNION ALL "
        "  WITH t, days, $counted[t.indicator_key] AS what WHERE what.consortia "
        "  MATCH (c:Consortium) WHERE (what.levels IS NULL OR c.level IN what.levels) "
        f"    AND {_since('coalesce(c.established_on, t.new_since)')} AND {in_area('c')} "
        "  UNWIND [d IN days WHERE coalesce(c.established_on, d) <= d] AS day "
        "  RETURN day, count(c) AS n } "
        "WITH t, doc, s, days, collect(CASE WHEN day IS NOT NULL THEN [day, n] END) AS counted "
        "CALL (t, days, counted) { UNWIND days AS day "
        "  RETURN collect({day: day, value: CASE WHEN t.indicator_key IN $countable "
        "    THEN toFloat(coalesce(head([c IN counted WHERE c[0] = day | c[1]]), 0)) "
        "    ELSE COLLECT { MATCH (f:ReportedFigure {indicator: t.indicator_key}) "
        "      WHERE f.as_of <= day AND ($area IS NULL OR f.area IS NULL OR f.area = $area) "
        "      RETURN toFloat(f.value) ORDER BY f.as_of DESC LIMIT 1 }[0] END}) AS trend } "
        "OPTIONAL CALL (t) { MATCH (f:ReportedFigure {indicator: t.indicator_key}) WHERE f.as_of <= $as_of "
        "  RETURN f {.source, .as_of} AS figure ORDER BY f.as_of DESC LIMIT 1 } "
        "RETURN t {.id, .indicator, .indicator_key, .comparator, .value, .unit, .deadline, .scope, "
        "  .kind, .new_since, evidence: coalesce(t.sentence, t.evidence), .prov_source, .prov_start, "
        ".prov_end} AS target, "
        "doc {.id, .title, .url} AS document, s {.start, .end} AS span, trend, figure "
        "ORDER BY t.deadline, t.id",
        {
            "as_of": as_of,
            "area": area,
            "years": years,
            "counted": _counted(),
            "countable": sorted(COUNTABLE),
        },
    )


# The other registry lists: label -> (filter, order, projection, the filter's parameters).
# Fixed text; values are parameters.
_LISTS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "Consortium": (
        f"{in_area('n')} AND {under_technology('n', 'FOCUSES_ON')} "
        "AND (n.established_on IS NULL OR n.established_on <= $as_of)",
        "n.name",
        "n {.id, .name, .level, .established_on, .tech_fields, .prov_source, .prov_row, .prov_sources, "
        "key: n.id, members: [(o)-[m:MEMBER_OF]->(n) | {id: o.id, name: o.name, role: m.role}], "
        "technologies: [(n)-[:FOCUSES_ON]->(t) | t.id]}",
        ("area", "technology", "as_of"),
    ),
    "GroupStandard": (
        # in force on the date, as the coverage matrix counts them
        f"{under_technology('n', 'COVERS')} AND {in_force('n')}",
        "n.code",
        "n {.code, .title_zh, .title_en, .status, .published_on, .effective_on, .ics, .prov_source, "
        ".prov_row, .prov_sources, key: n.code, "
        "issuer: head([(s)-[:ISSUED]->(n) | s.name]), drafters: [(o)-[d:DRAFTED]->(n) | o.name], "
        "technologies: [(n)-[:COVERS]->(t) | t.id]}",
        ("technology", "as_of"),
    ),
    "Technology": (
        under_technology("n", None),
        "n.id",
        "n {.id, .name_zh, .name_en, .aliases, .in_plan, .prov_source, .prov_row, .prov_sources, key: n.id, "
        "broader: [(n)-[:BROADER]->(b) | b.id], narrower: [(x)-[:BROADER]->(n) | x.id]}",
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


def item_by_key(label: str, key: str) -> Query:
    """One consortium, standard, technology or document by its key."""
    _, _, projection, _ = _LISTS[label]
    prop = key_of(Label(label))
    return (f"MATCH (n:`{label}` {{`{prop}`: $key}}) RETURN {projection} AS item", {"key": key})
