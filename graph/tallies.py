"""The maintained counts in the graph (see :mod:`graph.tally` for the design): the Cypher
that reads an organisation's inputs and applies a change of contributions, run inside the
transaction of the write that caused it; a rebuild from scratch; the check that compares.

``Tally`` cells (``id`` = cell|day; ``cell`` = bucket|Y, |M or |D; ``day``; ``n``) and
``TallyBucket`` nodes (``key``, ``group``, ``areas``, ``techs``) are written only here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator, Iterable, Sequence
from typing import Any

import neo4j

from graph.cypher import Query
from graph.driver import WriteTx
from graph.merges import MERGE_DEPTH, refresh_merges
from graph.model import Label
from graph.tally import (
    OUTLOOK_GROUPS,
    STANDARDS,
    Held,
    cell_rows,
    contribution,
    standard_contribution,
)

__all__ = [
    "DERIVED",
    "REBUILDING",
    "TALLY_BATCH",
    "any_counted",
    "apply_tally",
    "clear_standards",
    "clear_tallies",
    "drive_async",
    "expected_cells",
    "holders",
    "mark_rebuild",
    "merge_trees",
    "merged_orgs",
    "missing_standards",
    "missing_tallies",
    "rebuild_standards",
    "rebuild_tallies",
    "refresh_merged",
    "refresh_standards",
    "refresh_steps",
    "refresh_tallies",
    "standard_inputs",
    "standard_steps",
    "standards_missing",
    "stored_cells",
    "tallied_orgs",
    "tallied_standards",
    "tallies_missing",
    "tally_inputs",
]

TALLY_BATCH = 2000  # organisations per rebuild transaction
# The provenance of a count cell or bucket: derived from the graph, by graph.tally.
DERIVED = "derived:graph.tally"


def tally_inputs(ids: Sequence[str]) -> Query:
    """What each organisation's contribution is computed from (merged: nothing)."""
    return (
        "UNWIND $ids AS id MATCH (o:Organization {id: id}) "
        "RETURN o.id AS id, coalesce(o._tally, []) AS old, "
        "EXISTS { (o)-[:SAME_AS]->() } AS merged, "
        "[(o)-[:HOLDS]->(r:Recognition) | [r.kind, r.level, r.valid_from, r.valid_to, r.year]] AS held, "
        "[(o)-[:LOCATED_IN]->(a:Area) | a.id] AS areas, "
        "[(o)-[:WORKS_ON]->(t:Technology) | t.id] AS techs",
        {"ids": list(ids)},
    )


def any_counted(ids: Sequence[str]) -> Query:
    """Whether one of these organisations holds a recognition or has a kept contribution:
    if none does, recomputing their counts changes nothing."""
    return (
        "RETURN EXISTS { UNWIND $ids AS id MATCH (o:Organization {id: id}) "
        "WHERE o._tally IS NOT NULL OR EXISTS { (o)-[:HOLDS]->() } } AS any",
        {"ids": list(ids)},
    )


def merge_trees(ids: Sequence[str]) -> Query:
    """The organisations of the merge trees ``ids`` belong to (their counts move together)."""
    return (
        "UNWIND $ids AS id MATCH (o:Organization {id: id}) "
        f"MATCH (o)-[:SAME_AS*0..{2 * MERGE_DEPTH}]-(x:Organization) "
        "RETURN collect(DISTINCT x.id) AS ids",
        {"ids": list(ids)},
    )


def holders(recognitions: Sequence[str]) -> Query:
    """The organisations holding these recognitions (own or copied by a merge)."""
    return (
        "UNWIND $ids AS id MATCH (o:Organization)-[:HOLDS]->(:Recognition {id: id}) "
        "RETURN collect(DISTINCT o.id) AS ids",
        {"ids": list(recognitions)},
    )


# What keeps its contribution (``_tally``), by its key property.
_KEPT = {Label.ORGANIZATION: "id", Label.GROUP_STANDARD: "code"}


