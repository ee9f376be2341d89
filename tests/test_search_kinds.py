"""Search finds every kind of entity: technologies, consortia and group standards first on
an exact or alias match of their name, organisations by USCC and certificate number, each
hit with its type, and every branch from an index (issue 13, point 11)."""

from __future__ import annotations

from typing import Any

import neo4j
import pytest

from api.settings import Settings
from graph import reads
from graph.reads.organizations import SEARCH_TYPES
from tests.api_demo import cypher, run

pytestmark = pytest.mark.neo4j

SEARCH = (
    "query($t: String!, $n: Int! = 10) { search(text: $t, first: $n) "
    "{ type id key label detail score matched } }"
)


def _search(settings: Settings, text: str, first: int = 10) -> list[dict[str, Any]]:
    data, _ = run(settings, SEARCH, {"t": text, "n": first})
    hits: list[dict[str, Any]] = data["search"]
    return hits


def test_a_technology_ranks_first_on_its_exact_name_and_its_alias(
    demo: None, driver: neo4j.Driver, settings: Settings
) -> None:
    # a technology whose Chinese name is also part of organisations' names (they crowd it)
    (tech,) = cypher(
        driver,
        "MATCH (t:Technology) WHERE size(t.aliases) > 0 "
        "WITH t, COUNT { MATCH (o:Organization) WHERE o.name CONTAINS t.name_zh } AS orgs "
        "RETURN t.id AS id, t.name_zh AS zh, t.name_en AS en, t.aliases AS aliases, orgs "
        "ORDER BY orgs DESC, id LIMIT 1",
    )
    for text in (tech["zh"], tech["en"], tech["aliases"][0], tech["en"].upper()):
        hits = _search(settings, text)
        assert (hits[0]["type"], hits[0]["key"], hits[0]["matched"]) == (
            "Technology",
            tech["id"],
            "name",
        ), (text, hits[:3])
    assert tech["orgs"] > 0 or _search(settings, tech["zh"])[0]["type"] == "Technology"


def test_consortia_and_standards_rank_first_on_their_name_or_code(
    demo: None, driver: neo4j.Driver, settings: Settings
) -> None:
    (cons,) = cypher(
        driver, "MATCH (c:Consortium) RETURN c.id AS id, c.name AS name ORDER BY id LIMIT 1"
    )
    hit = _search(settings, cons["name"])[0]
    assert (hit["type"], hit["key"], hit["label"]) == ("Consortium", cons["id"], cons["name"])
    (std,) = cypher(
        driver,
        "MATCH (s:GroupStandard) WHERE s.code_as_printed IS NOT NULL AND s.title_zh IS NOT NULL "
        "RETURN s.code AS code, s.code_as_printed AS printed, s.title_zh AS title "
        "ORDER BY code LIMIT 1",
    )
    for text in (std["code"], std["printed"], std["title"]):
        hit = _search(settings, text)[0]
        assert (hit["type"], hit["key"], hit["matched"]) == ("GroupStandard", std["code"], "name")
        assert hit["label"].startswith(std["code"])


def test_a_uscc_or_a_certificate_number_finds_its_organisation(
    demo: None, driver: neo4j.Driver, settings: Settings
) -> None:
    (firm,) = cypher(
        driver,
        "MATCH (o:Organization)-[:HOLDS]->(r:Recognition) "
        "WHERE o.uscc IS NOT NULL AND r.cert_no IS NOT NULL AND NOT EXISTS { (o)-[:SAME_AS]->() } "
        "RETURN o.id AS id, o.uscc AS uscc, o.kind AS kind, r.cert_no AS cert ORDER BY id LIMIT 1",
    )
    for text, how in (
        (firm["uscc"], "uscc"),
        (firm["uscc"].lower(), "uscc"),
        (firm["cert"], "certificate"),
    ):
        hit = _search(settings, text)[0]
        assert (hit["type"], hit["key"], hit["matched"], hit["detail"]) == (
            "Organization",
            firm["id"],
            how,
            firm["kind"],
        ), text
    assert _search(settings, "GR000000000000") == []  # no such certificate: nothing


def test_every_hit_carries_its_type_and_a_node_id_of_that_type(
    demo: None, settings: Settings
) -> None:
    hits = _search(settings, "西咸新区", first=50)
    types = {h["type"] for h in hits}
    assert types <= set(SEARCH_TYPES) and len(types) >= 2, types
    for hit in hits:
        data, _ = run(
            settings, "query($id: ID!) { node(id: $id) { __typename } }", {"id": hit["id"]}
        )
        assert data["node"]["__typename"] == hit["type"], hit
    assert len({(h["type"], h["key"]) for h in hits}) == len(hits)  # one hit per entity


def test_an_organisation_still_ranks_first_on_its_own_name(
    demo: None, driver: neo4j.Driver, settings: Settings
) -> None:
    (org,) = cypher(
        driver,
        "MATCH (o:Organization:Firm) WHERE NOT EXISTS { (o)-[:SAME_AS]->() } "
        "RETURN o.id AS id, o.name AS name ORDER BY id LIMIT 1",
    )
    hit = _search(settings, org["name"])[0]
    assert (hit["type"], hit["key"], hit["matched"]) == ("Organization", org["id"], "name")


_SCANS = {"AllNodesScan", "NodeByLabelScan", "NodeIndexScan", "UnionNodeByLabelsScan"}


def _operators(plan: Any) -> set[str]:
    ops = {plan["operatorType"].split("@")[0]}
    for child in plan.get("children", []):
        ops |= _operators(child)
    return ops


def _scan_details(plan: Any) -> list[str]:
    found = []
    stack = [plan]
    while stack:
        p = stack.pop()
        if p["operatorType"].split("@")[0] in _SCANS:
            found.append(f"{p['operatorType']} {p.get('args', {}).get('Details')}")
        stack.extend(p.get("children", []))
    return found


@pytest.mark.parametrize(
    "text", ["光伏", "91610000MA6T000108", "GR202161000001", "T/CPIA 0028.2-2024"]
)
def test_search_starts_every_branch_from_an_index(
    demo: None, driver: neo4j.Driver, text: str
) -> None:
    query, params = reads.search(text, 10)
    with driver.session() as session:
        plan = session.run("EXPLAIN " + query, params).consume().plan
    assert plan is not None
    ops = _operators(plan)
    assert not ops & _SCANS, (ops & _SCANS, _scan_details(plan))
    assert {"NodeIndexSeek", "ProcedureCall"} <= ops or "NodeUniqueIndexSeek" in ops, ops
