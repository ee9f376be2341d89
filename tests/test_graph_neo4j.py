"""Schema and writer against the real Neo4j started by the session fixture."""

from __future__ import annotations

from datetime import date

import neo4j
import pytest
from neo4j.exceptions import ConstraintError

from api.settings import Settings
from graph.ddl import FULLTEXT_ORG_NAMES, ensure_schema
from graph.model import Label, RelType
from graph.records import NodeRecord, NodeRef, RelRecord
from graph.stats import graph_stats
from graph.writer import WriteCounts, Writer
from loaders.provenance import Provenance

pytestmark = pytest.mark.neo4j


def prov(row: int) -> Provenance:
    return Provenance(source="test-list", extractor="loader:test", row=row)


def firm(uscc: str, name: str, row: int) -> NodeRecord:
    return NodeRecord(
        Label.ORGANIZATION,
        f"uscc:{uscc}",
        {"uscc": uscc, "name": name, "name_zh": name, "founded": date(2015, 3, 1)},
        prov(row),
        frozenset({Label.FIRM}),
    )


AREA = NodeRecord(Label.AREA, "fengxi", {"name_zh": "沣西新城", "name_en": "Fengxi"}, prov(0))
FIRMS = [
    firm("91610000MA6TG1XX1A", "陕西甲科技有限公司", 1),
    firm("91610000MA6TG1XX2B", "陕西乙能源股份有限公司", 2),
    firm("91610000MA6TG1XX3C", "西安丙光伏有限公司", 3),
]
LOCATED = [
    RelRecord(RelType.LOCATED_IN, f.ref, AREA.ref, {"since": date(2020, 1, 1)}, f.prov)
    for f in FIRMS
]


def fetch_all(driver: neo4j.Driver) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY elementId(n)"
    )
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props "
        "ORDER BY a, b"
    )
    return [dict(r) for r in nodes], [dict(r) for r in rels]


def test_ensure_schema_is_idempotent(db: neo4j.Driver, settings: Settings) -> None:
    before, _, _ = db.execute_query("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS c")
    report = ensure_schema(db, settings.neo4j_database)
    after, _, _ = db.execute_query("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS c")
    assert (report.constraints_added, report.indexes_added) == (0, 0)
    assert sorted(before[0]["c"]) == sorted(after[0]["c"])
    assert len(after[0]["c"]) >= 10


def test_constraints_reject_duplicate_keys(db: neo4j.Driver) -> None:
    db.execute_query("CREATE (:Organization {id: 'org:dup'})")
    with pytest.raises(ConstraintError):
        db.execute_query("CREATE (:Organization {id: 'org:dup'})")
    db.execute_query("CREATE (:Organization:Firm {id: 'a', uscc: 'X'})")
    with pytest.raises(ConstraintError):
        db.execute_query("CREATE (:Organization:Firm {id: 'b', uscc: 'X'})")
    with pytest.raises(ConstraintError):
        db.execute_query(
            "CREATE (:GroupStandard {code: 'T/CPIA 0001-2020'}), "
            "(:GroupStandard {code: 'T/CPIA 0001-2020'})"
        )


def test_fulltext_index_finds_chinese_names_by_a_fragment(db: neo4j.Driver) -> None:
    Writer(db).write(nodes=FIRMS)
    records, _, _ = db.execute_query(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN node.name AS name",
        index=FULLTEXT_ORG_NAMES,
        q="光伏",
    )
    assert [r["name"] for r in records] == ["西安丙光伏有限公司"]


def test_writer_upserts_nodes_and_relationships_with_provenance(db: neo4j.Driver) -> None:
    counts = Writer(db, batch_size=2).write(nodes=[AREA, *FIRMS], rels=LOCATED)
    assert counts == WriteCounts(nodes_created=4, rels_created=3)
    records, _, _ = db.execute_query(
        "MATCH (f:Organization:Firm)-[r:LOCATED_IN]->(a:Area {id: 'fengxi'}) "
        "RETURN f.uscc AS uscc, f.founded AS founded, f.prov_source AS src, f.prov_row AS row, "
        "r.prov_row AS rrow, r.since AS since ORDER BY uscc"
    )
    assert [r["uscc"] for r in records] == [f.props["uscc"] for f in FIRMS]
    assert [r["row"] for r in records] == [1, 2, 3] == [r["rrow"] for r in records]
    assert {r["src"] for r in records} == {"test-list"}
    assert records[0]["founded"].to_native() == date(2015, 3, 1)
    assert records[0]["since"].to_native() == date(2020, 1, 1)


