"""Organisations read: a page of them with its total, one by id or USCC, and the typeahead."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from graph.cypher import Query
from graph.merges import MERGE_DEPTH, root_of
from graph.predicates import (
    AREA_DEPTH,
    in_area,
    in_force,
    member_on,
    not_merged,
    under_technology,
    valid_on,
)
from graph.reads.counted import COUNTED_ALL, COUNTED_TOTAL, counted_group
from graph.reads.keyset import Order, after_params, after_sort_key, sort_key_list
from loaders.normalize import normalize_standard_code

__all__ = [
    "ORG_RELATED",
    "ORG_SORTS",
    "PAGE_PLANS",
    "SEARCH_TYPES",
    "org_order",
    "organization",
    "organizations_page",
    "search",
]

# What an organisation reads as: its own properties, plus the related lists asked for
# (one round trip; a list nobody asked for is not read).
_ORG_BASE = """
  .id, .name, .name_zh, .name_en, .uscc, .kind, .aliases, .former_names, .name_history, .region,
  .synthetic, .prov_source, .prov_row, .prov_load, .prov_extractor, .prov_confidence,
  .prov_sources,
  status: CASE WHEN EXISTS { (o)-[:SAME_AS]->() } THEN 'merged' ELSE o.status END"""
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
    until: m.until, current: """
    + member_on("m")
    + """, via_merge: m.via_merge,
    consortium: c {.id, .name, .level}, prov_source: m.prov_source, prov_row: m.prov_row}]""",
    "standards": """standards: [(o)-[d:DRAFTED]->(s:GroupStandard) | s {.code, .title_zh, .status,
    .published_on, .abolished_on, role: 'drafter', order: d.order, in_force: """
    + in_force("s")
    + """, via_merge: d.via_merge, prov_source: d.prov_source,
    prov_row: d.prov_row, prov_sources: d.prov_sources}]""",
    # the merge history on both sides: whom this entry was merged into, and who into it
    "merges": f"""merged_into: head([(o)-[:SAME_AS*1..{MERGE_DEPTH}]->(k:Organization)
      WHERE NOT EXISTS {{ (k)-[:SAME_AS]->() }} | k {{.id, .name}}]),
    merged: [(x:Organization)-[:SAME_AS*1..{MERGE_DEPTH}]->(o) | x {{.id, .name, .name_en, .uscc,
      .aliases, .former_names, .name_history}}]""",
}


def _org_projection(related: frozenset[str] | None, *extra: str) -> str:
    """The map projection of ``o`` with the related lists named (None: all of them) and the
    ``extra`` entries."""
    names = ORG_RELATED if related is None else [n for n in ORG_RELATED if n in related]
    return "o {" + ", ".join([_ORG_BASE, *(ORG_RELATED[n] for n in names), *extra]) + "}"


def _org_filter(area: bool) -> str:
    """The organisations filter; ``area`` False when the query already starts from the area."""
    return (
        f"{not_merged('o')} AND ($kind IS NULL OR o.kind = $kind) "
        + (f"AND {in_area('o')} " if area else "")
        + f"AND {under_technology('o', 'WORKS_ON')} "
        # a level without recognition(s): a valid recognition of any kind at that level
        "AND (($recognition IS NULL AND $recognitions IS NULL AND $level IS NULL) OR EXISTS { "
        "(o)-[:HOLDS]->(r:Recognition) WHERE (($recognition IS NULL AND $recognitions IS NULL) "
        "OR r.kind = $recognition OR r.kind IN $recognitions) "
        f"AND ($level IS NULL OR r.level = $level) AND {valid_on('r')} }})"
    )


ORG_SORTS = {"NAME": "o.name", "ID": "o.id"}
# How a page whose total the maintained counts give is found, each visiting about:
# "walk" every organisation in sort order (the name or id index) until the page's last row,
#   rows x organisations / total;
# "held" the holders of the recognitions asked for, 2 x their number in the whole registry
#   (the valid ones, and about as many that have expired);
# "area" everyone located in the area, organisations x total / total in the whole registry
#   (the area's share of the registry taken as its share of the holders).
PAGE_PLANS = ("walk", "held", "area")
# The choice in Cypher: the cheapest estimate, and nothing read when the total is 0.
_CHOOSE_PLAN = (
    # (nothing is divided by a zero total: no plan runs then)
    "WITH total, orgs, all, toFloat(CASE total WHEN 0 THEN 1 ELSE total END) AS t, "
    "toFloat(CASE all WHEN 0 THEN 1 ELSE all END) AS a "
    "WITH total, $rows * orgs / t AS walk, 2.0 * all AS held, "
    "CASE WHEN $area IS NULL THEN null ELSE orgs * t / a END AS area "
    "WITH total, coalesce($plan, CASE WHEN walk <= held AND (area IS NULL OR walk <= area) "
    "THEN 'walk' WHEN area <= held THEN 'area' ELSE 'held' END) AS plan "
)


