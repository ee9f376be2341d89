"""Renewals: certificates that end soon with no later one, the flows in and out of a count,
and the expiry outlook the ledger projects a counted target from.

A holder is an organisation standing as itself (not merged) in the area (with its parts);
it holds a kind on a day when one of its recognitions of that kind is valid on the day
(:func:`graph.predicates.valid_on`), as every count of the registry reads it.
"""

from __future__ import annotations

from datetime import date, timedelta

from graph.cypher import Query
from graph.predicates import AREA_DEPTH, in_area, not_merged, valid_on
from graph.tally import RENEWAL_GRACE_DAYS

__all__ = [
    "OUTLOOK_COHORT_YEARS",
    "OUTLOOK_ENTRANT_YEARS",
    "RENEWAL_GRACE_DAYS",
    "expiring_page",
    "flows",
    "outlook_call",
    "period_ends",
]

OUTLOOK_COHORT_YEARS = 5  # the ended certificates the renewal rate is observed on
OUTLOOK_ENTRANT_YEARS = 3  # the years new holders per year are averaged over


def _holder(org: str = "o") -> str:
    return f"{not_merged(org)} AND {in_area(org)}"


def expiring_page(
    *, as_of: date, until: date, area: str | None, kind: str | None, offset: int, limit: int
) -> Query:
    """Organisations whose recognition (of ``kind``; null: any) valid on ``as_of`` ends by
    ``until`` and that hold no recognition of that kind ending later (or open-ended): soonest
    first, then by name. A page and the total, counted."""
    match = (
        "MATCH (o:Organization)-[:HOLDS]->(r:Recognition) "
        f"WHERE ($kind IS NULL OR r.kind = $kind) AND {valid_on('r')} AND r.valid_to <= $until "
        f"AND {_holder()} AND NOT EXISTS {{ (o)-[:HOLDS]->(later:Recognition) "
        "WHERE later.kind = r.kind AND later <> r "
        "AND (later.valid_to IS NULL OR later.valid_to > r.valid_to) } "
    )
    return (
        f"CALL () {{ {match} RETURN count(*) AS total }} "
        f"CALL () {{ {match} WITH o, r ORDER BY r.valid_to, o.name, o.id, r.id "
        "SKIP $offset LIMIT $limit "
        "RETURN collect({organization: o {.id, .name, .uscc}, recognition: r {.id, .kind, "
        ".level, .cert_no, .granted_on, .valid_from, .valid_to, .year, .batch, .issuer, .status, "
        ".prov_source, .prov_row, .prov_sources, valid: true}}) AS items } "
        "RETURN total, items",
        {
            "as_of": as_of,
            "until": until,
            "area": area,
            "kind": kind,
            "offset": offset,
            "limit": limit,
        },
    )


def flows(*, periods: list[dict[str, object]], area: str | None, kind: str | None) -> Query:
    """Per period ``{period, start, end}`` (consecutive: each starts on the last one's end):
    holders new (not holding on start, holding on end), renewed (holding on both, with a
    recognition beginning in between), lapsed (holding on start, not on end). New minus
    lapsed is the change of the count from start to end, so the nets add up over periods."""
    return (
        "MATCH (o:Organization)-[:HOLDS]->(r:Recognition) "
        "WHERE ($kind IS NULL OR r.kind = $kind) AND r.valid_from <= $last "
        f"AND (r.valid_to IS NULL OR r.valid_to >= $first) AND {_holder()} "
        "WITH o, collect(r {.valid_from, .valid_to}) AS rs "
        "UNWIND $periods AS p "
        f"WITH p, any(x IN rs WHERE {valid_on('x', 'p.start')}) AS before, "
        f"  any(x IN rs WHERE {valid_on('x', 'p.end')}) AS after, "
        "  any(x IN rs WHERE x.valid_from > p.start AND x.valid_from <= p.end) AS began "
        "RETURN p.period AS period, "
        "  sum(CASE WHEN after AND NOT before THEN 1 ELSE 0 END) AS new, "
        "  sum(CASE WHEN after AND before AND began THEN 1 ELSE 0 END) AS renewed, "
        "  sum(CASE WHEN before AND NOT after THEN 1 ELSE 0 END) AS lapsed",
        {
            "periods": periods,
            "first": periods[0]["start"] if periods else date.min,
            "last": periods[-1]["end"] if periods else date.min,
            "area": area,
            "kind": kind,
        },
    )


