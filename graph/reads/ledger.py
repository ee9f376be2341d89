"""The analysts' ledger: every target of the plan with its value on a date and its trend."""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.cypher import Query
from graph.predicates import in_area, not_merged, valid_on
from loaders.vocabulary import vocabulary

__all__ = ["COUNTABLE", "ledger"]

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
        }
        for key, i in vocabulary().counted_indicators.items()
    }


def _since(day: str) -> str:
    return f"(t.new_since IS NULL OR {day} >= t.new_since)"


def _figure_on(day: str) -> str:
    """The reported figures of the target's indicator that a ledger on ``day`` may use: dated
    on or before it, not withdrawn, and of the area asked (a district-wide figure, one of the
    root area, or, for an area, that area's own) — never another area's figure."""
    return (
        "MATCH (f:ReportedFigure {indicator: t.indicator_key}) "
        f"WHERE f.as_of <= {day} AND f.withdrawn_at IS NULL "
        "AND (f.area IS NULL OR f.area = $area OR ($area IS NULL "
        "AND NOT EXISTS { (:Area {id: f.area})-[:PART_OF]->(:Area) }))"
    )


# The latest figure; of two on one date, the area's own before the district's.
_FIGURE_ORDER = "f.as_of DESC, f.area IS NULL, f.id"


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
        # each organisation once: a merged entry's recognitions are held by its root
        f"  MATCH (o:Organization)-[:HOLDS]->(r) WHERE {not_merged('o')} AND {in_area('o')} "
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
        "    ELSE COLLECT { " + _figure_on("day") + " RETURN toFloat(f.value) "
        f"      ORDER BY {_FIGURE_ORDER} LIMIT 1 }}[0] END}}) AS trend }} "
        "OPTIONAL CALL (t) { " + _figure_on("$as_of") + " "
        "  RETURN f {.id, .source, .as_of, .area, .value, .unit, "
        "    stale: f.as_of.year < $as_of.year} AS figure "
        f"  ORDER BY {_FIGURE_ORDER} LIMIT 1 }} "
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
