"""Issue 13.12: the audit trail is readable with an analyst or bureau key (never anonymously),
newest first, paged like the other lists, each entry with who, role, when, action, before,
after and reason (schema level, real Neo4j, demo graph)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import neo4j
import pytest

from api.auth import ANONYMOUS, Principal, Role
from api.graphql.relay import global_id
from api.settings import Settings
from tests.api_demo import cypher, demo
from tests.graphql_client import GraphQL

pytestmark = pytest.mark.neo4j
__all__ = ["demo"]

ANALYST = Principal("analyst.one", Role.ANALYST)
PUBLIC = Principal("open.data", Role.PUBLIC)
CORRECT = """mutation($o: String!, $s: String!, $r: String!) {
  correctOrganization(organization: $o, changes: {status: $s}, reason: $r) { changed } }"""
MEMBER = """mutation($o: String!, $c: String!) { setMembership(organization: $o, consortium: $c,
  role: "member", since: "2024-01-01", reason: "membership letter 7") { changed } }"""
TRAIL = """query($e: String, $since: DateTime, $first: Int!, $after: String) {
  auditTrail(entity: $e, since: $since, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id who role at action entity entities before after reason } } } }"""


@pytest.fixture(scope="module")
def api(demo: None, settings: Settings) -> Iterator[GraphQL]:
    client = GraphQL(settings)
    yield client
    client.close()


@pytest.fixture()
def edits(api: GraphQL, driver: neo4j.Driver) -> dict[str, Any]:
    """Four edits of one firm and one of another, with nothing else in the trail."""
    driver.execute_query("MATCH (e:AuditEntry) DETACH DELETE e")
    a, b = cypher(
        driver,
        "MATCH (o:Organization:Firm) WHERE NOT EXISTS { (o)-[:SAME_AS]-() } "
        "AND NOT EXISTS { (o)-[:MEMBER_OF]->() } AND o.status = 'active' "
        "RETURN o.id AS id ORDER BY o.id LIMIT 2",
    )
    (c,) = cypher(driver, "MATCH (c:Consortium) RETURN c.id AS id ORDER BY id LIMIT 1")
    for status, reason in (("inactive", "closed"), ("active", "reopened"), ("inactive", "again")):
        assert api(CORRECT, o=a["id"], s=status, r=reason).ok["correctOrganization"]["changed"]
    middle = datetime.now(UTC)
    assert api(MEMBER, o=a["id"], c=c["id"]).ok["setMembership"]["changed"]
    assert api(CORRECT, o=b["id"], s="inactive", r="closed").ok["correctOrganization"]["changed"]
    return {"a": a["id"], "b": b["id"], "c": c["id"], "middle": middle}


def _trail(api: GraphQL, principal: Principal = ANALYST, **variables: Any) -> Any:
    return api(
        TRAIL, principal, **{"e": None, "since": None, "first": 20, "after": None, **variables}
    )


def test_anonymous_and_public_callers_are_refused_with_a_code(
    api: GraphQL, edits: dict[str, Any]
) -> None:
    anonymous = _trail(api, ANONYMOUS)
    assert anonymous.data is None and anonymous.code == "UNAUTHENTICATED"
    assert "analyst or bureau" in anonymous.errors[0][0]
    public = _trail(api, PUBLIC)
    assert public.code == "FORBIDDEN" and "open.data (public)" in public.errors[0][0]


def test_an_entitys_trail_is_newest_first_with_who_when_what_and_why(
    api: GraphQL, edits: dict[str, Any], driver: neo4j.Driver
) -> None:
    page = _trail(api, e=edits["a"]).ok["auditTrail"]
    assert page["totalCount"] == 4
    nodes = [e["node"] for e in page["edges"]]
    assert [(n["action"], n["reason"]) for n in nodes] == [
        ("setMembership", "membership letter 7"),
        ("correctOrganization", "again"),
        ("correctOrganization", "reopened"),
        ("correctOrganization", "closed"),
    ]
    ats = [datetime.fromisoformat(n["at"]) for n in nodes]
    assert ats == sorted(ats, reverse=True)
    first = nodes[-1]
    assert (first["who"], first["role"], first["entity"]) == ("steward", "bureau", edits["a"])
    assert "status=inactive" in first["after"] and "status=active" in first["before"]
    assert nodes[0]["entities"] == [edits["a"], edits["c"]]
    # the same entries, read straight from the graph
    stored = cypher(
        driver,
        "MATCH (e:AuditEntry {target: $id}) RETURN e.reason AS r ORDER BY e.at DESC",
        id=edits["a"],
    )
    assert [s["r"] for s in stored] == [n["reason"] for n in nodes]
    # an organisation's global id names it too; the consortium's trail has the membership
    by_id = _trail(api, e=str(global_id("Organization", edits["a"])))
    assert by_id.ok["auditTrail"]["totalCount"] == 4
    consortium = _trail(api, e=edits["c"]).ok["auditTrail"]
    assert [e["node"]["action"] for e in consortium["edges"]] == ["setMembership"]
    # a bureau key reads it as well
    assert api(TRAIL, e=None, since=None, first=1, after=None).ok["auditTrail"]["totalCount"] == 5


def test_pages_follow_each_other_without_overlap_and_since_cuts_the_past(
    api: GraphQL, edits: dict[str, Any]
) -> None:
    everything = _trail(api).ok["auditTrail"]
    assert everything["totalCount"] == 5
    seen: list[str] = []
    after = None
    while True:
        page = _trail(api, first=2, after=after).ok["auditTrail"]
        seen += [e["node"]["id"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [e["node"]["id"] for e in everything["edges"]] and len(set(seen)) == 5
    recent = _trail(api, since=edits["middle"].isoformat()).ok["auditTrail"]
    assert [e["node"]["action"] for e in recent["edges"]] == [
        "correctOrganization",
        "setMembership",
    ]
    assert recent["edges"][0]["node"]["entity"] == edits["b"]
    naive = edits["middle"].replace(tzinfo=None).isoformat()  # read as UTC
    assert _trail(api, since=naive).ok["auditTrail"]["totalCount"] == 2
    assert _trail(api, first=101).code == "BAD_USER_INPUT"
    assert _trail(api, after="bm9wZQ==").code == "BAD_USER_INPUT"
