"""The review queue: pairs the loader was unsure of become review items in the graph; the
bureau decides them (SAME merges through the merge path, DISTINCT is recorded), both
audited, and a later load never asks a decided pair again. Schema level and over HTTP."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

import httpx
import neo4j
import pytest

from api.app import create_app
from api.auth import Principal, Role, add_key
from api.graphql import Context, schema
from api.settings import Settings
from graph.driver import open_async_driver
from graph.ingest import LoadReport, load_source
from graph.tallies import expected_cells, stored_cells
from loaders.sources import SourceSpec
from loaders.uscc import check_char
from tests.http_server import serving

pytestmark = pytest.mark.neo4j

BUREAU = Principal("li.wei", Role.BUREAU)
ANALYST = Principal("analyst.one", Role.ANALYST)
A, B = (body + check_char(body) for body in ("91610000MA6T00110", "91610000MA6T00120"))
# two firms listed with their USCCs; a consortium names each by a shorter name without one
HIGHTECH = "企业名称,统一社会信用代码,证书编号,发证日期,所在区域\n" + (
    f"陕西众森电能科技有限公司,{A},GR202161000101,2021-03-01,沣西新城\n"
    f"陕西华晟光电科技有限公司,{B},GR202161000102,2021-03-01,沣东新城\n"
)
CONSORTIA = (
    "联合体名称,牵头单位,成员单位,技术领域,级别,成立时间\n"
    "西咸新区光伏产业创新联合体,陕西众森科技有限公司,陕西华晟科技有限公司,光伏,省级,2023-05-01\n"
)
QUEUE = """query($first: Int!, $after: String) { reviewQueue(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id key score evidence source row decision
    organization { key name uscc kind sources row } candidate { key name uscc kind sources } } } } }"""
DECIDE = """mutation($item: String!, $decision: ReviewDecision!, $reason: String!) {
  decideReview(item: $item, decision: $decision, reason: $reason) { changed before after } }"""
MERGED = """query($key: String!) { organization(id: $key) { key status mergedInto { key } } }"""


def run(
    settings: Settings, principal: Principal, query: str, variables: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    async def go() -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        driver = open_async_driver(settings)
        try:
            ctx = Context(driver, settings.neo4j_database, principal)
            result = await schema.execute(query, variable_values=variables, context_value=ctx)
            return result.data, [e.formatted for e in result.errors or []]
        finally:
            await driver.close()

    return asyncio.run(go())


def _load(
    db: neo4j.Driver, tmp: Path, name: str, kind: str, text: str, force: bool = False
) -> LoadReport:
    path = tmp / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    spec = SourceSpec(name, kind, str(path))
    return load_source(db, spec, path.read_bytes(), reports_dir=tmp / "reports", force=force)


@pytest.fixture()
def loaded(db: neo4j.Driver, tmp_path: Path) -> LoadReport:
    _load(db, tmp_path, "t.firms", "hightech", HIGHTECH)
    return _load(db, tmp_path, "t.cons", "consortium", CONSORTIA)


def queue(settings: Settings) -> list[dict[str, Any]]:
    data, errors = run(settings, BUREAU, QUEUE, {"first": 10, "after": None})
    assert errors == [] and data is not None
    page = data["reviewQueue"]
    assert page["totalCount"] == len(page["edges"])
    return [e["node"] for e in page["edges"]]


def audit(db: neo4j.Driver, action: str) -> list[dict[str, Any]]:
    records, _, _ = db.execute_query(
        "MATCH (a:AuditEntry {action: $action}) RETURN a {.*} AS a ORDER BY a.at", action=action
    )
    return [r["a"] for r in records]


def test_the_loaders_unsure_pairs_are_review_items_with_their_evidence(
    loaded: LoadReport, settings: Settings
) -> None:
    assert loaded.review == 2  # as the report file says
    items = queue(settings)
    assert {(i["organization"]["name"], i["candidate"]["name"]) for i in items} == {
        ("陕西众森科技有限公司", "陕西众森电能科技有限公司"),
        ("陕西华晟科技有限公司", "陕西华晟光电科技有限公司"),
    }
    for i in items:
        assert i["source"] == "t.cons" and i["row"] == 2 and i["decision"] is None
        assert 85 <= i["score"] < 95 and f"{i['score']:.1f}" in i["evidence"]
        assert i["candidate"]["uscc"] in (A, B) and i["candidate"]["sources"] == ["t.firms"]
        assert i["organization"]["uscc"] is None and i["organization"]["sources"] == ["t.cons"]
    # the queue is the bureau's
    data, errors = run(settings, ANALYST, QUEUE, {"first": 10, "after": None})
    assert data is None and errors[0]["extensions"]["code"] == "FORBIDDEN"


def test_a_decided_pair_leaves_the_queue_and_a_later_load_never_asks_it_again(
    loaded: LoadReport, db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    items = {i["candidate"]["name"]: i for i in queue(settings)}
    same, distinct = items["陕西众森电能科技有限公司"], items["陕西华晟光电科技有限公司"]

    data, errors = run(
        settings,
        BUREAU,
        DECIDE,
        {
            "item": distinct["id"],
            "decision": "DISTINCT",
            "reason": "two firms: different addresses",
        },
    )
    assert errors == [] and data is not None and data["decideReview"]["changed"] is True
    data, errors = run(
        settings,
        BUREAU,
        DECIDE,
        {"item": same["key"], "decision": "SAME", "reason": "same firm, renamed"},
    )
    assert errors == [] and data is not None and data["decideReview"]["changed"] is True
    assert queue(settings) == []
    # SAME went through the merge path: the load's entry now stands as the listed firm
    merged, _ = run(settings, BUREAU, MERGED, {"key": same["organization"]["key"]})
    assert (
        merged is not None
        and merged["organization"]["mergedInto"]["key"] == same["candidate"]["key"]
    )
    # and the counts moved with the merge, in its transaction (graph.tally)
    assert stored_cells(db) == expected_cells(db)
    apart, _ = run(settings, BUREAU, MERGED, {"key": distinct["organization"]["key"]})
    assert apart is not None and apart["organization"]["mergedInto"] is None
    # both decisions audited, and the merge by the merge path's own entry
    decisions = audit(db, "decideReview")
    assert [(d["target"], d["after"], d["who"]) for d in decisions] == [
        (distinct["key"], ["decision=DISTINCT"], "li.wei"),
        (same["key"], ["decision=SAME"], "li.wei"),
    ]
    assert same["organization"]["key"] in decisions[1]["entities"]
    assert len(audit(db, "mergeOrganizations")) == 1
    # deciding again what stands changes nothing and writes no entry
    again, _ = run(
        settings,
        BUREAU,
        DECIDE,
        {"item": distinct["key"], "decision": "DISTINCT", "reason": "again"},
    )
    assert again is not None and again["decideReview"]["changed"] is False
    assert len(audit(db, "decideReview")) == 2

    # the same list loaded again raises both pairs again; neither is asked
    report = _load(db, tmp_path, "t.cons", "consortium", CONSORTIA, force=True)
    assert report.review == 2
    assert queue(settings) == []
    records, _, _ = db.execute_query("MATCH (i:ReviewItem) RETURN i.decision AS d ORDER BY d")
    assert [r["d"] for r in records] == ["DISTINCT", "SAME"]


def test_a_refusal_carries_its_code_over_http(
    loaded: LoadReport, settings: Settings, tmp_path: Path
) -> None:
    keys = tmp_path / "keys.toml"
    bureau = add_key(keys, "li.wei", Role.BUREAU)
    public = add_key(keys, "anyone", Role.PUBLIC)
    app = create_app(dataclasses.replace(settings, api_keys_file=keys))
    with serving(app) as base:

        def post(token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
            headers = {"Authorization": f"Bearer {token}"}
            return httpx.post(
                f"{base}/graphql",
                json={"query": query, "variables": variables},
                headers=headers,
                timeout=30,
            ).json()

        missing = post(
            bureau, DECIDE, {"item": "review-nothing", "decision": "SAME", "reason": "x"}
        )
        assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        forbidden = post(
            public, DECIDE, {"item": "review-nothing", "decision": "SAME", "reason": "x"}
        )
        assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        listed = post(bureau, QUEUE, {"first": 1, "after": None})["data"]["reviewQueue"]
        assert listed["totalCount"] == 2 and listed["pageInfo"]["hasNextPage"] is True
