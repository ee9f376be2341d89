"""Issue 13.1: a merged organisation is counted once, holds what was merged into it in every
read, disappears as itself, and an undo restores exactly the state before."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import neo4j
import pytest

from api.settings import Settings
from api.usecases.demo import write_plan_targets
from loaders.demo import demo_plan
from tests.api_demo import AS_OF, cypher, demo
from tests.graph_digest import graph_digest
from tests.graphql_client import GraphQL

pytestmark = pytest.mark.neo4j
__all__ = ["demo"]

MERGE = 'mutation($k: String!, $m: String!) { mergeOrganizations(keep: $k, merge: $m, reason: "same firm") { changed } }'
UNDO = 'mutation($o: String!) { undoMerge(organization: $o, reason: "not the same") { changed } }'
ORG = """query($id: String!, $d: Date) { organization(id: $id, asOf: $d) {
  key name status aliases mergedInto { key name } merged { key name }
  formerNames recognitions { id kind } memberships { consortium { id } until current inheritedFrom }
  standards { code } technologies { id } } }"""
VIEWS = """query($d: Date, $a: String) {
  ledger(asOf: $d, area: $a) { indicatorKey actual }
  counts(groupBy: RECOGNITION_KIND, asOf: $d, area: $a, recognition: "national_hightech") { key count }
  organizations(recognition: "national_hightech", asOf: $d, area: $a, first: 1) { totalCount }
}"""


@pytest.fixture(scope="module")
def api(demo: None, settings: Settings) -> Iterator[GraphQL]:
    assert write_plan_targets(settings, demo_plan("en"))  # the plan's nine targets, as the demo
    client = GraphQL(settings)
    yield client
    client.close()


def _views(api: GraphQL, area: str | None) -> tuple[float, int, int]:
    d = api(VIEWS, d=AS_OF, a=area).ok
    ledger = next(
        r["actual"] for r in d["ledger"] if r["indicatorKey"] == "national_hightech_enterprises"
    )
    counts = next((r["count"] for r in d["counts"] if r["key"] == "national_hightech"), 0)
    return ledger, counts, d["organizations"]["totalCount"]


def _two_hightech_firms(db: neo4j.Driver, area: str) -> list[dict[str, Any]]:
    """Two firms of one area, each holding a national high-tech recognition valid on AS_OF,
    the second one a member of a consortium (so the merge moves a membership)."""
    return cypher(
        db,
        "MATCH (a:Area {id: $area})<-[:LOCATED_IN]-(o:Organization)-[:HOLDS]->(r:Recognition "
        "{kind: 'national_hightech'}) WHERE r.valid_from <= date($d) AND "
        "(r.valid_to IS NULL OR r.valid_to >= date($d)) AND NOT EXISTS { (o)-[:SAME_AS]-() } "
        "WITH DISTINCT o ORDER BY EXISTS { (o)-[:MEMBER_OF]->() }, o.id "
        "RETURN o.id AS id, o.name AS name LIMIT 2",
        area=area,
        d=AS_OF,
    )


def _area(db: neo4j.Driver) -> str:
    return cypher(db, "MATCH (a:Area)-[:PART_OF]->(:Area) RETURN a.id AS id ORDER BY id LIMIT 1")[
        0
    ]["id"]


def test_a_merge_counts_once_in_every_view_and_moves_what_it_held(
    api: GraphQL, driver: neo4j.Driver
) -> None:
    area = _area(driver)
    keep, gone = _two_hightech_firms(driver, area)
    before = {a: _views(api, a) for a in (None, area)}
    for ledger, counts, total in before.values():
        assert ledger == counts == total  # the views agree before the edit
    held = api(ORG, id=gone["id"], d=AS_OF).ok["organization"]
    own = {
        m["consortium"]["id"]
        for m in api(ORG, id=keep["id"], d=AS_OF).ok["organization"]["memberships"]
    }

    assert api(MERGE, k=keep["id"], m=gone["id"]).ok["mergeOrganizations"]["changed"]

    for a, (ledger, counts, total) in before.items():
        assert _views(api, a) == (ledger - 1, counts - 1, total - 1), a  # one firm, counted once
    kept = api(ORG, id=keep["id"], d=AS_OF).ok["organization"]
    assert {r["id"] for r in held["recognitions"]} <= {r["id"] for r in kept["recognitions"]}
    assert {m["consortium"]["id"] for m in held["memberships"]} <= {
        m["consortium"]["id"] for m in kept["memberships"]
    }
    assert {t["id"] for t in held["technologies"]} <= {t["id"] for t in kept["technologies"]}
    assert {s["code"] for s in held["standards"]} <= {s["code"] for s in kept["standards"]}
    inherited = {
        m["consortium"]["id"] for m in kept["memberships"] if m["inheritedFrom"] == gone["id"]
    }
    assert inherited == {m["consortium"]["id"] for m in held["memberships"]} - own
    assert gone["name"] in kept["aliases"] + kept["formerNames"]  # a name of the kept one now
    assert kept["merged"] == [{"key": gone["id"], "name": gone["name"]}]
    merged = api(ORG, id=gone["id"], d=AS_OF).ok["organization"]
    assert merged["status"] == "merged" and merged["mergedInto"] == {
        "key": keep["id"],
        "name": keep["name"],
    }
    # gone from lists and search as itself; its name leads to the kept one
    page = api(
        "query($t: String, $d: Date) { organizations(text: $t, asOf: $d) { edges { node { key } } } }",
        t=gone["name"],
        d=AS_OF,
    ).ok["organizations"]["edges"]
    keys = [e["node"]["key"] for e in page]
    assert keep["id"] in keys and gone["id"] not in keys
    assert len(keys) == len(set(keys))  # once, though both entries' names match
    hits = api("query($t: String!) { search(text: $t) { type key } }", t=gone["name"]).ok["search"]
    assert {"type": "Organization", "key": keep["id"]} in hits
    assert all(h["key"] != gone["id"] for h in hits)

    assert api(UNDO, o=gone["id"]).ok["undoMerge"]["changed"]
    for a, views in before.items():
        assert _views(api, a) == views, a


def test_undo_restores_exactly_the_graph_before_the_merge(
    api: GraphQL, driver: neo4j.Driver
) -> None:
    area = _area(driver)
    a, b = _two_hightech_firms(driver, area)
    c = cypher(
        driver,
        "MATCH (o:Organization) WHERE NOT o.id IN $ids AND EXISTS { (o)-[:HOLDS]->() } "
        "AND NOT EXISTS { (o)-[:SAME_AS]-() } RETURN o.id AS id ORDER BY o.id LIMIT 1",
        ids=[a["id"], b["id"]],
    )[0]

    def digest() -> tuple[int, int, str]:
        # audit entries record the edits; everything else must be as it was
        driver.execute_query("MATCH (e:AuditEntry) DETACH DELETE e")
        return graph_digest(driver)

    start = digest()
    assert api(MERGE, k=b["id"], m=c["id"]).ok["mergeOrganizations"]["changed"]  # c -> b
    after_one = digest()
    assert api(MERGE, k=a["id"], m=b["id"]).ok["mergeOrganizations"]["changed"]  # b -> a: a chain
    kept = api(ORG, id=a["id"], d=AS_OF).ok["organization"]
    assert {x["key"] for x in kept["merged"]} == {b["id"], c["id"]}
    c_recs = cypher(
        driver,
        "MATCH (:Organization {id: $id})-[h:HOLDS]->(r) WHERE h.via_merge IS NULL RETURN r.id AS id",
        id=c["id"],
    )
    assert {r["id"] for r in c_recs} <= {r["id"] for r in kept["recognitions"]}
    assert api(ORG, id=c["id"]).ok["organization"]["mergedInto"]["key"] == a["id"]  # the root

    assert api(UNDO, o=b["id"]).ok["undoMerge"]["changed"]
    assert digest() == after_one  # b stands again and holds c's; a holds neither
    assert api(UNDO, o=c["id"]).ok["undoMerge"]["changed"]
    assert digest() == start


def test_merges_that_would_break_the_forest_are_refused_in_words(
    api: GraphQL, driver: neo4j.Driver
) -> None:
    area = _area(driver)
    a, b = _two_hightech_firms(driver, area)
    assert api(MERGE, k=a["id"], m=b["id"]).ok["mergeOrganizations"]["changed"]
    again = api(MERGE, k=a["id"], m=b["id"]).ok["mergeOrganizations"]
    assert again == {"changed": False}  # asking for what holds changes nothing

    circle = api(MERGE, k=b["id"], m=a["id"])  # b is merged into a: a circle
    assert circle.code == "MERGE_REFUSED" and "merged into" in circle.errors[0][0]
    assert a["id"] in circle.errors[0][0]
    itself = api(MERGE, k=a["id"], m=a["id"])
    assert itself.code == "MERGE_REFUSED" and "itself" in itself.errors[0][0]
    other = cypher(
        driver,
        "MATCH (o:Organization) WHERE NOT o.id IN $ids AND NOT EXISTS { (o)-[:SAME_AS]-() } "
        "RETURN o.id AS id LIMIT 1",
        ids=[a["id"], b["id"]],
    )[0]["id"]
    elsewhere = api(MERGE, k=other, m=b["id"])  # b already merged into a
    assert elsewhere.code == "MERGE_REFUSED" and "undo" in elsewhere.errors[0][0]
    not_merged = api(UNDO, o=a["id"])
    assert not_merged.code == "NOT_MERGED" and "not merged" in not_merged.errors[0][0]
    membership = api(
        'mutation($o: String!) { setMembership(organization: $o, consortium: "x", role: "member", reason: "r") { changed } }',
        o=b["id"],
    )
    assert membership.code == "MERGED_ENTRY" and a["id"] in membership.errors[0][0]
    assert (
        cypher(
            driver,
            "MATCH (:Organization {id: $id})-[s:SAME_AS]->() RETURN count(s) AS n",
            id=a["id"],
        )[0]["n"]
        == 0
    )
    assert api(UNDO, o=b["id"]).ok["undoMerge"]["changed"]


def test_a_load_after_a_merge_keeps_it_and_the_root_holds_what_the_load_adds(
    api: GraphQL, driver: neo4j.Driver
) -> None:
    area = _area(driver)
    a, b = _two_hightech_firms(driver, area)
    assert api(MERGE, k=a["id"], m=b["id"]).ok["mergeOrganizations"]["changed"]
    # a loader writes onto the merged entry, by its key, as a re-load of a changed list does
    from graph.merges import refresh_merges  # the step every load ends with

    driver.execute_query(
        "MATCH (b:Organization {id: $id}) SET b.status = 'active' "
        "MERGE (r:Recognition {id: 'rec-late'}) SET r.kind = 'specialized_sme', "
        "r.valid_from = date('2020-01-01') MERGE (b)-[:HOLDS]->(r)",
        id=b["id"],
    )
    driver.execute_query(*refresh_merges())
    kept = api(ORG, id=a["id"], d=AS_OF).ok["organization"]
    assert "rec-late" in {r["id"] for r in kept["recognitions"]}
    merged = api(ORG, id=b["id"]).ok["organization"]
    assert merged["status"] == "merged"  # read from the merge, not the status a load rewrote
    assert api(UNDO, o=b["id"]).ok["undoMerge"]["changed"]
    kept = api(ORG, id=a["id"], d=AS_OF).ok["organization"]
    assert "rec-late" not in {r["id"] for r in kept["recognitions"]}
    driver.execute_query("MATCH (r:Recognition {id: 'rec-late'}) DETACH DELETE r")


def test_an_undo_shows_in_the_trail_of_the_organisation_it_left(
    api: GraphQL, driver: neo4j.Driver
) -> None:
    a, b = _two_hightech_firms(driver, _area(driver))
    assert api(MERGE, k=a["id"], m=b["id"]).ok["mergeOrganizations"]["changed"]
    assert api(UNDO, o=b["id"]).ok["undoMerge"]["changed"]
    trail = api(
        "query($e: String) { auditTrail(entity: $e, first: 5) { edges { node { action entity } } } }",
        e=a["id"],
    ).ok["auditTrail"]["edges"]
    actions = [(e["node"]["action"], e["node"]["entity"]) for e in trail]
    assert actions[:2] == [("undoMerge", b["id"]), ("mergeOrganizations", a["id"])]