def test_writing_the_same_records_twice_changes_nothing(db: neo4j.Driver) -> None:
    writer = Writer(db, batch_size=2)
    writer.write(nodes=[AREA, *FIRMS], rels=LOCATED)
    before = fetch_all(db)
    again = writer.write(nodes=[AREA, *FIRMS], rels=LOCATED)
    assert again == WriteCounts(nodes_unchanged=4, rels_unchanged=3)
    assert fetch_all(db) == before


def test_changed_record_counts_as_updated(db: neo4j.Driver) -> None:
    writer = Writer(db)
    writer.write(nodes=FIRMS)
    renamed = firm("91610000MA6TG1XX1A", "陕西甲新材料科技有限公司", 7)
    counts = writer.write(nodes=[renamed])
    assert counts == WriteCounts(nodes_updated=1)
    records, _, _ = db.execute_query(
        "MATCH (f:Firm {uscc: $u}) RETURN f.name AS name, f.prov_row AS row",
        u="91610000MA6TG1XX1A",
    )
    assert (records[0]["name"], records[0]["row"]) == ("陕西甲新材料科技有限公司", 7)


def test_relationships_to_missing_nodes_are_counted_not_invented(db: neo4j.Driver) -> None:
    Writer(db).write(nodes=FIRMS[:1])
    rel = RelRecord(RelType.LOCATED_IN, FIRMS[0].ref, NodeRef(Label.AREA, "nowhere"), {}, prov(9))
    counts = Writer(db).write(rels=[rel])
    assert counts == WriteCounts(rels_missing_end=1)
    assert graph_stats(db).nodes["Area"] == 0


def test_keyed_relationships_keep_parallel_periods_apart(db: neo4j.Driver) -> None:
    consortium = NodeRecord(Label.CONSORTIUM, "c1", {"name": "氢能联合体"}, prov(0))
    periods = [
        RelRecord(
            RelType.MEMBER_OF, FIRMS[0].ref, consortium.ref, {"role": role}, prov(i), key=role
        )
        for i, role in enumerate(["member", "lead"])
    ]
    counts = Writer(db).write(nodes=[FIRMS[0], consortium], rels=periods)
    assert counts.rels_created == 2
    assert graph_stats(db).relationships["MEMBER_OF"] == 2


def test_a_failing_batch_writes_nothing_of_itself(db: neo4j.Driver) -> None:
    db.execute_query("CREATE (:Organization:Firm {id: 'other', uscc: '91610000MA6TG1XX3C'})")
    # One row of the batch breaks Firm.uscc uniqueness: none of its rows may remain.
    with pytest.raises(ConstraintError):
        Writer(db, batch_size=10).write(nodes=FIRMS)
    stats = graph_stats(db)
    assert stats.nodes["Firm"] == 1


def test_stats_count_per_label_and_type(db: neo4j.Driver) -> None:
    Writer(db).write(nodes=[AREA, *FIRMS], rels=LOCATED)
    stats = graph_stats(db)
    assert stats.nodes["Organization"] == 3 and stats.nodes["Firm"] == 3
    assert stats.nodes["Area"] == 1 and stats.nodes["Technology"] == 0
    assert stats.relationships["LOCATED_IN"] == 3 and stats.relationships["HOLDS"] == 0


