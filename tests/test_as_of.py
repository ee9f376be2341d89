"""Issue 13.2: every read that takes asOf respects the start and end of what it reads:
memberships (since/until), drafting (a standard's publication and abolition), recognitions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import neo4j
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.settings import Settings
from tests.api_demo import cypher, demo
from tests.graphql_client import GraphQL
from tests.reason_paths import HOLDS_ON

pytestmark = pytest.mark.neo4j
__all__ = ["demo"]

PARTNERS = """query($o: String!, $d: Date) { partners(organization: $o, asOf: $d, first: 50) {
  key reasons { kind viaId } } }"""
ORG = """query($id: String!, $d: Date) { organization(id: $id, asOf: $d) {
  memberships { consortium { id } since until current } } }"""
MEMBERS = """query($id: ID!, $d: Date) { node(id: $id, asOf: $d) {
  ... on Consortium { members { key until } } } }"""


@pytest.fixture(scope="module")
def api(demo: None, settings: Settings) -> Iterator[GraphQL]:
    client = GraphQL(settings)
    yield client
    client.close()


@pytest.fixture(scope="module")
def connected(demo: None, driver: neo4j.Driver) -> list[str]:
    """Organisations with consortium and standard partners: where reasons have dates."""
    rows = cypher(
        driver,
        "MATCH (o:Organization) WHERE EXISTS { (o)-[:MEMBER_OF]->()<-[:MEMBER_OF]-() } "
        "OR EXISTS { (o)-[:DRAFTED]->()<-[:DRAFTED]-() } RETURN o.id AS id ORDER BY id LIMIT 40",
    )
    assert len(rows) >= 10
    return [r["id"] for r in rows]


def test_an_ended_membership_is_history_in_every_view(api: GraphQL, driver: neo4j.Driver) -> None:
    pair = cypher(
        driver,
        "MATCH (a:Organization)-[m:MEMBER_OF]->(c:Consortium)<-[:MEMBER_OF]-(b:Organization) "
        "WHERE a.id < b.id AND m.until IS NULL AND NOT EXISTS { (a)-[:MEMBER_OF]->(:Consortium)"
        "<-[:MEMBER_OF]-(b) WHERE NOT (a)-[:MEMBER_OF]->(c) } "
        "AND coalesce(m.since, date('2000-01-01')) < date('2024-01-01') "
        "RETURN a.id AS a, b.id AS b, c.id AS c, c.name AS name LIMIT 1",
    )[0]
    consortium_id = api("query { consortia(first: 100) { edges { node { id key } } } }").ok[
        "consortia"
    ]["edges"]
    gid = next(e["node"]["id"] for e in consortium_id if e["node"]["key"] == pair["c"])

    def reasons(day: str) -> list[str]:
        suggestions = api(PARTNERS, o=pair["b"], d=day).ok["partners"]
        return [
            r["viaId"]
            for s in suggestions
            if s["key"] == pair["a"]
            for r in s["reasons"]
            if r["kind"] == "consortium"
        ]

    assert pair["c"] in reasons("2025-12-31")
    ended = api(
        "mutation($o: String!, $c: String!) { endMembership(organization: $o, consortium: $c, "
        'until: "2024-06-30", reason: "left the consortium") { changed } }',
        o=pair["a"],
        c=pair["c"],
    ).ok
    assert ended["endMembership"]["changed"]

    assert pair["c"] not in reasons("2025-12-31")  # not a member on that day
    assert pair["c"] in reasons("2024-06-30")  # still one on its last day
    page = {
        m["consortium"]["id"]: m
        for m in api(ORG, id=pair["a"], d="2025-12-31").ok["organization"]["memberships"]
    }
    assert page[pair["c"]]["until"] == "2024-06-30" and page[pair["c"]]["current"] is False
    earlier = {
        m["consortium"]["id"]: m
        for m in api(ORG, id=pair["a"], d="2024-01-01").ok["organization"]["memberships"]
    }
    assert earlier[pair["c"]]["current"] is True
    now = api(MEMBERS, id=gid, d="2025-12-31").ok["node"]["members"]
    then = api(MEMBERS, id=gid, d="2024-01-01").ok["node"]["members"]
    assert pair["a"] not in {m["key"] for m in now}
    assert {"key": pair["a"], "until": "2024-06-30"} in then


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_every_partner_reason_holds_on_the_day_it_is_given(
    api: GraphQL, driver: neo4j.Driver, connected: list[str], data: st.DataObject
) -> None:
    me = data.draw(st.sampled_from(connected), label="organization")
    day = data.draw(st.dates(date(2012, 1, 1), date(2027, 12, 31)), label="asOf")
    for suggestion in api(PARTNERS, o=me, d=day.isoformat()).ok["partners"]:
        assert suggestion["key"] != me
        for reason in suggestion["reasons"]:
            text = HOLDS_ON[reason["kind"]]
            ok = cypher(driver, text, me=me, p=suggestion["key"], via=reason["viaId"], d=day)
            assert ok[0]["ok"], (me, day, suggestion["key"], reason)
