"""The Cypher builders as strings: whitelisted names in the text, values only in parameters."""

from datetime import date
from decimal import Decimal

import pytest

from graph.cypher import delete_all, merge_nodes, merge_rels, stats_labels, stats_rels
from graph.ddl import schema_statements
from graph.errors import WhitelistError
from graph.model import Label, RelType, key_of
from graph.records import NodeRecord, NodeRef, RelRecord, content_hash
from loaders.provenance import Provenance

PROV = Provenance(source="test", extractor="unit", row=1)


def test_merge_nodes_merges_on_the_label_key_and_passes_rows_as_parameters() -> None:
    rows = [{"key": "org:1", "props": {"name": "x') DETACH DELETE n //"}, "hash": "h"}]
    query, params = merge_nodes(Label.ORGANIZATION, rows, "2026-01-01T00:00:00+00:00")
    assert query.startswith("UNWIND $rows AS row MERGE (n:`Organization` {`id`: row.key})")
    assert "ON CREATE SET n += row.props, n += row.prov" in query
    assert "SET n += row.props, n += before" in query
    assert "DETACH DELETE" not in query  # the value stays in the parameters
    assert params == {"rows": rows, "now": "2026-01-01T00:00:00+00:00"}


def test_merge_nodes_adds_kind_labels_in_a_stable_order() -> None:
    query, _ = merge_nodes(Label.ORGANIZATION, [], "now", [Label.SOCIETY, Label.FIRM])
    on_create, on_update = query.split(" WITH ", 1)
    assert on_create.endswith(", n:`Firm`, n:`Society`")
    assert (
        "n:`Firm`, n:`Society` REMOVE n:`Agency` REMOVE n:`RDInstitution` REMOVE n:`University`"
        in on_update
    )


def test_merge_nodes_refuses_labels_outside_the_model() -> None:
    with pytest.raises(ValueError):
        merge_nodes("Person`) DETACH DELETE n //", [], "now")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        merge_nodes(Label.ORGANIZATION, [], "now", [Label.TECHNOLOGY])


def test_merge_rels_matches_both_ends_and_merges_by_optional_key() -> None:
    query, params = merge_rels(
        RelType.MEMBER_OF, Label.ORGANIZATION, Label.CONSORTIUM, [{"start": "a"}], "now", keyed=True
    )
    assert "MATCH (a:`Organization` {`id`: row.start})" in query
    assert "MATCH (b:`Consortium` {`id`: row.end})" in query
    assert "MERGE (a)-[r:`MEMBER_OF` {key: row.rkey}]->(b)" in query
    assert params["rows"] == [{"start": "a"}]
    unkeyed, _ = merge_rels(RelType.HOLDS, Label.ORGANIZATION, Label.RECOGNITION, [], "now")
    assert "MERGE (a)-[r:`HOLDS`]->(b)" in unkeyed
    with pytest.raises(ValueError):
        merge_rels("KNOWS", Label.ORGANIZATION, Label.AREA, [], "now")  # type: ignore[arg-type]


def test_key_of_every_mergeable_label_and_refusal_of_others() -> None:
    assert key_of(Label.FIRM) == "uscc"
    assert key_of(Label.GROUP_STANDARD) == "code"
    assert key_of("Organization") == "id"
    with pytest.raises(WhitelistError, match="'Person' is not a mergeable label"):
        key_of("Person")


def test_stats_queries_name_every_label_and_type_of_the_model() -> None:
    labels, _ = stats_labels()
    rels, _ = stats_rels()
    assert all(f"(n:`{label}`)" in labels for label in Label)
    assert all(f"[r:`{t}`]" in rels for t in RelType)
    assert delete_all(500) == (
        "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS",
        {"batch": 500},
    )