def apply_tally(
    cells: Sequence[dict[str, Any]],
    buckets: Sequence[dict[str, Any]],
    orgs: Sequence[dict[str, Any]],
    label: Label = Label.ORGANIZATION,
) -> Query:
    """Add the cell deltas (a cell back at 0 is removed), the buckets' changes of members
    (a bucket nothing falls in is removed), and keep each organisation's (or, with
    ``label``, each group standard's) new contribution."""
    kept = f"MATCH (x:`{label}` {{{_KEPT[label]}: o.id}})"
    return (
        "CALL () { UNWIND $buckets AS b MERGE (x:TallyBucket {key: b.key}) "
        "  ON CREATE SET x.group = b.group, x.areas = b.areas, x.techs = b.techs, x.members = 0, "
        "    x.prov_source = $derived "
        "  SET x.members = x.members + b.members "
        "  WITH x WHERE x.members = 0 DELETE x RETURN count(*) AS buckets } "
        "CALL () { UNWIND $cells AS c MERGE (t:Tally {id: c.id}) "
        "  ON CREATE SET t.cell = c.cell, t.day = c.day, t.n = 0, t.prov_source = $derived "
        "  SET t.n = t.n + c.n "
        "  WITH t WHERE t.n = 0 DELETE t RETURN count(*) AS emptied } "
        f"CALL () {{ UNWIND $orgs AS o {kept} SET x._tally = o.tally "
        "  RETURN count(*) AS orgs } "
        "RETURN buckets, emptied, orgs",
        {"cells": list(cells), "buckets": list(buckets), "orgs": list(orgs), "derived": DERIVED},
    )


def _native(v: Any) -> Any:
    return v.to_native() if hasattr(v, "to_native") else v


def _held(rows: Iterable[Sequence[Any]]) -> list[Held]:
    return [Held(k, lv, _native(f), _native(t), y) for k, lv, f, t, y in rows]