def test_first_source_owns_a_fact_others_fill_gaps_without_flip_flopping(db: neo4j.Driver) -> None:
    key = "rec-1"

    def rec(source: str, props: dict[str, object]) -> NodeRecord:
        return NodeRecord(Label.RECOGNITION, key, props, Provenance(source, "loader:test", row=5))

    a = rec("list-a", {"kind": "national_hightech", "year": 2023, "valid_from": date(2023, 1, 1)})
    b = rec(
        "list-b", {"kind": "national_hightech", "valid_from": date(2023, 12, 12), "cert_no": "GR1"}
    )
    writer = Writer(db)
    writer.write([a])
    assert writer.write([b]) == WriteCounts(nodes_updated=1)
    records, _, _ = db.execute_query(
        "MATCH (r:Recognition {id: $id}) RETURN r.valid_from AS vf, r.cert_no AS cert, "
        "r.prov_source AS src, r.prov_sources AS srcs",
        id=key,
    )
    row = records[0]
    assert row["vf"].to_native() == date(2023, 1, 1)  # list-a said it first
    assert row["cert"] == "GR1"  # list-b filled a gap
    assert (row["src"], row["srcs"]) == ("list-a", ["list-a", "list-b"])
    before = fetch_all(db)
    assert writer.write([a]) == WriteCounts(nodes_unchanged=1)
    assert writer.write([b]) == WriteCounts(nodes_unchanged=1)
    assert fetch_all(db) == before


def test_an_organisation_keeps_one_kind_label(db: neo4j.Driver) -> None:
    prov_a = Provenance("list-a", "loader:test", row=1)
    guessed = NodeRecord(
        Label.ORGANIZATION, "o1", {"name": "甲研究院"}, prov_a, frozenset({Label.RD_INSTITUTION})
    )
    Writer(db).write([guessed])
    firm_ = NodeRecord(
        Label.ORGANIZATION, "o1", {"name": "甲研究院有限公司"}, prov_a, frozenset({Label.FIRM})
    )
    Writer(db).write([firm_])
    records, _, _ = db.execute_query("MATCH (o:Organization {id: 'o1'}) RETURN labels(o) AS labels")
    assert sorted(records[0]["labels"]) == ["Firm", "Organization"]


def test_many_batches_in_flight_are_all_written_and_counted(db: neo4j.Driver) -> None:
    """Batches are built while others are written, two at a time: none may be lost, and a
    second write of the same records finds every one unchanged."""
    firms = [firm(f"91610000MA6TG2{i:04d}", f"测试{i}号科技有限公司", i) for i in range(25)]
    recs = [
        NodeRecord(Label.RECOGNITION, f"rec-{i}", {"kind": "national_hightech"}, prov(i))
        for i in range(25)
    ]
    rels = [
        RelRecord(RelType.HOLDS, f.ref, r.ref, {}, f.prov) for f, r in zip(firms, recs, strict=True)
    ] + [RelRecord(RelType.LOCATED_IN, f.ref, AREA.ref, {}, f.prov) for f in firms]
    writer = Writer(db, batch_size=3, workers=2)
    assert writer.write([AREA, *firms, *recs], rels) == WriteCounts(
        nodes_created=51, rels_created=50
    )
    stats = graph_stats(db)
    assert (stats.nodes["Firm"], stats.nodes["Recognition"], stats.nodes["Area"]) == (25, 25, 1)
    assert (stats.relationships["HOLDS"], stats.relationships["LOCATED_IN"]) == (25, 25)
    assert writer.write([AREA, *firms, *recs], rels) == WriteCounts(
        nodes_unchanged=51, rels_unchanged=50
    )


def test_a_failing_batch_among_many_stops_the_write_with_its_error(db: neo4j.Driver) -> None:
    db.execute_query("CREATE (:Organization:Firm {id: 'other', uscc: '91610000MA6TG20007'})")
    firms = [firm(f"91610000MA6TG2{i:04d}", f"测试{i}号科技有限公司", i) for i in range(25)]
    with pytest.raises(ConstraintError):
        Writer(db, batch_size=3, workers=2).write(firms)
    # the batch holding the clash (rows 6-8) wrote none of its rows
    records, _, _ = db.execute_query(
        "MATCH (f:Firm) WHERE f.prov_row IN [6, 7, 8] RETURN count(f) AS n"
    )
    assert records[0]["n"] == 0
