"""The analysts' ledger: every target of the plan with its value on a date and its trend."""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.cypher import Query
from graph.predicates import AREA_DEPTH, not_merged, valid_on
from graph.reads.counted import bucket_count, buckets_in
from graph.reads.outlook import counted_outlook_call
from graph.reads.renewals import outlook_call
from graph.tally import group_for
from loaders.vocabulary import vocabulary

__all__ = ["COUNTABLE", "data_until", "ledger"]

# Indicators the registry can count, by key; every other indicator is read from the latest
# ReportedFigure entered for it (withdrawn figures are ignored).
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
            "group": group_for(i.recognitions, i.levels) if i.recognitions else None,
        }
        for key, i in vocabulary().counted_indicators.items()
    }


def _since(day: str) -> str:
    return f"(t.new_since IS NULL OR {day} >= t.new_since)"


def _located(node: str) -> str:
    """``node`` is located in one of ``places`` (the counted area and its parts; null: anywhere),
    as :func:`graph.predicates.in_area` says, with the area's parts read once per target."""
    return f"(places IS NULL OR EXISTS {{ ({node})-[:LOCATED_IN]->(a:Area) WHERE a.id IN places }})"


# The plan's district: the root of the area tree (the area that is part of no other; of
# several, the one with the most parts). Null when there are no areas.
_DISTRICT = (
    "CALL () { OPTIONAL MATCH (a:Area) WHERE NOT EXISTS { (a)-[:PART_OF]->(:Area) } "
    "  RETURN a.id AS district ORDER BY COUNT { (a)<-[:PART_OF]-(:Area) } DESC, a.id LIMIT 1 } "
)

# What the registry's lists cover: up to 31 December of the year of the latest date any of
# them states (a recognition's validity start, a consortium's founding, a standard's
# publication). Null when there is no list at all. (Reported figures carry their own dates.)
_DATA_UNTIL = (
    "CALL () { CALL () { "
    "  MATCH (r:Recognition) WHERE r.valid_from IS NOT NULL "
    "  RETURN r.valid_from AS d ORDER BY r.valid_from DESC LIMIT 1 "
    "  UNION MATCH (c:Consortium) WHERE c.established_on IS NOT NULL RETURN max(c.established_on) AS d "
    "  UNION MATCH (s:GroupStandard) WHERE s.published_on IS NOT NULL "
    "  RETURN s.published_on AS d ORDER BY s.published_on DESC LIMIT 1 } "
    "  WITH max(d) AS latest "
    "  RETURN CASE WHEN latest IS NULL THEN null "
    "    ELSE date({year: latest.year, month: 12, day: 31}) END AS data_until } "
)


def data_until() -> Query:
    """The last day the registry's lists cover (31 December of the year of the latest date
    they state), or null for an empty registry."""
    return (_DATA_UNTIL + "RETURN data_until", {})


def _figure_on(day: str) -> str:
    """The reported figures of the target's indicator that the ledger may use on ``day``:
    dated on or before it, not withdrawn, and of the area counted (a figure without an area
    is the district's) — never another area's figure."""
    return (
        "MATCH (f:ReportedFigure {indicator: t.indicator_key}) "
        f"WHERE f.as_of <= {day} AND f.withdrawn_at IS NULL "
        "AND (counted_area IS NULL OR coalesce(f.area, district) = counted_area)"
    )


# The latest figure; of two on one date (one without an area, one of the district), the one
# that names its area.
_FIGURE_ORDER = "f.as_of DESC, f.area IS NULL, f.id"


def _outlook(scan: bool) -> str:
    """The renewal outlook: from the maintained counts, or (``scan``, and always for a
    target counting only what began since a date) from the recognitions."""
    what = "$counted[t.indicator_key]"
    if scan:
        return outlook_call("t", "counted_area", what)
    return (
        counted_outlook_call("t", what, out="counted_outlook")
        + outlook_call(
            "t", "counted_area", what, out="scanned_outlook", only="t.new_since IS NOT NULL"
        )
        + "WITH *, coalesce(counted_outlook, scanned_outlook) AS outlook "
    )


