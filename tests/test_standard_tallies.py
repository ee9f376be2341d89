"""Issue 14.4 for coverage's standards column: group standards in force are counted at write
time (graph.tally.STANDARDS), and the count agrees with a walk over every standard, on any
day, after the standards change, and after a rebuild from scratch."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import neo4j
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.settings import Settings
from api.usecases.events import Events
from api.usecases.prepare import prepare
from graph import reads
from graph.model import Label, RelType
from graph.records import NodeRecord, NodeRef, RelRecord
from graph.tallies import (
    clear_standards,
    expected_cells,
    rebuild_standards,
    standards_missing,
    stored_cells,
)
from graph.tally import STANDARDS, bucket_key, cell_rows, standard_contribution
from graph.writer import Writer
from loaders.provenance import Provenance
from tests.tally_cells import count_on

PROV = Provenance("test", "test:standards")
DAYS = [
    date(2019, 6, 30),
    date(2020, 1, 1),
    date(2022, 12, 31),
    date(2023, 1, 1),
    date(2024, 3, 1),
    date(2025, 6, 30),
]


def _in_force(
    published: date | None, abolished: date | None, status: str | None, day: date
) -> bool:
    """graph.predicates.in_force, in Python."""
    return (
        (published is None or published <= day)
        and (abolished is None or abolished > day)
        and (status or "") != "废止"
    )


standard = st.tuples(
    st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2026, 12, 31))),
    st.one_of(st.none(), st.integers(-30, 2000)),  # abolished this many days after
    st.sampled_from([None, "现行", "废止"]),
)


@settings(max_examples=200, deadline=None)
@given(
    standards=st.lists(standard, min_size=1, max_size=8),
    day=st.dates(date(2014, 1, 1), date(2030, 1, 1)),
)
def test_cells_count_the_standards_in_force_on_any_day(
    standards: list[tuple[date | None, int | None, str | None]], day: date
) -> None:
    rows = []
    for published, after, status in standards:
        abolished = None if after is None else (published or date(2018, 1, 1)) + timedelta(after)
        rows.append((published, abolished, status))
    new = {f"s{i}": standard_contribution(*r, ["t1"]) for i, r in enumerate(rows)}
    cells, _ = cell_rows({}, new)
    counted = Counter({c["id"]: c["n"] for c in cells})
    want = sum(_in_force(*r, day) for r in rows)
    assert count_on(counted, bucket_key(STANDARDS, (), ["t1"]), day) == want


def _tech(key: str, in_plan: bool) -> NodeRecord:
    return NodeRecord(Label.TECHNOLOGY, key, {"name_zh": key, "in_plan": in_plan}, PROV)


def _std(code: str, **props: object) -> NodeRecord:
    return NodeRecord(Label.GROUP_STANDARD, code, {"title_zh": code, **props}, PROV)


def _covers(code: str, tech: str) -> RelRecord:
    return RelRecord(
        RelType.COVERS,
        NodeRef(Label.GROUP_STANDARD, code),
        NodeRef(Label.TECHNOLOGY, tech),
        {},
        PROV,
    )


def _columns(driver: neo4j.Driver, day: date, *, scan: bool) -> dict[str, int]:
    read = reads.coverage_scan if scan else reads.coverage
    records, _, _ = driver.execute_query(*read(as_of=day, area=None, technologies=None))
    return {r["technology"]["id"]: r["group_standards"] for r in records}


def _agree(driver: neo4j.Driver) -> None:
    assert stored_cells(driver) == expected_cells(driver)
    for day in DAYS:
        assert _columns(driver, day, scan=False) == _columns(driver, day, scan=True), day


@pytest.mark.neo4j
def test_standards_in_force_are_counted_as_they_are_written_and_changed(db: neo4j.Driver) -> None:
    narrow = RelRecord(
        RelType.BROADER,
        NodeRef(Label.TECHNOLOGY, "t-narrow"),
        NodeRef(Label.TECHNOLOGY, "t-broad"),
        {},
        PROV,
    )
    Writer(db).write([_tech("t-broad", True), _tech("t-narrow", True)], [narrow])
    standards = [
        _std("T/A 1-2020", published_on=date(2020, 1, 1)),  # covers both: counted once
        _std("T/A 2-2019"),  # no date of publication: in force all along
        _std("T/A 3-2021", published_on=date(2021, 6, 1), abolished_on=date(2023, 1, 1)),
        _std("T/A 4-2019", published_on=date(2019, 1, 1), status="废止"),  # repealed
        _std("T/A 5-2024", published_on=date(2024, 3, 1)),
        _std("T/A 6-2022", published_on=date(2022, 1, 1)),  # covers nothing
    ]
    covers = [
        _covers("T/A 1-2020", "t-broad"),
        _covers("T/A 1-2020", "t-narrow"),
        _covers("T/A 2-2019", "t-broad"),
        _covers("T/A 3-2021", "t-narrow"),
        _covers("T/A 4-2019", "t-broad"),
        _covers("T/A 5-2024", "t-narrow"),
    ]
    Writer(db).write(standards, covers)
    _agree(db)
    # the broad term counts its narrower one's standards; each standard once
    assert _columns(db, date(2022, 12, 31), scan=False) == {"t-broad": 3, "t-narrow": 2}
    assert _columns(db, date(2023, 1, 1), scan=False) == {"t-broad": 2, "t-narrow": 1}
    assert _columns(db, date(2025, 6, 30), scan=False) == {"t-broad": 3, "t-narrow": 2}
    # a reload that abolishes one, repeals another and adds a technology to a third
    Writer(db).write(
        [
            _std("T/A 5-2024", published_on=date(2024, 3, 1), abolished_on=date(2025, 1, 1)),
            _std("T/A 1-2020", published_on=date(2020, 1, 1), status="废止"),
        ],
        [_covers("T/A 2-2019", "t-narrow"), _covers("T/A 6-2022", "t-narrow")],
    )
    _agree(db)
    assert _columns(db, date(2025, 6, 30), scan=False) == {"t-broad": 2, "t-narrow": 2}
    assert not standards_missing(db)
    # standards written before they were counted: found missing, counted once, the same
    before = stored_cells(db)
    db.execute_query(
        "MATCH (s:GroupStandard) REMOVE s._tally WITH count(*) AS n "
        "MATCH (t:Tally) WHERE t.cell STARTS WITH 'std#' DETACH DELETE t"
    )
    assert standards_missing(db) and stored_cells(db) != before
    assert rebuild_standards(db) == len(standards)
    assert stored_cells(db) == before and not standards_missing(db)
    _agree(db)
    # a rebuild stopped after its first step is seen as missing, and a rebuild mends it
    with db.session() as session:  # CALL … IN TRANSACTIONS: an auto-commit transaction
        session.run(*clear_standards(0)).consume()
    assert standards_missing(db)
    rebuild_standards(db)
    assert stored_cells(db) == before and not standards_missing(db)


@pytest.mark.neo4j
def test_prepare_counts_standards_written_before_they_were_counted(
    db: neo4j.Driver, settings: Settings
) -> None:
    Writer(db).write(
        [_tech("t-broad", True), _std("T/A 1-2020", published_on=date(2020, 1, 1))],
        [_covers("T/A 1-2020", "t-broad")],
    )
    counted = stored_cells(db)
    db.execute_query(
        "MATCH (s:GroupStandard) REMOVE s._tally WITH count(*) AS n "
        "MATCH (t:Tally) WHERE t.cell STARTS WITH 'std#' DETACH DELETE t"
    )
    said: list[str] = []
    prepare(settings, Events(on_message=said.append))  # the server is running: reused
    assert "counts: built for 1 group standards" in said
    assert stored_cells(db) == counted and not standards_missing(db)
    said.clear()
    prepare(settings, Events(on_message=said.append))  # counted once: not again
    assert not any(m.startswith("counts:") for m in said)