def org_order(sort: str, descending: bool) -> Order:
    """The sort keys of a page of organisations: the sort's own, then the id (unique, so the
    order is total). Neither is null: every organisation has an id and a name."""
    first = ORG_SORTS[sort]
    return [(first, descending)] + ([] if first == "o.id" else [("o.id", False)])


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


def _org_source(*, text: bool, area: bool) -> tuple[str, str]:
    """Where a page of organisations starts (a text search, an area, or all) and the filter
    its rows pass."""
    if text:
        source = (
            "CALL db.index.fulltext.queryNodes('org_names', $text) YIELD node, score "
            # a merged entry's names find the organisation it stands as
            f"WITH {root_of('node')} AS o, max(score) AS score "
        )
        return source, _org_filter(area=True)
    if area:
        # from the area and its parts to who is located there: no scan of every organisation
        source = (
            f"MATCH (:Area {{id: $area}})<-[:PART_OF*0..{AREA_DEPTH}]-(:Area)<-[:LOCATED_IN]-(o:Organization) "
            "WITH DISTINCT o "
        )
        return source, _org_filter(area=False)
    return "MATCH (o:Organization) ", _org_filter(area=True)


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
    after: Sequence[Any] | None = None,
    count: bool = True,
    plan: str | None = None,
) -> Query:
    """One page (``limit`` + 1 rows, to know if there is a next) and the total, counted
    (``count`` False: not counted, ``total`` null). Each item carries its ``sort_key``.

    ``recognition`` (one kind) or ``recognitions`` (any of several) must be valid on ``as_of``;
    ``level`` is the level of that recognition, or without them of any valid recognition.
    ``after``: the sort key of the last row of the page before (keyset paging, see
    :mod:`graph.reads.keyset`; not for a text search, ranked by score); else ``offset`` rows
    are skipped. ``plan``: how a page with a maintained total is found (see
    :data:`PAGE_PLANS`; None: the cheapest by the counts). Every plan gives the same answer;
    only its cost differs. The row's ``plan`` says which ran (null when the total is counted
    by a scan, or not counted: then there is one way, and a ``plan`` asked for is refused).
    """
    if plan is not None and plan not in PAGE_PLANS:
        raise ValueError(f"plan {plan!r}: use one of {', '.join(PAGE_PLANS)}")
    if after is not None and text:
        raise ValueError("a text search pages by offset: its rows are ranked by score")
    order = org_order(sort, descending)
    by = ", ".join(expr + (" DESC" if desc else "") for expr, desc in order)
    # the total from the maintained counts when they keep what the filters ask
    group = (
        counted_group(recognition, recognitions)
        if text is None and kind is None and level is None
        else None
    )
    if plan is not None and not (group and count):
        raise ValueError(
            f"plan {plan!r}: a page chooses a plan only when the maintained counts give its "
            "total (no text, kind or level filter, and count=True)"
        )
    source, where = _org_source(text=bool(text), area=bool(area))
    filtered = source + "WHERE " + where + " "
    if not count:
        total = "RETURN null AS total"
    elif group:
        total = COUNTED_TOTAL
    else:
        total = filtered + "RETURN count(o) AS total"
    page = (
        f"AND {after_sort_key(order)} WITH o ORDER BY {by} LIMIT $limit "
        if after is not None
        else f"WITH o ORDER BY {'score DESC, ' if text else ''}{by} SKIP $offset LIMIT $limit "
    )
    items = (
        "RETURN collect("
        + _org_projection(related, f"sort_key: {sort_key_list(order)}")
        + ") AS items"
    )
    if group and count:
        # The maintained totals (here and in the whole registry) say which plan finds the
        # page soonest (PAGE_PLANS). Each branch runs only when its UNWIND has a row (a
        # WHERE on the plan alone is planned after the branch's scan), and then gives
        # exactly one row; none runs when nobody matches.
        in_order = f"MATCH (o:Organization) WHERE {order[0][0]} IS NOT NULL AND " + _org_filter(
            area=True
        )
        held = (
            # by the kind's index (the planner cannot weigh a list it is given)
            "MATCH (r:Recognition) USING INDEX r:Recognition(kind) WHERE r.kind IN $held "
            f"AND {valid_on('r')} MATCH (o:Organization)-[:HOLDS]->(r) WITH DISTINCT o "
            "WHERE " + _org_filter(area=True)
        )
        branches = {"walk": in_order, "held": held, "area": filtered}
        # the registry's total too when the page is of an area or technology
        everywhere = (
            "CALL () { " + COUNTED_ALL + " } "
            if area or technology
            else "WITH total, orgs, total AS all "
        )
        body = (
            "CALL () { " + total + " } "
            "CALL () { MATCH (x:Organization) RETURN count(x) AS orgs } "
            + everywhere
            + _CHOOSE_PLAN
            + "CALL (total, plan) { "
            "UNWIND CASE WHEN total = 0 THEN [1] ELSE [] END AS go RETURN [] AS items "
            + "".join(
                f"UNION ALL UNWIND CASE WHEN total > 0 AND plan = '{name}' THEN [1] ELSE [] END "
                f"AS go CALL (go) {{ {branch} {page}{items} }} RETURN items "
                for name, branch in branches.items()
            )
            + "} "
        )
        chosen = "CASE WHEN total = 0 THEN null ELSE plan END"  # none ran
    else:
        body = "CALL () { " + total + " } CALL () { " + filtered + page + items + " } "
        chosen = "null"
    query = body + f"RETURN total, items, {chosen} AS plan"
    params = _org_params(kind, area, technology, recognition, level, as_of, recognitions)
    params["limit"] = limit
    params.update(after_params(after) if after is not None else {"offset": offset})
    if group and count:
        params |= {
            "group": group,
            "plan": plan,
            "held": recognitions if recognitions is not None else [recognition],
            "rows": limit + (offset if after is None else 0),
        }
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