def outlook_call(
    target: str, area: str, what: str, *, out: str = "outlook", only: str = "true"
) -> str:
    """A ``CALL`` subquery for the ledger, after which ``outlook`` is, for a counted
    recognition target whose deadline is on or after ``$as_of``: {at_risk: holders on
    $as_of whose every certificate of the counted kinds ends by the deadline; ended,
    renewed: certificates that ended in the last OUTLOOK_COHORT_YEARS years, and those of
    them followed by a new one within RENEWAL_GRACE_DAYS; entrants: holders whose first
    certificate began in the last OUTLOOK_ENTRANT_YEARS years}; else null. ``target`` is
    the target's variable, ``area`` the counted area's (null: anywhere), ``what`` the
    counted map's expression (kinds, levels); ``out`` the variable it sets, ``only`` a
    further condition on the target.

    By scan of the recognitions: the reference the maintained outlook
    (:func:`graph.reads.outlook.counted_outlook_call`) is checked against, and what a
    target counting only what began since a date (``new_since``) is read with."""
    cohort = f"$as_of - duration({{years: {OUTLOOK_COHORT_YEARS}}})"
    entrants = f"$as_of - duration({{years: {OUTLOOK_ENTRANT_YEARS}}})"
    return (
        f"OPTIONAL CALL ({target}, {area}) {{ "
        f"  WITH {target}, {area}, {what} AS what, "
        f"    date({{year: toInteger({target}.deadline), month: 12, day: 31}}) AS due "
        f"  WHERE what.kinds IS NOT NULL AND {target}.deadline IS NOT NULL AND due >= $as_of "
        f"    AND {only} "
        f"  WITH {target}, what, due, CASE WHEN {area} IS NOT NULL THEN COLLECT {{ "
        f"    MATCH (a:Area)-[:PART_OF*0..{AREA_DEPTH}]->(:Area {{id: {area}}}) RETURN a.id "
        "  } END AS places "
        # an inner CALL, so that a target the filter above leaves out gets null, not zeros
        f"  CALL ({target}, what, due, places) {{ "
        # from the recognitions of the counted kinds (an index), as the ledger counts them
        "  MATCH (r:Recognition) WHERE r.kind IN what.kinds "
        "    AND (what.levels IS NULL OR r.level IN what.levels) "
        f"    AND ({target}.new_since IS NULL OR r.valid_from >= {target}.new_since) "
        "  MATCH (o:Organization)-[:HOLDS]->(r) "
        f"  WHERE {not_merged('o')} AND (places IS NULL OR EXISTS {{ "
        "      (o)-[:LOCATED_IN]->(x:Area) WHERE x.id IN places }) "
        "  WITH due, o, collect(r {.valid_from, .valid_to}) AS rs "
        f"  WITH due, o, rs, any(x IN rs WHERE {valid_on('x')}) AS holds, "
        "    all(x IN rs WHERE x.valid_to IS NOT NULL AND x.valid_to <= due) AS ends, "
        f"    [x IN rs WHERE x.valid_to < $as_of AND x.valid_to >= {cohort}] AS gone, "
        "    reduce(m = null, x IN rs | CASE WHEN m IS NULL OR x.valid_from < m "
        "      THEN x.valid_from ELSE m END) AS first_from "
        "  RETURN {at_risk: sum(CASE WHEN holds AND ends THEN 1 ELSE 0 END), "
        "    ended: sum(size(gone)), "
        "    renewed: sum(size([x IN gone WHERE any(y IN rs WHERE y.valid_from > x.valid_from "
        f"      AND y.valid_from <= x.valid_to + duration({{days: {RENEWAL_GRACE_DAYS}}}))])), "
        f"    entrants: sum(CASE WHEN first_from > {entrants} AND first_from <= $as_of "
        f"      THEN 1 ELSE 0 END)}} AS {out} }} RETURN {out} }} "
    )


def period_ends(start: date, end: date, by: str) -> list[tuple[str, date, date]]:
    """(label, start, end) of consecutive periods from ``start`` to ``end`` ending on each
    year's (YEAR) or quarter's (QUARTER) last day, the last one on ``end``."""
    out: list[tuple[str, date, date]] = []
    cursor = start
    while cursor < end:
        if by == "YEAR":
            stop = date(cursor.year, 12, 31)
            if stop <= cursor:
                stop = date(cursor.year + 1, 12, 31)
        else:
            q = (cursor.month - 1) // 3
            stop = _quarter_end(cursor.year, q)
            if stop <= cursor:
                stop = _quarter_end(cursor.year + (q == 3), (q + 1) % 4)
        stop = min(stop, end)
        label = str(stop.year) if by == "YEAR" else f"{stop.year}-Q{(stop.month - 1) // 3 + 1}"
        out.append((label, cursor, stop))
        cursor = stop
    return out


def _quarter_end(year: int, quarter: int) -> date:
    return date(year + (quarter == 3), (quarter + 1) % 4 * 3 + 1, 1) - timedelta(days=1)
