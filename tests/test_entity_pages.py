"""The entity pages' data at schema level against the demo graph: consortia, standards and
technologies with names (not keys), and a firm's 'consortia to join' and 'who drafts the
standards of our field', each checked against the registry's own lists."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from api.settings import Settings
from graph.reads import JOIN_WEIGHTS
from tests.api_demo import AS_OF, run

pytestmark = pytest.mark.neo4j

FIRMS = """query($asOf: Date, $after: String) { organizations(kind: "firm", asOf: $asOf, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { key technologies { id } memberships { current consortium { id } }
    standards { code inForce } } } } }"""
JOIN = """query($o: String!, $asOf: Date) { consortiaToJoin(organization: $o, asOf: $asOf, first: 20) {
  consortium { id name } lead { key name } technologies { id nameZh nameEn } members score
  reasons { kind count weight text textZh } } }"""
DRAFTERS = """query($o: String!, $asOf: Date) { standardDrafters(organization: $o, asOf: $asOf, perTechnology: 5) {
  technology { id nameZh } total drafters { organization { key name } standards codes itself } } }"""
NODE = """query($id: ID!, $asOf: Date) { node(id: $id, asOf: $asOf) {
  ... on Consortium { key name level lead { key name role } members { key name role since until }
    technologyTerms { id nameZh nameEn } technologies }
  ... on GroupStandard { code draftedBy { key name } drafters technologyTerms { id nameZh } }
  ... on Technology { key broader narrower broaderTerms { id nameZh } narrowerTerms { id nameZh } } } }"""
STANDARDS = """query($t: String, $asOf: Date, $after: String) {
  groupStandards(technology: $t, asOf: $asOf, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { code draftedBy { key } } } } }"""


def gid(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def _firms(settings: Settings) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after = None
    while True:
        page = run(settings, FIRMS, {"asOf": AS_OF, "after": after})[0]["organizations"]
        out += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return out
        after = page["pageInfo"]["endCursor"]


def test_a_consortium_page_names_its_lead_members_and_technologies(
    demo: None, settings: Settings
) -> None:
    firms = _firms(settings)
    key = next(m["consortium"]["id"] for f in firms for m in f["memberships"] if m["current"])
    c = run(settings, NODE, {"id": gid("Consortium", key), "asOf": AS_OF})[0]["node"]
    assert c["key"] == key and c["name"]
    assert [t["id"] for t in c["technologyTerms"]] == sorted(c["technologies"])
    assert all(t["nameZh"] and t["nameEn"] for t in c["technologyTerms"])
    leads = [m for m in c["members"] if m["role"] == "lead"]
    lead = {k: leads[0][k] for k in ("key", "name", "role")} if leads else None
    assert c["lead"] == lead
    assert all(m["name"] for m in c["members"])


def test_consortia_to_join_are_on_the_firms_field_not_its_own_and_ranked_by_evidence(
    demo: None, settings: Settings
) -> None:
    firms = [f for f in _firms(settings) if f["technologies"]]
    asked = 0
    for firm in firms[:40]:
        rows = run(settings, JOIN, {"o": firm["key"], "asOf": AS_OF})[0]["consortiaToJoin"]
        if not rows:
            continue
        asked += 1
        own = {m["consortium"]["id"] for m in firm["memberships"] if m["current"]}
        assert not own & {r["consortium"]["id"] for r in rows}
        scores = [r["score"] for r in rows]
        assert scores == sorted(scores, reverse=True)
        for r in rows:
            assert r["score"] == pytest.approx(sum(x["weight"] * x["count"] for x in r["reasons"]))
            assert r["technologies"] and r["reasons"][0]["kind"] in JOIN_WEIGHTS
            # each reason whole in its language
            for x in r["reasons"]:
                assert re.search("[\u4e00-\u9fff]", x["textZh"])
            node = run(
                settings, NODE, {"id": gid("Consortium", r["consortium"]["id"]), "asOf": AS_OF}
            )[0]["node"]
            assert {t["id"] for t in r["technologies"]} <= set(node["technologies"])
            assert r["members"] == len(
                {m["key"] for m in node["members"] if m["key"] != firm["key"]}
            )
    assert asked >= 5


def test_who_drafts_the_standards_of_the_firms_field(demo: None, settings: Settings) -> None:
    firm = next(f for f in _firms(settings) if f["standards"] and f["technologies"])
    fields = run(settings, DRAFTERS, {"o": firm["key"], "asOf": AS_OF})[0]["standardDrafters"]
    assert {f["technology"]["id"] for f in fields} == {t["id"] for t in firm["technologies"]}
    for field in fields:
        counts = [d["standards"] for d in field["drafters"]]
        assert counts == sorted(counts, reverse=True) and field["total"] >= len(counts)
        # the count is the registry's: standards in force on the date listing the drafter
        by: dict[str, int] = {}
        after = None
        while True:
            page = run(
                settings, STANDARDS, {"t": field["technology"]["id"], "asOf": AS_OF, "after": after}
            )[0]["groupStandards"]
            for e in page["edges"]:
                for o in e["node"]["draftedBy"]:
                    by[o["key"]] = by.get(o["key"], 0) + 1
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert len(by) == field["total"]
        for d in field["drafters"]:
            assert d["standards"] == by[d["organization"]["key"]]
            assert d["itself"] == (d["organization"]["key"] == firm["key"])
        if by:
            assert counts[0] == max(by.values())
    code = next(s["code"] for s in firm["standards"])
    std = run(settings, NODE, {"id": gid("GroupStandard", code), "asOf": AS_OF})[0]["node"]
    assert [o["name"] for o in std["draftedBy"]] == std["drafters"] or sorted(
        o["name"] for o in std["draftedBy"]
    ) == sorted(std["drafters"])
    assert firm["key"] in {o["key"] for o in std["draftedBy"]}