_DATED = frozenset({"recognitions", "memberships", "standards"})


def organization(
    *, id: str | None, uscc: str | None, as_of: date, related: frozenset[str] | None = None
) -> Query:
    """One organisation by id or USCC."""
    return (
        # two index seeks; an OR of the two would scan every organisation
        "CALL () { MATCH (o:Organization {id: $id}) RETURN o "
        "UNION MATCH (o:Organization {uscc: $uscc}) RETURN o } "
        "WITH o LIMIT 1 RETURN " + _org_projection(related) + " AS item",
        # the date only where a validity on it is read
        {"id": id, "uscc": uscc}
        | ({"as_of": as_of} if related is None or related & _DATED else {}),
    )


# Search hits: what each kind of entity is called, and which of its names count as exact.
_ORG_NAMES = "[node.name, node.name_zh, node.name_en] + coalesce(node.aliases, []) + coalesce(node.former_names, [])"
_ENTITY_NAMES = (
    "[node.name, node.name_zh, node.name_en, node.code, node.code_as_printed, node.title_zh, "
    "node.title_en] + coalesce(node.aliases, [])"
)
_ENTITY_HIT = (
    "RETURN CASE WHEN node:Technology THEN 'Technology' WHEN node:Consortium THEN 'Consortium' "
    "ELSE 'GroupStandard' END AS type, coalesce(node.id, node.code) AS id, "
    "CASE WHEN node:Technology THEN coalesce(node.name_zh + ' / ' + node.name_en, node.name_zh, "
    "node.name_en, node.id) WHEN node:Consortium THEN coalesce(node.name, node.id) "
    "ELSE node.code + coalesce(' ' + node.title_zh, ' ' + node.title_en, '') END AS label, "
    "CASE WHEN node:Consortium THEN node.level WHEN node:GroupStandard THEN node.status END "
    "AS detail, score, exact, matched "
)
_ORG_HIT = (
    "RETURN 'Organization' AS type, node.id AS id, node.name AS label, node.kind AS detail, "
    "score, exact, matched "
)
# Full-text scores relative to the best hit of their index: the two indexes' raw scores are
# not comparable (1M organisations' names against a few hundred others' would crowd them out).
_RELATIVE = (
    "WITH collect([node, score]) AS hits, max(score) AS top "
    "UNWIND hits AS hit WITH hit[0] AS node, hit[1] / top AS score "
)
# Kinds ranked by their names: an exact or alias match of one comes before anything else.
SEARCH_TYPES = ("Organization", "Technology", "Consortium", "GroupStandard")