def test_schema_has_a_constraint_per_key_and_a_cjk_fulltext_index() -> None:
    stmts = schema_statements()
    assert all("IF NOT EXISTS" in s for s in stmts)
    for label, prop in [
        ("Organization", "id"),
        ("Firm", "uscc"),
        ("Consortium", "id"),
        ("GroupStandard", "code"),
        ("Technology", "id"),
        ("Area", "id"),
        ("Recognition", "id"),
        ("Document", "id"),
        ("Target", "id"),
        ("Source", "id"),
    ]:
        assert any(f"FOR (n:`{label}`) REQUIRE n.`{prop}` IS UNIQUE" in s for s in stmts), label
    fulltext = [s for s in stmts if "FULLTEXT" in s]
    # organisations, and the search's other kinds (technologies, consortia, standards)
    assert [s.split()[3] for s in fulltext] == ["org_names", "entity_names"]
    assert all("'cjk'" in s for s in fulltext)
    assert "FOR (n:`Technology`|`Consortium`|`GroupStandard`)" in fulltext[1]


def test_records_validate_names_and_hash_their_content() -> None:
    node = NodeRecord(Label.ORGANIZATION, "org:1", {"name": "甲"}, PROV, frozenset({Label.FIRM}))
    row = node.row()
    assert row["key"] == "org:1"
    assert row["props"] == {"name": "甲"}
    assert row["prov"]["prov_source"] == "test" and row["prov"]["prov_row"] == 1
    assert row["hash"] == content_hash(row["props"]) and row["phash"] == content_hash(row["prov"])
    # an absent value is not stated, so it cannot erase what another source said
    assert "uscc" not in NodeRecord(Label.ORGANIZATION, "o", {"uscc": None}, PROV).row()["props"]
    assert (
        row["hash"] != NodeRecord(Label.ORGANIZATION, "org:1", {"name": "乙"}, PROV).row()["hash"]
    )
    # the hash is of the content: key order and list/tuple do not matter, every value does
    stated = {"granted_on": date(2023, 12, 12), "aliases": ["甲", "乙"], "level": None}
    same = {"level": None, "aliases": ("甲", "乙"), "granted_on": date(2023, 12, 12)}
    assert content_hash(stated) == content_hash(same)
    assert content_hash(stated) != content_hash({**stated, "granted_on": date(2023, 12, 13)})
    assert content_hash({"n": 1}) != content_hash({"n": 1.5}) != content_hash({"n": "1"})
    # a type outside the stored ones still hashes (by its text), it does not fail the load
    assert content_hash({"d": Decimal("1.5")}) == content_hash({"d": "1.5"})
    with pytest.raises(WhitelistError):
        NodeRecord(Label.TECHNOLOGY, "t", {}, PROV, frozenset({Label.FIRM}))
    with pytest.raises(WhitelistError):
        NodeRecord(Label.AREA, "a", {"bad name": 1}, PROV)
    rel = RelRecord(RelType.LOCATED_IN, node.ref, NodeRef(Label.AREA, "fengxi"), {}, PROV, key=None)
    assert rel.row()["start"] == "org:1" and rel.row()["end"] == "fengxi"


def test_provenance_checks_its_values() -> None:
    with pytest.raises(ValueError, match="confidence"):
        Provenance(source="s", extractor="x", confidence=1.5)
    with pytest.raises(ValueError, match="source"):
        Provenance(source="", extractor="x")


def test_organisation_reads_only_the_related_lists_asked_for() -> None:
    from datetime import date

    from graph import reads

    text, _ = reads.organization(
        id="o", uscc=None, as_of=date(2025, 1, 1), related=frozenset({"recognitions"})
    )
    assert "HOLDS" in text and "MEMBER_OF" not in text and "DRAFTED" not in text
    everything, _ = reads.organization(id="o", uscc=None, as_of=date(2025, 1, 1))
    assert all(rel in everything for rel in ("HOLDS", "MEMBER_OF", "DRAFTED", "WORKS_ON"))
    page, _ = reads.organizations_page(
        offset=0, limit=3, as_of=date(2025, 1, 1), area="fengxi", related=frozenset()
    )
    # an area page starts from the area, and reads no related list
    assert page.count("MATCH (:Area {id: $area})") == 2 and "recognitions:" not in page