def ledger(*, as_of: date, area: str | None, years: int = 5, scan: bool = False) -> Query:
    """Every target with its actual value on ``as_of`` and on 31 December of earlier years.

    Where: a target is set for its own area (``t.area``) or else for the plan's district
    (the root area). The ledger is asked about ``area`` (default: the district): a target
    set for that area, or for a part of it (then counted in that part), is compared with
    its value; a target set for a larger area shows the asked area's contribution to it
    (``contribution``); a target of another area is left out.

    When: countable indicators are counted from the registry (validity windows honoured; a
    target with ``new_since`` counts only what was recognised or formed since that date),
    and a day after what the lists cover (``data_until``) has no value (null, not 0); the
    others take the latest reported figure on or before each day. A deadline (31 December
    of its year) that has passed on ``as_of`` is counted on that day too (``at_deadline``).
    The registry is read once per target (its candidate windows), and each day is counted
    from that list in memory: seven days cost one scan, not seven. A counted recognition
    target due on or after ``as_of`` carries its expiry ``outlook``, from the maintained
    counts (:func:`graph.reads.outlook.counted_outlook_call`); ``scan`` reads it from the
    recognitions instead (:func:`graph.reads.renewals.outlook_call`), the reference.
    """
    return (
        _DISTRICT + _DATA_UNTIL + "MATCH (t:Target) "
        "WITH t, district, data_until, coalesce(t.area, district) AS scope, "
        "  coalesce($area, district) AS asked "
        "WITH t, district, data_until, scope, asked, CASE "
        "  WHEN scope IS NULL OR asked IS NULL OR scope = asked THEN 'own' "
        f"  WHEN EXISTS {{ (:Area {{id: asked}})-[:PART_OF*1..{AREA_DEPTH}]->(:Area {{id: scope}}) }} "
        "    THEN 'contribution' "
        f"  WHEN EXISTS {{ (:Area {{id: scope}})-[:PART_OF*1..{AREA_DEPTH}]->(:Area {{id: asked}}) }} "
        "    THEN 'part' END AS relation "
        "WHERE relation IS NOT NULL "
        "WITH t, district, data_until, scope, relation = 'contribution' AS contribution, "
        "  CASE relation WHEN 'part' THEN scope WHEN 'contribution' THEN asked "
        "    ELSE coalesce(scope, asked) END AS counted_area, "
        "  CASE WHEN t.deadline IS NOT NULL "
        "    AND date({year: toInteger(t.deadline), month: 12, day: 31}) < $as_of "
        "    THEN date({year: toInteger(t.deadline), month: 12, day: 31}) END AS deadline_day "
        "OPTIONAL MATCH (t)-[s:STATED_IN]->(doc:Document) "
        "WITH t, district, data_until, scope, contribution, counted_area, deadline_day, doc, s, "
        "  [y IN range($as_of.year - $years, $as_of.year - 1) | date({year: y, month: 12, day: 31})] "
        "  + [$as_of] AS days "
        "WITH *, days + CASE WHEN deadline_day IS NULL OR deadline_day IN days THEN [] "
        "  ELSE [deadline_day] END AS all_days, "
        # the counted area and its parts, read once per target (null: anywhere)
        "  CASE WHEN counted_area IS NOT NULL THEN COLLECT { "
        f"    MATCH (a:Area)-[:PART_OF*0..{AREA_DEPTH}]->(:Area {{id: counted_area}}) RETURN a.id "
        "  } END AS places "
        # Countable: one pass over the candidates, each spread over the days it was valid on.
        "OPTIONAL CALL (t, all_days, places) { "
        # from the maintained counts (graph.tally): a few cells per day and bucket
        "  WITH t, all_days, places, $counted[t.indicator_key] AS what "
        "  WHERE what.kinds IS NOT NULL AND t.new_since IS NULL "
        "  UNWIND all_days AS day "
        "  MATCH (b:TallyBucket {group: what.group}) WHERE "
        + buckets_in("places", "null")
        + " "
        + bucket_count("day")
        + "  RETURN day, sum(n) AS n "
        "  UNION ALL "
        # what was recognised since a date: by the recognitions that began since (few: the
        # new institutions and centres of a plan period)
        "  WITH t, all_days, places, $counted[t.indicator_key] AS what "
        "  WHERE what.kinds IS NOT NULL AND t.new_since IS NOT NULL "
        "  MATCH (r:Recognition) WHERE r.kind IN what.kinds "
        "    AND (what.levels IS NULL OR r.level IN what.levels) "
        f"    AND {_since('r.valid_from')} "
        # each organisation once: a merged entry's recognitions are held by its root
        f"  MATCH (o:Organization)-[:HOLDS]->(r) WHERE {not_merged('o')} AND {_located('o')} "
        f"  UNWIND [d IN all_days WHERE {valid_on('r', 'd')}] AS day "
        "  RETURN day, count(DISTINCT o) AS n "
        "  UNION ALL "
        "  WITH t, all_days, places, $counted[t.indicator_key] AS what WHERE what.consortia "
        "  MATCH (c:Consortium) WHERE (what.levels IS NULL OR c.level IN what.levels) "
        f"    AND {_since('coalesce(c.established_on, t.new_since)')} "
        f"    AND {_located('c')} "
        "  UNWIND [d IN all_days WHERE coalesce(c.established_on, d) <= d] AS day "
        "  RETURN day, count(c) AS n } "
        "WITH t, district, data_until, scope, contribution, counted_area, deadline_day, doc, s, "
        "  days, all_days, places, collect(CASE WHEN day IS NOT NULL THEN [day, n] END) AS counted "
        "CALL (t, all_days, counted, data_until, district, counted_area) { UNWIND all_days AS day "
        "  RETURN collect({day: day, value: CASE WHEN t.indicator_key IN $countable "
        "    THEN CASE WHEN data_until IS NULL OR day > data_until THEN null "
        "      ELSE toFloat(coalesce(head([c IN counted WHERE c[0] = day | c[1]]), 0)) END "
        "    ELSE COLLECT { " + _figure_on("day") + " RETURN toFloat(f.value) "
        f"      ORDER BY {_FIGURE_ORDER} LIMIT 1 }}[0] END}}) AS values }} "
        "OPTIONAL CALL (t, district, counted_area) { " + _figure_on("$as_of") + " "
        "  RETURN f {.id, .source, .as_of, .area, .value, .unit, "
        "    stale: f.as_of.year < $as_of.year} AS figure "
        f"  ORDER BY {_FIGURE_ORDER} LIMIT 1 }} "
        + _outlook(scan)
        + "RETURN t {.id, .indicator, .indicator_key, .comparator, .value, .unit, .deadline, .scope, "
        "  .kind, .new_since, evidence: coalesce(t.sentence, t.evidence), .prov_source, .prov_start, "
        ".prov_end} AS target, "
        "doc {.id, .title, .url} AS document, s {.start, .end} AS span, "
        "[p IN values WHERE p.day IN days] AS trend, "
        "head([p IN values WHERE p.day = deadline_day | p.value]) AS at_deadline, "
        "deadline_day, data_until, scope AS scope_area, counted_area AS area, contribution, figure, "
        "outlook "
        "ORDER BY t.deadline, t.id",
        {
            "as_of": as_of,
            "area": area,
            "years": years,
            "counted": _counted(),
            "countable": sorted(COUNTABLE),
        },
    )
