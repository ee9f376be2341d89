"""The ledger's renewal outlook from the maintained counts (graph.tally's ``o:`` groups):
the same four numbers as the scan (:func:`graph.reads.renewals.outlook_call`), from a few
cells per bucket, whatever the registry's size."""

from __future__ import annotations

from graph.reads.counted import bucket_count, buckets_in
from graph.reads.renewals import OUTLOOK_COHORT_YEARS, OUTLOOK_ENTRANT_YEARS

__all__ = ["counted_outlook_call"]


def _part(name: str, later: str, earlier: str | None, *, group: str = "", groups: str = "") -> str:
    """``name``: the count of ``group`` (a Cypher expression of one group) or of ``groups``
    (of a list of them, summed) on ``later``, less its count on ``earlier``, summed over the
    buckets in ``places``."""
    if bool(group) == bool(groups):
        raise ValueError("an outlook part counts one group or a list of groups: give one")
    match = (
        f"MATCH (b:TallyBucket) WHERE b.group IN {groups} "
        if groups
        else f"MATCH (b:TallyBucket {{group: {group}}}) WHERE true "
    )
    minus = f"{bucket_count(earlier, 'e')}" if earlier else ""
    return (
        f"{match}AND {buckets_in('places', 'null')} "
        f"{bucket_count(later, 'l')}{minus}"
        # the sum first: with no bucket it is 0, not no row
        f"WITH sum(l{' - e' if earlier else ''}) AS n RETURN '{name}' AS part, n "
    )


def counted_outlook_call(target: str, what: str, *, out: str = "outlook") -> str:
    """A ``CALL`` subquery for the ledger (after ``places``, the counted area's keys or
    null, is bound), setting ``out`` to the outlook of a counted recognition target due on
    or after ``$as_of`` that counts every holder (no ``new_since``); else null:

    - at_risk: the ``o:last`` groups of the years from $as_of's to the deadline's, on $as_of;
    - ended, renewed: the ``o:ended`` / ``o:renewed`` group on $as_of less on the cohort's
      first day (OUTLOOK_COHORT_YEARS before);
    - entrants: the ``o:first`` group on $as_of less on OUTLOOK_ENTRANT_YEARS before."""
    g = "what.group"
    ended, renewed, first = (f"'o:{part}:' + {g}" for part in ("ended", "renewed", "first"))
    return (
        f"OPTIONAL CALL ({target}, places) {{ "
        f"  WITH {target}, places, {what} AS what, "
        f"    date({{year: toInteger({target}.deadline), month: 12, day: 31}}) AS due "
        f"  WHERE what.kinds IS NOT NULL AND {target}.deadline IS NOT NULL AND due >= $as_of "
        f"    AND {target}.new_since IS NULL "
        "  WITH places, what, $as_of AS day, "
        f"    $as_of - duration({{years: {OUTLOOK_COHORT_YEARS}}}) AS cohort, "
        f"    $as_of - duration({{years: {OUTLOOK_ENTRANT_YEARS}}}) AS since, "
        f"    [y IN range($as_of.year, due.year) | 'o:last:' + {g} + ':' + toString(y)] AS lasts "
        # an inner CALL, so that a target the filter above leaves out gets null, not nulls
        "  CALL (places, what, day, cohort, since, lasts) { "
        "  CALL (places, what, day, cohort, since, lasts) { "
        f"    {_part('at_risk', 'day', None, groups='lasts')}"
        f"    UNION ALL {_part('ended', 'day', 'cohort', group=ended)}"
        f"    UNION ALL {_part('renewed', 'day', 'cohort', group=renewed)}"
        f"    UNION ALL {_part('entrants', 'day', 'since', group=first)}"
        "  } "
        "  WITH collect([part, coalesce(n, 0)]) AS parts "
        "  RETURN {at_risk: head([p IN parts WHERE p[0] = 'at_risk' | p[1]]), "
        "    ended: head([p IN parts WHERE p[0] = 'ended' | p[1]]), "
        "    renewed: head([p IN parts WHERE p[0] = 'renewed' | p[1]]), "
        "    entrants: head([p IN parts WHERE p[0] = 'entrants' | p[1]])} AS o } "
        f"  RETURN o AS {out} }} "
    )
