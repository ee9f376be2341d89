"""Issue 13.5: a correction keeps the record consistent (a new name in every field that carries
it, the old one a dated former name, not an alias), a USCC held by another organisation is
refused naming it, and every refusal of every mutation is a GraphQL error in words with a
stable extensions.code (schema level, real Neo4j, demo graph)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from typing import Any

import neo4j
import pytest

from api.auth import ANONYMOUS, Principal, Role
from api.errors import REFUSAL_CODES
from api.graphql import Context, schema
from api.settings import Settings
from graph.driver import open_async_driver
from loaders.uscc import check_char
from tests.api_demo import cypher, demo
from tests.graphql_client import BUREAU, GraphQL

pytestmark = pytest.mark.neo4j
__all__ = ["demo"]

ANALYST = Principal("analyst.one", Role.ANALYST)
CORRECT = """mutation($o: String!, $c: OrganizationCorrection!, $r: String!) {
  correctOrganization(organization: $o, changes: $c, reason: $r) { changed before after } }"""
ORG = """query($id: String!) { organization(id: $id) {
  key name nameZh nameEn uscc aliases formerNames formerNamesDated { name until } } }"""
SEARCH = "query($t: String!) { search(text: $t) { key } }"


@pytest.fixture(scope="module")
def api(demo: None, settings: Settings) -> Iterator[GraphQL]:
    client = GraphQL(settings)
    yield client
    client.close()


def _firms(driver: neo4j.Driver, n: int) -> list[dict[str, Any]]:
    """Firms with a Chinese name, a USCC and nothing merged, not yet corrected."""
    return cypher(
        driver,
        "MATCH (o:Organization:Firm) WHERE o.uscc IS NOT NULL AND o.name_zh = o.name "
        "AND o.corrected_at IS NULL AND NOT EXISTS { (o)-[:SAME_AS]-() } "
        "RETURN o.id AS id, o.name AS name, o.name_en AS en, o.uscc AS uscc ORDER BY o.id "
        "LIMIT $n",
        n=n,
    )


def test_a_chinese_name_goes_to_name_and_name_zh_and_the_old_one_is_a_dated_former_name(
    api: GraphQL, driver: neo4j.Driver
) -> None:
    (firm,) = _firms(driver, 1)
    new = firm["name"].replace("有限公司", "") + "新能源科技有限公司"
    done = api(CORRECT, o=firm["id"], c={"name": new}, r="renamed (registration notice 12)").ok
    assert done["correctOrganization"]["changed"] is True
    assert f"name_zh={new}" in done["correctOrganization"]["after"]
    org = api(ORG, id=firm["id"]).ok["organization"]
    assert (org["name"], org["nameZh"], org["nameEn"]) == (new, new, firm["en"])
    assert firm["name"] in org["formerNames"] and firm["name"] not in org["aliases"]
    assert {"name": firm["name"], "until": date.today().isoformat()} in org["formerNamesDated"]
    # the old name still finds the organisation, as former names do
    assert firm["id"] in [h["key"] for h in api(SEARCH, t=firm["name"]).ok["search"]]
    # asked again: nothing to change, no second former name
    again = api(CORRECT, o=firm["id"], c={"name": new}, r="renamed (registration notice 12)").ok
    assert again["correctOrganization"]["changed"] is False
    (stored,) = cypher(
        driver,
        "MATCH (o:Organization {id: $id}) RETURN o.former_names AS f, o.name_history AS h",
        id=firm["id"],
    )
    assert stored["f"].count(firm["name"]) == 1
    assert stored["h"] == [f"{date.today().isoformat()}|{firm['name']}"]


def test_going_back_to_a_former_name_makes_it_the_name_again(
    api: GraphQL, driver: neo4j.Driver
) -> None:
    (firm,) = _firms(driver, 1)
    assert api(CORRECT, o=firm["id"], c={"name": firm["name"] + "（临时）"}, r="renamed").ok
    assert api(CORRECT, o=firm["id"], c={"name": firm["name"]}, r="renamed back").ok
    org = api(ORG, id=firm["id"]).ok["organization"]
    assert (org["name"], org["nameZh"]) == (firm["name"], firm["name"])
    assert (
        firm["name"] not in org["formerNames"] and firm["name"] + "（临时）" in org["formerNames"]
    )


def test_a_latin_name_goes_to_name_and_name_en_and_the_chinese_name_stays(
    api: GraphQL, driver: neo4j.Driver
) -> None:
    (firm,) = _firms(driver, 1)
    english = "Xixian Photon Works Co., Ltd."
    assert api(CORRECT, o=firm["id"], c={"name": english}, r="uses its English name").ok
    org = api(ORG, id=firm["id"]).ok["organization"]
    assert (org["name"], org["nameEn"], org["nameZh"]) == (english, english, firm["name"])
    # the Chinese name is still its Chinese name: not a former one
    assert firm["name"] not in org["formerNames"]
    if firm["en"]:
        assert firm["en"] in org["formerNames"]  # the English name it replaced is


def test_a_uscc_another_organisation_holds_is_refused_naming_it(
    api: GraphQL, driver: neo4j.Driver
) -> None:
    a, b = _firms(driver, 2)
    answer = api(CORRECT, o=a["id"], c={"uscc": b["uscc"]}, r="typo fixed")
    assert answer.data is None and answer.code == "USCC_TAKEN"
    message = answer.errors[0][0]
    assert b["name"] in message and b["id"] in message and b["uscc"] in message
    assert "Node(" not in message and "already exists" not in message
    (kept,) = cypher(driver, "MATCH (o:Organization {id: $id}) RETURN o.uscc AS u", id=a["id"])
    assert kept["u"] == a["uscc"]
    assert cypher(driver, "MATCH (e:AuditEntry {target: $id}) RETURN e", id=a["id"]) == []
    # its own USCC (in lower case, as typed) is no refusal and no change
    same = api(CORRECT, o=a["id"], c={"uscc": a["uscc"].lower()}, r="checked").ok
    assert same["correctOrganization"]["changed"] is False


# Each mutation's refusals: (principal, document, variables, code). Merge/undo refusals are
# tested with their rules in tests/test_merges.py; here only that they carry a code too.
_FIGURE = """mutation($i: String!, $v: Float!, $u: String!, $a: String, $r: String!) {
  reportFigure(indicator: $i, value: $v, unit: $u, asOf: "2024-12-31", area: $a,
  source: "bulletin", reason: $r) { changed } }"""
_WITHDRAW = """mutation($i: String!) { withdrawFigure(indicator: $i, asOf: "2001-12-31",
  reason: "x") { changed } }"""
_MEMBER = """mutation($o: String!, $c: String!, $role: String!) { setMembership(organization: $o,
  consortium: $c, role: $role, reason: "letter") { changed } }"""
_END = """mutation($o: String!, $c: String!, $u: Date!) { endMembership(organization: $o,
  consortium: $c, until: $u, reason: "left") { changed } }"""
_MERGE = """mutation($k: String!, $m: String!) { mergeOrganizations(keep: $k, merge: $m,
  reason: "same") { changed } }"""
_UNDO = """mutation($o: String!) { undoMerge(organization: $o, reason: "x") { changed } }"""
_DECIDE = """mutation($i: String!, $d: ReviewDecision!, $r: String!) { decideReview(item: $i,
  decision: $d, reason: $r) { changed } }"""
_FIG = {"i": "non_fossil_share", "v": 15.0, "u": "%", "a": None, "r": "annual"}


def _refusals(firm: str, consortium: str) -> list[tuple[str, Principal, str, dict[str, Any], str]]:
    return [
        ("anonymous", ANONYMOUS, CORRECT, {"o": firm, "c": {"status": "inactive"}, "r": "x"}, "FORBIDDEN"),
        ("analyst", ANALYST, _MEMBER, {"o": firm, "c": consortium, "role": "member"}, "FORBIDDEN"),
        ("no changes", None, CORRECT, {"o": firm, "c": {}, "r": "x"}, "BAD_USER_INPUT"),
        ("empty reason", None, CORRECT, {"o": firm, "c": {"name": "甲"}, "r": " "}, "BAD_USER_INPUT"),
        ("bad status", None, CORRECT, {"o": firm, "c": {"status": "merged"}, "r": "x"}, "BAD_USER_INPUT"),
        ("bad uscc", None, CORRECT, {"o": firm, "c": {"uscc": "91350100M000100Y44"}, "r": "x"}, "INVALID_USCC"),
        ("no org", None, CORRECT, {"o": "org-zzz", "c": {"status": "inactive"}, "r": "x"}, "NOT_FOUND"),
        ("bad role", None, _MEMBER, {"o": firm, "c": consortium, "role": "chair"}, "BAD_USER_INPUT"),
        ("no consortium", None, _MEMBER, {"o": firm, "c": "cons-zzz", "role": "member"}, "NOT_FOUND"),
        ("not a member", None, _END, {"o": firm, "c": "cons-zzz", "u": "2024-06-30"}, "NOT_FOUND"),
        ("self merge", None, _MERGE, {"k": firm, "m": firm}, "MERGE_REFUSED"),
        ("undo unmerged", None, _UNDO, {"o": firm}, "NOT_MERGED"),
        ("counted", None, _FIGURE, {**_FIG, "i": "innovation_consortia", "u": "count"}, "INDICATOR_COUNTED"),
        ("unknown area", None, _FIGURE, {**_FIG, "a": "nowhere"}, "UNKNOWN_VALUE"),
        ("empty figure reason", None, _FIGURE, {**_FIG, "r": ""}, "BAD_USER_INPUT"),
        ("no figure", None, _WITHDRAW, {"i": "non_fossil_share"}, "NOT_FOUND"),
        ("review as analyst", ANALYST, _DECIDE, {"i": "review-x", "d": "SAME", "r": "x"}, "FORBIDDEN"),
        ("no review item", None, _DECIDE, {"i": "review-x", "d": "DISTINCT", "r": "x"}, "NOT_FOUND"),
        ("empty review reason", None, _DECIDE, {"i": "review-x", "d": "SAME", "r": " "}, "BAD_USER_INPUT"),
    ]  # fmt: skip


def test_every_refusal_of_every_mutation_has_words_and_a_stable_code(
    api: GraphQL, driver: neo4j.Driver
) -> None:
    (firm,) = _firms(driver, 1)
    consortium = cypher(driver, "MATCH (c:Consortium) RETURN c.id AS id ORDER BY id LIMIT 1")[0]
    seen = set()
    for name, principal, document, variables, code in _refusals(firm["id"], consortium["id"]):
        answer = api(document, principal, **variables) if principal else api(document, **variables)
        assert answer.data is None and len(answer.errors) == 1, (name, answer.errors)
        message, got = answer.errors[0]
        assert got == code and got in REFUSAL_CODES, (name, answer.errors)
        assert len(message.split()) >= 3 and "Neo4j" not in message, (name, message)
        seen.add(document.split("{")[1].split("(")[0].strip())
    # every mutation of the schema is among them
    fields = api("{ __schema { mutationType { fields { name } } } }").ok
    assert seen == {f["name"] for f in fields["__schema"]["mutationType"]["fields"]}


def test_two_firms_claiming_one_new_uscc_at_once_one_wins_the_other_is_told_who(
    api: GraphQL, driver: neo4j.Driver, settings: Settings
) -> None:
    a, b = _firms(driver, 2)
    head = "91610000MA6TG0017"  # a USCC no firm of the demo holds
    uscc = head + check_char(head)
    assert cypher(driver, "MATCH (o:Organization {uscc: $u}) RETURN o", u=uscc) == []

    async def claim_both() -> list[Any]:
        aio = open_async_driver(settings)
        try:
            return list(
                await asyncio.gather(
                    *(
                        schema.execute(
                            CORRECT,
                            variable_values={"o": firm["id"], "c": {"uscc": uscc}, "r": "typo"},
                            context_value=Context(aio, settings.neo4j_database, BUREAU),
                        )
                        for firm in (a, b, a, b)
                    )
                )
            )
        finally:
            await aio.close()

    results = asyncio.run(claim_both())
    (holder,) = cypher(driver, "MATCH (o:Organization {uscc: $u}) RETURN o.id AS id", u=uscc)
    loser = b if holder["id"] == a["id"] else a
    for firm, result in zip((a, b, a, b), results, strict=True):
        if firm is loser:
            (error,) = result.errors
            assert error.extensions == {"code": "USCC_TAKEN"} and holder["id"] in error.message
        else:
            assert result.errors is None  # the holder's second claim changes nothing