def _exact(names: str) -> str:
    return f"$lower IN [x IN {names} WHERE x IS NOT NULL | toLower(x)]"


def search(text: str, first: int) -> Query:
    """Typeahead over every kind of entity, each hit with its type and how it matched.

    Organisations by name, alias or former name (full-text ``org_names``), by their exact
    name, by USCC and by a certificate number they hold (Recognition.cert_no); a merged
    entry leads to the organisation it stands as. Technologies, consortia and group standards
    by their names, aliases and codes (full-text ``entity_names``) and by exact name or
    code. Every branch starts from an index (no scan of any label). Ranked: an exact or
    alias match of a technology, consortium or standard first, then exact matches of
    organisations (name, alias, USCC, certificate), then the rest by full-text score
    relative to the best hit of its index (so neither kind crowds the other out).
    """
    raw = text.strip()
    return (
        "CALL () { "
        "CALL db.index.fulltext.queryNodes('org_names', $q, {limit: $first}) YIELD node, score "
        "WITH node, score LIMIT $first "
        + _RELATIVE
        + f"WITH node, score, {_exact(_ORG_NAMES)} AS exact "
        # a merged entry leads to the organisation it was merged into (the root of its chain)
        f"WITH {root_of('node')} AS node, score, exact "
        "WITH node, score, exact, CASE WHEN exact THEN 'name' ELSE 'text' END AS matched "
        + _ORG_HIT
        + "ORDER BY score DESC LIMIT $first "
        "UNION ALL MATCH (node:Organization {name: $raw}) "
        f"WITH {root_of('node')} AS node "
        "WITH node, 1.0 AS score, true AS exact, 'name' AS matched " + _ORG_HIT + "UNION ALL "
        "MATCH (node:Organization) WHERE node.uscc = $upper "
        f"WITH {root_of('node')} AS node "
        "WITH node, 1.0 AS score, true AS exact, 'uscc' AS matched " + _ORG_HIT + "UNION ALL "
        # a seek, always: on a small registry the planner would rather scan the index
        "MATCH (r:Recognition) USING INDEX SEEK r:Recognition(cert_no) WHERE r.cert_no IN [$raw, $upper] "
        "MATCH (r)<-[:HOLDS]-(node:Organization) "
        f"WITH {root_of('node')} AS node "
        "WITH DISTINCT node, 1.0 AS score, true AS exact, 'certificate' AS matched "
        + _ORG_HIT
        + "UNION ALL "
        "CALL db.index.fulltext.queryNodes('entity_names', $q, {limit: $first}) YIELD node, score "
        "WITH node, score LIMIT $first "
        + _RELATIVE
        + f"WITH node, score, {_exact(_ENTITY_NAMES)} AS exact "
        "WITH node, score, exact, CASE WHEN exact THEN 'name' ELSE 'text' END AS matched "
        + _ENTITY_HIT
        + "UNION ALL "
        "CALL () { MATCH (node:Technology) WHERE node.name_zh = $raw RETURN node "
        "UNION MATCH (node:Technology) WHERE node.name_en = $raw RETURN node "
        "UNION MATCH (node:Consortium) WHERE node.name = $raw RETURN node "
        "UNION MATCH (node:GroupStandard) WHERE node.code = $code RETURN node } "
        "WITH node, 1.0 AS score, true AS exact, 'name' AS matched " + _ENTITY_HIT + "} "
        # one hit per entity: its best match
        "WITH type, id, label, detail, score, exact, matched, "
        "CASE WHEN exact AND type <> 'Organization' THEN 0 WHEN exact THEN 1 ELSE 2 END AS rank "
        "ORDER BY rank, score DESC "
        "WITH type, id, collect({label: label, detail: detail, score: score, rank: rank, "
        "matched: matched})[0] AS hit "
        "RETURN type, id, hit.label AS label, hit.detail AS detail, hit.score AS score, "
        "hit.matched AS matched ORDER BY hit.rank, hit.score DESC, type, id LIMIT $first",
        {
            "q": _lucene(text),
            "raw": raw,
            "lower": raw.lower(),
            "upper": raw.upper(),
            "code": normalize_standard_code(raw) or raw,
            "first": first,
        },
    )
