"""Issue 14.4: counts maintained at write time (graph.tally) agree with a count by scan, and
with a rebuild from scratch, after a load and after the bureau's merges and undos."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import neo4j
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.settings import Settings
from api.usecases.demo import write_plan_targets
from graph import reads
from graph.model import Label, RelType
from graph.reads.counted import COUNTED_GROUP_BY, counted_group, counted_total
from graph.records import NodeRecord, NodeRef, RelRecord
from graph.tallies import (
    any_counted,
    clear_tallies,
    expected_cells,
    mark_rebuild,
    rebuild_tallies,
    refresh_steps,
    stored_cells,
    tallies_missing,
    tally_inputs,
)
from graph.tally import Held, cell_rows, contribution, kind_group
from graph.writer import Writer
from loaders.demo import demo_plan
from loaders.provenance import Provenance
from tests.api_demo import cypher, demo
from tests.graphql_client import GraphQL
from tests.tally_cells import count_on

__all__ = ["demo"]

DAYS = [date(2019, 12, 31), date(2023, 1, 1), date(2025, 6, 30)]


windows = st.lists(
    st.tuples(
        st.dates(date(2015, 1, 1), date(2026, 12, 31)),
        st.one_of(st.none(), st.integers(0, 1500)),
    ),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(
    orgs=st.lists(windows, min_size=1, max_size=6), day=st.dates(date(2014, 1, 1), date(2030, 1, 1))
)
def test_cells_count_the_organisations_valid_on_any_day(
    orgs: list[list[tuple[date, int | None]]], day: date
) -> None:
    # each organisation once, however many of its certificates overlap or adjoin
    held = {
        f"o{i}": [
            Held(
                "national_hightech",
                "national",
                start,
                None if span is None else start + timedelta(span),
            )
            for start, span in ws
        ]
        for i, ws in enumerate(orgs)
    }
    new = {o: contribution(h, ["a1"], []) for o, h in held.items()}
    rows, _ = cell_rows({}, new)
    cells = Counter({r["id"]: r["n"] for r in rows})
    want = sum(
        any(h.valid_from <= day and (h.valid_to is None or day <= h.valid_to) for h in hs)  # type: ignore[operator]
        for hs in held.values()
    )
    bucket = f"{kind_group('national_hightech')}#a1#~"
    assert count_on(cells, bucket, day) == want


def test_a_change_of_contribution_moves_only_the_difference() -> None:
    a = [Held("national_hightech", "national", date(2020, 1, 1), date(2022, 12, 31))]
    b = [*a, Held("national_hightech", "national", date(2023, 1, 1), date(2025, 12, 31))]
    first, _ = cell_rows({}, {"o": contribution(a, ["x"], [])})
    moved, _ = cell_rows({"o": contribution(a, ["x"], [])}, {"o": contribution(b, ["x"], [])})
    total = Counter({r["id"]: r["n"] for r in first})
    for r in moved:
        total[r["id"]] += r["n"]
    total = Counter({k: n for k, n in total.items() if n})  # cells back at 0 are removed
    again, _ = cell_rows({}, {"o": contribution(b, ["x"], [])})
    assert total == Counter({r["id"]: r["n"] for r in again})
    # the renewal the day after: one window 2020-2025, so no holding cell on 2023-01-01
    # remains; only the outlook's certificates ended (and renewed) start that day
    on_day = {k.split("#", 1)[0] for k in total if "2023-01-01" in k}
    assert on_day == {"o:ended:k:national_hightech", "o:renewed:k:national_hightech"}


def _scan_total(
    driver: neo4j.Driver, kinds: list[str], area: str | None, tech: str | None, day: date
) -> int:
    rows = cypher(
        driver,
        "MATCH (o:Organization) WHERE NOT EXISTS { (o)-[:SAME_AS]->() } "
        "AND ($area IS NULL OR EXISTS { (o)-[:LOCATED_IN]->(:Area)-[:PART_OF*0..2]->(:Area {id: $area}) }) "
        "AND ($tech IS NULL OR EXISTS { (o)-[:WORKS_ON]->(:Technology)-[:BROADER*0..3]->(:Technology {id: $tech}) }) "
        "AND EXISTS { (o)-[:HOLDS]->(r:Recognition) WHERE r.kind IN $kinds AND r.valid_from <= $d "
        "AND (r.valid_to IS NULL OR r.valid_to >= $d) } RETURN count(o) AS n",
        area=area,
        tech=tech,
        kinds=kinds,
        d=day,
    )
    return int(rows[0]["n"])


def _q(driver: neo4j.Driver, query: tuple[str, dict[str, object]]) -> list[dict[str, object]]:
    return cypher(driver, query[0], **query[1])


def _agree(driver: neo4j.Driver) -> None:
    areas = [
        None,
        *(r["id"] for r in cypher(driver, "MATCH (a:Area) RETURN a.id AS id ORDER BY id")),
    ]
    techs = [
        None,
        *(r["id"] for r in cypher(driver, "MATCH (t:Technology) RETURN t.id AS id ORDER BY id")),
    ]
    for day in DAYS:
        for area in areas:
            for group_by in COUNTED_GROUP_BY:
                for kind in (None, "national_hightech"):
                    scan = _q(
                        driver,
                        reads.grouped_counts_scan(group_by, as_of=day, kind=kind, area=area),
                    )
                    kept = _q(
                        driver, reads.grouped_counts(group_by, as_of=day, kind=kind, area=area)
                    )
                    assert kept == scan, (group_by, kind, area, day)
            covered = _q(driver, reads.coverage(as_of=day, area=area, technologies=None))
            assert covered == _q(
                driver, reads.coverage_scan(as_of=day, area=area, technologies=None)
            )
            rows = _q(driver, reads.ledger(as_of=day, area=area))
            ledger = {r["target"]["indicator_key"]: r["trend"][-1]["value"] for r in rows}  # type: ignore[index]
            # the renewal outlook from the counts is the scan's, number for number
            outlooks = {r["target"]["id"]: r["outlook"] for r in rows}  # type: ignore[index]
            scanned = _q(driver, reads.ledger(as_of=day, area=area, scan=True))
            assert outlooks == {r["target"]["id"]: r["outlook"] for r in scanned}, (area, day)  # type: ignore[index]
            assert not rows or any(o for o in outlooks.values()), (area, day)
            if area is not None:
                want = _scan_total(driver, ["national_hightech"], area, None, day)
                assert ledger["national_hightech_enterprises"] == want, (area, day)
        for tech in techs[:6]:
            for kinds in (
                ["national_hightech"],
                reads.COVERAGE_RECOGNITIONS["enterprise_rd_centres"],
            ):
                group = counted_group(None, kinds)
                assert group is not None
                got = _q(driver, counted_total(group, as_of=day, area=areas[1], technology=tech))
                assert got[0]["total"] == _scan_total(driver, kinds, areas[1], tech, day), (
                    kinds,
                    tech,
                    day,
                )


@pytest.mark.neo4j
def test_maintained_counts_equal_a_rebuild_and_a_scan_after_a_load(
    demo: None, driver: neo4j.Driver, settings: Settings
) -> None:
    assert write_plan_targets(settings, demo_plan("en"))  # the ledger's targets
    stored = stored_cells(driver)
    assert stored and stored == expected_cells(driver)
    _agree(driver)
    assert not tallies_missing(driver)
    # a graph written before the counts were kept: emptied, found missing, built again
    with driver.session() as session:
        for step in range(3):
            session.run(*clear_tallies(step)).consume()
    assert tallies_missing(driver) and not stored_cells(driver)
    rebuild_tallies(driver)
    assert stored_cells(driver) == stored and not tallies_missing(driver)
    # a rebuild stopped part way (its marker set, some cells gone): found missing, mended
    with driver.session() as session:
        session.run(*mark_rebuild(True)).consume()
    driver.execute_query("MATCH (t:Tally) WITH t LIMIT 5 DELETE t")
    assert tallies_missing(driver) and stored_cells(driver) != stored
    rebuild_tallies(driver)
    assert stored_cells(driver) == stored and not tallies_missing(driver)


@pytest.mark.neo4j
def test_merges_and_undos_keep_the_counts_true(
    demo: None, driver: neo4j.Driver, settings: Settings
) -> None:
    pair = cypher(
        driver,
        "MATCH (a:Organization)-[:HOLDS]->(:Recognition {kind: 'national_hightech'}) "
        "WITH DISTINCT a ORDER BY a.id LIMIT 3 RETURN collect(a.id) AS ids",
    )[0]["ids"]
    api = GraphQL(settings)
    try:
        merge = 'mutation($k: String!, $m: String!) { mergeOrganizations(keep: $k, merge: $m, reason: "same") { changed } }'
        undo = 'mutation($o: String!) { undoMerge(organization: $o, reason: "no") { changed } }'
        assert api(merge, k=pair[0], m=pair[1]).ok["mergeOrganizations"]["changed"]
        assert stored_cells(driver) == expected_cells(driver)
        assert api(merge, k=pair[2], m=pair[0]).ok["mergeOrganizations"]["changed"]
        assert stored_cells(driver) == expected_cells(driver)
        _agree(driver)
        assert api(undo, o=pair[0]).ok["undoMerge"]["changed"]
        assert api(undo, o=pair[1]).ok["undoMerge"]["changed"]
        assert stored_cells(driver) == expected_cells(driver)
        _agree(driver)
    finally:
        api.close()


def _refresh_counted(driver: neo4j.Driver, orgs: list[str]) -> tuple[list[str], int]:
    """refresh_steps(orgs, if_counted=True) in one real transaction: (the queries it ran,
    cells changed)."""
    ran: list[str] = []

    def work(tx: neo4j.ManagedTransaction) -> int:
        steps = refresh_steps(orgs, if_counted=True)
        try:
            text, params = next(steps)
            while True:
                ran.append(text)
                text, params = steps.send(list(tx.run(text, params)))
        except StopIteration as done:
            return int(done.value)

    with driver.session() as session:
        changed = session.execute_write(work)
    return ran, changed


@pytest.mark.neo4j
def test_an_area_edge_of_an_organisation_without_recognitions_reads_nothing_more(
    demo: None, driver: neo4j.Driver
) -> None:
    area = cypher(driver, "MATCH (a:Area) RETURN a.id AS id ORDER BY id LIMIT 1")[0]["id"]
    prov = Provenance("test", "test:tally")
    org = NodeRef(Label.ORGANIZATION, "org-tally-probe")
    # as a load writes them: the organisation, its area (before HOLDS), then a recognition
    Writer(driver).write(
        [NodeRecord(Label.ORGANIZATION, org.key, {"name": "探针企业"}, prov)],
        [RelRecord(RelType.LOCATED_IN, org, NodeRef(Label.AREA, area), {}, prov)],
    )
    assert stored_cells(driver) == expected_cells(driver)
    check, inputs = any_counted([str(org.key)])[0], tally_inputs([str(org.key)])[0]
    assert _refresh_counted(driver, [str(org.key)]) == ([check], 0)  # the EXISTS check alone
    recognition = NodeRecord(
        Label.RECOGNITION,
        "rec-tally-probe",
        {
            "kind": "national_hightech",
            "valid_from": date(2024, 1, 1),
            "valid_to": date(2026, 12, 31),
        },
        prov,
    )
    Writer(driver).write([recognition], [RelRecord(RelType.HOLDS, org, recognition.ref, {}, prov)])
    assert stored_cells(driver) == expected_cells(driver)
    ran, changed = _refresh_counted(driver, [str(org.key)])
    assert ran == [check, inputs] and changed == 0  # checked, read, already right
    # recognitions taken away behind the counts' back: the kept contribution is still
    # found, and the refresh takes it out
    before = stored_cells(driver)
    driver.execute_query("MATCH (:Organization {id: $id})-[h:HOLDS]->() DELETE h", id=org.key)
    assert stored_cells(driver) != expected_cells(driver)
    ran, changed = _refresh_counted(driver, [str(org.key)])
    assert ran[:2] == [check, inputs] and len(ran) == 3 and changed > 0
    assert stored_cells(driver) == expected_cells(driver) != before


def test_edges_to_recognitions_go_in_batches_ten_times_the_batch_size(db: neo4j.Driver) -> None:
    """A HOLDS batch recounts its holders in its own transaction; the cells holders share
    (one area, certificates issued on the same days) are written once per batch, so those
    batches are larger: 25 edges at a batch size of 10 go in one transaction."""
    prov = Provenance("test", "test:tally")
    area = NodeRecord(Label.AREA, "fengxi", {"name": "沣西新城"}, prov)
    orgs = [
        NodeRecord(Label.ORGANIZATION, f"org-batch-{i:02}", {"name": f"批次企业{i}"}, prov)
        for i in range(25)
    ]
    recs = [
        NodeRecord(
            Label.RECOGNITION,
            f"rec-batch-{i:02}",
            {
                "kind": "national_hightech",
                "valid_from": date(2023, 11, 1 + i % 3),
                "valid_to": date(2026, 10, 31),
            },
            prov,
        )
        for i in range(25)
    ]
    located = [RelRecord(RelType.LOCATED_IN, o.ref, area.ref, {}, prov) for o in orgs]
    holds = [
        RelRecord(RelType.HOLDS, o.ref, r.ref, {}, prov) for o, r in zip(orgs, recs, strict=True)
    ]
    writer = Writer(db, batch_size=10)
    writer.write([area, *orgs, *recs], located)
    before = writer.batches_committed
    writer.write((), holds)
    assert writer.batches_committed - before == 1
    assert stored_cells(db) == expected_cells(db)
    # without the counts, the batch size is the batch size
    plain = Writer(db, batch_size=10, tally=False)
    plain.write((), holds)
    assert plain.batches_committed == 3
