"""The GraphQL API at schema level (with variables) and over real HTTP, on a small demo."""

from __future__ import annotations

import base64
from datetime import date

import neo4j
import pytest

from api.settings import Settings
from tests.api_demo import AS_OF, cypher, run

pytestmark = pytest.mark.neo4j


ORGS = """
query($first: Int!, $after: String, $area: String, $rec: String, $asOf: Date) {
  organizations(first: $first, after: $after, area: $area, recognition: $rec, asOf: $asOf) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id key name uscc areas { id } recognitions { kind valid } provenance { source row sources } } }
  }
}
"""


def test_organizations_pages_with_a_counted_total(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    variables = {"first": 7, "area": "fengxi", "rec": "national_hightech", "asOf": AS_OF}
    data, trips = run(settings, ORGS, variables)
    conn = data["organizations"]
    expected = cypher(
        driver,
        "MATCH (o:Organization)-[:LOCATED_IN]->(:Area {id: 'fengxi'}) WHERE EXISTS { (o)-[:HOLDS]->(r:Recognition {kind: 'national_hightech'}) "
        "WHERE r.valid_from <= $d AND r.valid_to >= $d } RETURN count(o) AS n",
        d=date(2025, 6, 30),
    )[0]["n"]
    assert conn["totalCount"] == expected > 7 and trips == 1
    assert len(conn["edges"]) == 7 and conn["pageInfo"]["hasNextPage"]
    node = conn["edges"][0]["node"]
    assert base64.b64decode(node["id"]).decode() == f"Organization:{node['key']}"
    assert node["areas"] == [{"id": "fengxi"}]
    assert any(r["kind"] == "national_hightech" and r["valid"] for r in node["recognitions"])
    assert node["provenance"]["source"] and node["provenance"]["row"]
    seen = {e["node"]["key"] for e in conn["edges"]}
    after = run(settings, ORGS, {**variables, "after": conn["pageInfo"]["endCursor"]})[0][
        "organizations"
    ]
    assert after["pageInfo"]["hasPreviousPage"] and not seen & {
        e["node"]["key"] for e in after["edges"]
    }


def test_organization_by_uscc_and_node_by_global_id(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    uscc = cypher(
        driver, "MATCH (o:Firm) WHERE o.uscc IS NOT NULL RETURN o.uscc AS u ORDER BY u LIMIT 1"
    )[0]["u"]
    data, _ = run(
        settings, "query($u: String) { organization(uscc: $u) { id uscc name } }", {"u": uscc}
    )
    org = data["organization"]
    assert org["uscc"] == uscc
    again, trips = run(
        settings,
        "query($id: ID!) { node(id: $id) { ... on Organization { uscc } } }",
        {"id": org["id"]},
    )
    assert again["node"] == {"uscc": uscc} and trips == 1


def test_search_finds_a_firm_by_an_alias(demo: None, settings: Settings) -> None:
    data, _ = run(
        settings,
        "query($t: String!) { search(text: $t, first: 5) { type key label } }",
        {"t": "阿特斯阳光电力集团有限公司"},
    )
    assert (
        data["search"][0]["label"] == "阿特斯阳光电力集团股份有限公司"
    )  # the alias led to the firm


def test_coverage_counts_match_the_graph_and_name_the_gaps(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    data, trips = run(
        settings,
        "query($d: Date) { coverage(asOf: $d) { technology { id } consortia groupStandards hightechEnterprises gaps } }",
        {"d": AS_OF},
    )
    rows = {r["technology"]["id"]: r for r in data["coverage"]}
    assert trips == 1
    assert set(rows) == {
        r["id"] for r in cypher(driver, "MATCH (t:Technology) WHERE t.in_plan RETURN t.id AS id")
    }
    fuel = rows["hydrogen-fuel-cell"]
    consortia = cypher(
        driver,
        "MATCH (c:Consortium)-[:FOCUSES_ON]->(:Technology {id: 'hydrogen-fuel-cell'}) RETURN count(DISTINCT c) AS n",
    )[0]["n"]
    assert fuel["consortia"] == consortia > 0
    for row in rows.values():
        assert ("consortia" in row["gaps"]) == (row["consortia"] == 0)
    # the demo leaves vehicle-grid interaction without consortium or standard on purpose
    assert {"consortia", "group_standards"} <= set(rows["v2g"]["gaps"])


def test_partners_are_ranked_with_reasons(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    lead = cypher(
        driver, "MATCH (o:Organization)-[:MEMBER_OF {role: 'lead'}]->(c) RETURN o.id AS id LIMIT 1"
    )[0]["id"]
    data, trips = run(
        settings,
        "query($o: String!) { partners(organization: $o, first: 5) { organizationId score reasons { kind text } } }",
        {"o": lead},
    )
    suggestions = data["partners"]
    assert trips == 1 and suggestions
    assert [s["score"] for s in suggestions] == sorted(
        (s["score"] for s in suggestions), reverse=True
    )
    top = suggestions[0]
    assert any(r["kind"] == "consortium" and "consortium" in r["text"] for r in top["reasons"])
    tech = cypher(
        driver,
        "MATCH (:Organization {id: $o})-[:MEMBER_OF]->(:Consortium)-[:FOCUSES_ON]->(t) RETURN t.id AS t LIMIT 1",
        o=lead,
    )[0]["t"]
    narrowed, _ = run(
        settings,
        "query($o: String!, $t: String) { partners(organization: $o, technology: $t, first: 50) { organizationId } }",
        {"o": lead, "t": tech},
    )
    keys = [
        base64.b64decode(p["organizationId"]).decode().split(":", 1)[1]
        for p in narrowed["partners"]
    ]
    assert keys
    on_topic = cypher(
        driver,
        "UNWIND $keys AS k MATCH (p:Organization {id: k}) WHERE EXISTS { (p)-[:WORKS_ON|MEMBER_OF|DRAFTED]->()-[:WORKS_ON|FOCUSES_ON|COVERS|BROADER*0..3]->(:Technology {id: $t}) } "
        "OR EXISTS { (p)-[:WORKS_ON]->(:Technology)-[:BROADER*0..3]->(:Technology {id: $t}) } RETURN count(p) AS n",
        keys=keys,
        t=tech,
    )[0]["n"]
    assert on_topic == len(keys)  # every suggestion works on the technology asked for


def test_counts_by_area_equal_a_direct_count(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    data, _ = run(
        settings,
        'query($d: Date) { counts(groupBy: AREA, recognition: "national_hightech", asOf: $d) { key count } }',
        {"d": AS_OF},
    )
    direct = cypher(
        driver,
        "MATCH (o)-[:HOLDS]->(r:Recognition {kind: 'national_hightech'}) WHERE r.valid_from <= $d AND r.valid_to >= $d "
        "MATCH (o)-[:LOCATED_IN]->(a:Area) RETURN a.id AS key, count(DISTINCT o) AS count ORDER BY key",
        d=date(2025, 6, 30),
    )
    assert data["counts"] == direct and len(direct) == 5


def _write_two_targets_and_a_figure(driver: neo4j.Driver) -> None:
    """A counted target (high-tech enterprises) and a reported one with its figure."""
    from graph.model import Label, RelType
    from graph.records import NodeRecord, RelRecord
    from graph.writer import Writer
    from loaders.provenance import Provenance

    doc = NodeRecord(
        Label.DOCUMENT, "seed-plan", {"title": "Xixian carbon peak plan"}, Provenance("test", "t")
    )
    targets = [
        NodeRecord(
            Label.TARGET,
            "t-hightech",
            {
                "indicator": "national high-tech enterprises",
                "indicator_key": "national_hightech_enterprises",
                "comparator": ">=",
                "value": 3500.0,
                "unit": "count",
                "deadline": 2025,
            },
            Provenance("seed-plan", "nlp:test", start=10, end=40),
        ),
        NodeRecord(
            Label.TARGET,
            "t-share",
            {
                "indicator": "non-fossil energy share",
                "indicator_key": "non_fossil_share",
                "comparator": "~",
                "value": 16.0,
                "unit": "%",
                "deadline": 2025,
            },
            Provenance("seed-plan", "nlp:test", start=50, end=53),
        ),
    ]
    stated = [
        RelRecord(RelType.STATED_IN, t.ref, doc.ref, {"start": 10, "end": 40}, t.prov)
        for t in targets
    ]
    figure = NodeRecord(
        Label.REPORTED_FIGURE,
        "f1",
        {
            "indicator": "non_fossil_share",
            "value": 14.2,
            "as_of": date(2024, 12, 31),
            "source": "statistical bulletin 2024",
        },
        Provenance("bureau:test", "bureau"),
    )
    Writer(driver).write([doc, *targets, figure], stated)


def test_ledger_counts_countable_targets_and_reads_reported_figures(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    _write_two_targets_and_a_figure(driver)
    query = "query($d: Date, $a: String) { ledger(asOf: $d, area: $a) { targetId actual target status countable figureSource trend { day value } document { title } evidenceStart } }"
    data, trips = run(settings, query, {"d": AS_OF})
    rows = {r["targetId"]: r for r in data["ledger"]}
    assert trips == 1
    hightech = rows["t-hightech"]
    direct = cypher(
        driver,
        "MATCH (o)-[:HOLDS]->(r:Recognition {kind: 'national_hightech'}) WHERE r.valid_from <= $d AND r.valid_to >= $d RETURN count(DISTINCT o) AS n",
        d=date(2025, 6, 30),
    )[0]["n"]
    assert hightech["actual"] == direct and hightech["countable"] is True
    assert [p["day"] for p in hightech["trend"]] == [
        "2020-12-31",
        "2021-12-31",
        "2022-12-31",
        "2023-12-31",
        "2024-12-31",
        "2025-06-30",
    ]
    assert hightech["status"] in ("behind", "on_track") and hightech["document"] == {
        "title": "Xixian carbon peak plan"
    }
    share = rows["t-share"]
    assert (share["actual"], share["figureSource"], share["countable"]) == (
        14.2,
        "statistical bulletin 2024",
        False,
    )
    assert share["status"] == "behind"
    fengxi, _ = run(settings, query, {"d": AS_OF, "a": "fengxi"})
    fengxi_hightech = next(r for r in fengxi["ledger"] if r["targetId"] == "t-hightech")
    assert 0 < fengxi_hightech["actual"] < hightech["actual"]


def test_other_registry_lists_and_node_for_every_type(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    query = """query($t: String, $d: Date) {
      consortia(first: 3, technology: $t, asOf: $d) { totalCount edges { node { id key name members { role } } } }
      groupStandards(first: 3, technology: $t) { totalCount edges { node { id code drafters technologies } } }
      technologies(first: 50, technology: $t) { totalCount edges { node { id key broader narrower } } }
      documents(first: 5) { totalCount }
    }"""
    data, trips = run(settings, query, {"t": "pv", "d": AS_OF})
    assert trips == 4  # one round trip per top-level field
    expected = cypher(
        driver,
        "MATCH (c:Consortium) WHERE EXISTS { (c)-[:FOCUSES_ON]->(:Technology)-[:BROADER*0..3]->(:Technology {id: 'pv'}) } "
        "AND (c.established_on IS NULL OR c.established_on <= $d) RETURN count(c) AS n",
        d=date(2025, 6, 30),
    )[0]["n"]
    assert data["consortia"]["totalCount"] == expected > 0
    assert all(
        any(m["role"] == "lead" for m in e["node"]["members"]) for e in data["consortia"]["edges"]
    )
    techs = {e["node"]["key"] for e in data["technologies"]["edges"]}
    assert {"pv", "cdte-thin-film", "smart-pv-module"} <= techs and "hydrogen" not in techs
    assert all(set(e["node"]["technologies"]) & techs for e in data["groupStandards"]["edges"])
    for conn in ("consortia", "groupStandards", "technologies"):
        node_id = data[conn]["edges"][0]["node"]["id"]
        again, _ = run(
            settings, "query($id: ID!) { node(id: $id) { id __typename } }", {"id": node_id}
        )
        assert again["node"]["id"] == node_id