def _contributions(records: Iterable[Any]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    old: dict[str, list[str]] = {}
    new: dict[str, list[str]] = {}
    for r in records:
        old[r["id"]] = list(r["old"])
        new[r["id"]] = [] if r["merged"] else contribution(_held(r["held"]), r["areas"], r["techs"])
    return old, new


# A refresh as steps: each yields a query and receives its records, so the same logic runs
# in a sync transaction (the loader) and an async one (the API's mutations).
RefreshSteps = Generator[Query, list[Any], int]


def refresh_steps(
    orgs: Iterable[str] = (),
    *,
    recognitions: Sequence[str] = (),
    trees: bool = False,
    if_counted: bool = False,
) -> RefreshSteps:
    """Recompute the contributions of ``orgs`` (and of the holders of ``recognitions``;
    with ``trees``, of everyone in their merge trees) and apply the change. Returns how many
    cells changed. ``if_counted`` (only ``orgs``): first one EXISTS check
    (:func:`any_counted`); when none of them holds a recognition nor has a contribution
    kept, nothing can change and nothing more is read (a load writes an organisation's
    areas and technologies before its recognitions)."""
    ids = set(orgs)
    checked = if_counted and ids and not recognitions and not trees
    if checked and not (yield any_counted(sorted(ids)))[0]["any"]:
        return 0
    if recognitions:
        ids |= set((yield holders(recognitions))[0]["ids"])
    if trees and ids:
        ids |= set((yield merge_trees(sorted(ids)))[0]["ids"])
    if not ids:
        return 0
    old, new = _contributions((yield tally_inputs(sorted(ids))))
    changed = {o: new[o] for o in new if sorted(old[o]) != new[o]}
    if not changed:
        return 0
    cells, buckets = cell_rows({o: old[o] for o in changed}, changed)
    rows = [{"id": o, "tally": t} for o, t in sorted(changed.items())]
    yield apply_tally(cells, buckets, rows)
    return len(cells)


def _drive(tx: WriteTx, steps: RefreshSteps) -> int:
    try:
        query = next(steps)
        while True:
            text, params = query
            query = steps.send(list(tx.run(text, params)))
    except StopIteration as done:
        return int(done.value)


async def drive_async(tx: neo4j.AsyncManagedTransaction, steps: RefreshSteps) -> int:
    """Run refresh steps in an async transaction."""
    try:
        query = next(steps)
        while True:
            text, params = query
            result = await tx.run(text, params)
            query = steps.send([r async for r in result])
    except StopIteration as done:
        return int(done.value)


def refresh_tallies(
    tx: WriteTx,
    orgs: Iterable[str] = (),
    *,
    recognitions: Sequence[str] = (),
    trees: bool = False,
    if_counted: bool = False,
) -> int:
    """:func:`refresh_steps` in ``tx`` (a sync managed transaction)."""
    steps = refresh_steps(orgs, recognitions=recognitions, trees=trees, if_counted=if_counted)
    return _drive(tx, steps)


def merged_orgs() -> Query:
    """Every organisation in a merge tree (either end of a SAME_AS edge)."""
    return (
        "MATCH (o:Organization)-[:SAME_AS]-(:Organization) RETURN collect(DISTINCT o.id) AS ids",
        {},
    )


def refresh_merged(driver: neo4j.Driver, database: str | None = None) -> int:
    """After a load or a document write: every root holds what its tree holds again
    (:func:`graph.merges.refresh_merges`), and the counts of every tree follow, in one
    transaction."""

    def work(tx: neo4j.ManagedTransaction) -> int:
        text, params = refresh_merges()
        tx.run(text, params).consume()
        text, params = merged_orgs()
        ids = tx.run(text, params).single(strict=True)["ids"]
        return refresh_tallies(tx, ids)

    with driver.session(database=database) as s:
        return s.execute_write(work)


def tallied_orgs() -> Query:
    """Every organisation that holds a recognition or has a kept contribution."""
    return (
        "MATCH (o:Organization) WHERE o._tally IS NOT NULL OR EXISTS { (o)-[:HOLDS]->() } "
        "RETURN o.id AS id ORDER BY id",
        {},
    )


# What a rebuild empties, each in batches of its own (auto-commit transactions).
_CLEAR = (
    "MATCH (t:Tally) CALL (t) { DELETE t } IN TRANSACTIONS OF $batch ROWS",
    "MATCH (b:TallyBucket) WHERE b.key <> $marker "
    "CALL (b) { DELETE b } IN TRANSACTIONS OF $batch ROWS",
    "MATCH (o:Organization|GroupStandard) WHERE o._tally IS NOT NULL "
    "CALL (o) { REMOVE o._tally } IN TRANSACTIONS OF $batch ROWS",
)
# The key of a marker bucket that stands while a rebuild runs (no group any read asks for):
# a rebuild stopped part way leaves it, and the counts are then missing until one finishes.
REBUILDING = "!rebuilding"


def mark_rebuild(on: bool) -> Query:
    """Set (``on``) or take away the marker of a rebuild under way."""
    if on:
        return (
            "MERGE (m:TallyBucket {key: $marker}) "
            "ON CREATE SET m.group = $marker, m.prov_source = $derived",
            {"marker": REBUILDING, "derived": DERIVED},
        )
    return ("MATCH (m:TallyBucket {key: $marker}) DELETE m", {"marker": REBUILDING})


def clear_tallies(step: int) -> Query:
    """Step ``step`` (0-2) of emptying the counts: cells, buckets (not a rebuild's marker),
    kept contributions."""
    return (_CLEAR[step], {"batch": 10_000} | ({"marker": REBUILDING} if step == 1 else {}))


def _ids(driver: neo4j.Driver, database: str | None) -> list[str]:
    text, params = tallied_orgs()
    records, _, _ = driver.execute_query(text, params, database_=database)
    return [r["id"] for r in records]


def rebuild_tallies(driver: neo4j.Driver, database: str | None = None) -> int:
    """Every count from scratch: the cells are emptied, then each organisation's contribution
    is applied, a batch per transaction; a marker stands meanwhile (:data:`REBUILDING`), so
    that a rebuild stopped part way is found missing and done again. Returns the
    organisations counted."""
    with driver.session(database=database) as s:
        s.run(*mark_rebuild(True)).consume()
        for step in range(len(_CLEAR)):
            text, params = clear_tallies(step)
            s.run(text, params).consume()
    ids = _ids(driver, database)
    with driver.session(database=database) as s:
        for i in range(0, len(ids), TALLY_BATCH):
            batch = ids[i : i + TALLY_BATCH]
            s.execute_write(lambda tx, b=batch: refresh_tallies(tx, b))  # type: ignore[misc]
    _count_standards(driver, database)
    with driver.session(database=database) as s:
        s.run(*mark_rebuild(False)).consume()
    return len(ids)


def missing_tallies() -> Query:
    """Whether the graph has recognitions held but no count cell (written before the counts
    were maintained), or holds a counted indicator's kind but no bucket of the outlook's
    groups (counted before they were kept), or a rebuild was stopped part way: either way
    the counts are rebuilt once."""
    kinds = sorted({k for kinds, _ in OUTLOOK_GROUPS.values() for k in kinds})
    return (
        "RETURN EXISTS { MATCH (:TallyBucket {key: $marker}) } OR "
        "EXISTS { MATCH (:Organization)-[:HOLDS]->(:Recognition) } AND ("
        "NOT EXISTS { MATCH (t:Tally) WHERE NOT t.cell STARTS WITH 'std#' } OR ("
        "EXISTS { MATCH (:Organization)-[:HOLDS]->(r:Recognition) WHERE r.kind IN $kinds } "
        "AND NOT EXISTS { MATCH (b:TallyBucket) WHERE b.group STARTS WITH 'o:' })) AS missing",
        {"kinds": kinds, "marker": REBUILDING},
    )


def tallies_missing(driver: neo4j.Driver, database: str | None = None) -> bool:
    text, params = missing_tallies()
    records, _, _ = driver.execute_query(text, params, database_=database)
    return bool(records[0]["missing"])


def stored_cells(driver: neo4j.Driver, database: str | None = None) -> Counter[str]:
    """The maintained cells, ``id -> n``."""
    records, _, _ = driver.execute_query(
        "MATCH (t:Tally) RETURN t.id AS id, t.n AS n", database_=database
    )
    return Counter({r["id"]: r["n"] for r in records if r["n"]})


def expected_cells(driver: neo4j.Driver, database: str | None = None) -> Counter[str]:
    """The cells recomputed from the graph, without writing: what a rebuild would store."""
    out: Counter[str] = Counter()
    sources = (
        (_ids(driver, database), tally_inputs, _contributions),
        (_standards(driver, database), standard_inputs, _standard_contributions),
    )
    for keys, inputs, contributions in sources:
        for i in range(0, len(keys), TALLY_BATCH):
            text, params = inputs(keys[i : i + TALLY_BATCH])
            records, _, _ = driver.execute_query(text, params, database_=database)
            _, new = contributions(records)
            cells, _ = cell_rows({}, new)
            for c in cells:
                out[c["id"]] += c["n"]
    return Counter({k: n for k, n in out.items() if n})


# Group standards in force (graph.tally.STANDARDS): what a standard's window is read from,
# recomputed for the standards a write touched (the node or its COVERS edges).


def standard_inputs(codes: Sequence[str]) -> Query:
    """What each group standard's contribution is computed from (``old``: null if never
    counted)."""
    return (
        "UNWIND $codes AS code MATCH (s:GroupStandard {code: code}) "
        "RETURN s.code AS id, s._tally AS old, s.published_on AS published_on, "
        "s.abolished_on AS abolished_on, s.status AS status, "
        "[(s)-[:COVERS]->(t:Technology) | t.id] AS techs",
        {"codes": list(codes)},
    )


def _standard_contributions(
    records: Iterable[Any],
) -> tuple[dict[str, list[str] | None], dict[str, list[str]]]:
    old: dict[str, list[str] | None] = {}
    new: dict[str, list[str]] = {}
    for r in records:
        old[r["id"]] = None if r["old"] is None else list(r["old"])
        new[r["id"]] = standard_contribution(
            _native(r["published_on"]), _native(r["abolished_on"]), r["status"], r["techs"]
        )
    return old, new


def standard_steps(codes: Iterable[str]) -> RefreshSteps:
    """Recompute the contributions of the group standards ``codes`` and apply the change;
    each gets its contribution kept, so that one never counted is seen
    (:func:`standards_missing`). Returns how many cells changed."""
    ids = sorted(set(codes))
    if not ids:
        return 0
    old, new = _standard_contributions((yield standard_inputs(ids)))
    changed = {c: t for c, t in new.items() if old[c] is None or sorted(old[c] or []) != t}
    if not changed:
        return 0
    cells, buckets = cell_rows({c: old[c] or [] for c in changed}, changed)
    rows = [{"id": c, "tally": t} for c, t in sorted(changed.items())]
    yield apply_tally(cells, buckets, rows, Label.GROUP_STANDARD)
    return len(cells)


def refresh_standards(tx: WriteTx, codes: Iterable[str]) -> int:
    """:func:`standard_steps` in ``tx`` (a sync managed transaction)."""
    return _drive(tx, standard_steps(codes))


def tallied_standards() -> Query:
    """Every group standard (each has a contribution, if only an empty one)."""
    return ("MATCH (s:GroupStandard) RETURN s.code AS id ORDER BY id", {})


def _standards(driver: neo4j.Driver, database: str | None) -> list[str]:
    records, _, _ = driver.execute_query(*tallied_standards(), database_=database)
    return [r["id"] for r in records]


def _count_standards(driver: neo4j.Driver, database: str | None) -> int:
    codes = _standards(driver, database)
    with driver.session(database=database) as s:
        for i in range(0, len(codes), TALLY_BATCH):
            batch = codes[i : i + TALLY_BATCH]
            s.execute_write(lambda tx, b=batch: refresh_standards(tx, b))  # type: ignore[misc]
    return len(codes)


def missing_standards() -> Query:
    """Whether a group standard was never counted (written before standards were)."""
    return ("RETURN EXISTS { MATCH (s:GroupStandard) WHERE s._tally IS NULL } AS missing", {})


def standards_missing(driver: neo4j.Driver, database: str | None = None) -> bool:
    records, _, _ = driver.execute_query(*missing_standards(), database_=database)
    return bool(records[0]["missing"])


# What a rebuild of the standards' counts empties: their cells, buckets and kept windows.
# The kept windows go first: a rebuild stopped part way leaves standards without one, so
# standards_missing sees it and the next start rebuilds from scratch.
_CLEAR_STANDARDS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("MATCH (t:GroupStandard) WHERE t._tally IS NOT NULL ", {}),
    ("MATCH (t:Tally) WHERE t.cell STARTS WITH $prefix ", {"prefix": STANDARDS + "#"}),
    ("MATCH (t:TallyBucket {group: $group}) ", {"group": STANDARDS}),
)


def clear_standards(step: int) -> Query:
    """Step ``step`` (0-2) of emptying the standards' counts: kept windows, cells, buckets
    (the organisations' are left as they are)."""
    match, params = _CLEAR_STANDARDS[step]
    act = "REMOVE t._tally" if step == 0 else "DELETE t"
    return (
        f"{match}CALL (t) {{ {act} }} IN TRANSACTIONS OF $batch ROWS",
        {**params, "batch": 10_000},
    )


def rebuild_standards(driver: neo4j.Driver, database: str | None = None) -> int:
    """The group standards' counts from scratch. Returns the standards counted."""
    with driver.session(database=database) as s:
        for step in range(len(_CLEAR_STANDARDS)):
            s.run(*clear_standards(step)).consume()
    return _count_standards(driver, database)
