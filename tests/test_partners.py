"""Partners: scores that separate (specificity, recency, a stated tie-break), bounded work on a
technology thousands share, and reasons wholly in the language asked.

The small graphs here are written by hand so that each claim has one cause; the demo test
checks the stated formula against every suggestion it gives."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

import neo4j
import pytest

from api.settings import Settings
from graph import reads
from tests.api_demo import cypher, run

pytestmark = pytest.mark.neo4j

DAY = date(2025, 6, 30)
ASK = """query($o: String!, $t: String, $d: Date, $n: Int) {
  partners(organization: $o, technology: $t, asOf: $d, first: $n) {
    key name nameEn score
    reasons { kind viaId viaZh viaEn sharedBy weight text textZh } } }"""


def _ask(settings: Settings, org: str, first: int = 10, technology: str | None = None) -> Any:
    data, _ = run(settings, ASK, {"o": org, "t": technology, "d": DAY.isoformat(), "n": first})
    return data["partners"]


def _graph(driver: neo4j.Driver, text: str, **params: Any) -> None:
    driver.execute_query(text, params)


def _workers(driver: neo4j.Driver, tech: str, n: int, prefix: str) -> None:
    """``n`` firms working on ``tech`` only (the crowd of a broad field)."""
    _graph(
        driver,
        "MATCH (t:Technology {id: $t}) UNWIND range(1, $n) AS i "
        "CREATE (:Organization:Firm {id: $p + toString(i), name: $p + toString(i), kind: 'firm'})"
        "-[:WORKS_ON]->(t)",
        t=tech,
        n=n,
        p=prefix,
    )


@pytest.fixture()
def small(db: neo4j.Driver) -> neo4j.Driver:
    """me works on a narrow and a broad technology and is in two consortia, one formed in
    2012 and one in 2024, each with one other member."""
    _graph(
        db,
        "CREATE (me:Organization:Firm {id: 'me', name: '甲公司', kind: 'firm'}) "
        "CREATE (narrow:Technology {id: 'narrow', name_zh: '窄技术', name_en: 'Narrow tech'}) "
        "CREATE (broad:Technology {id: 'broad', name_zh: '宽技术', name_en: 'Broad tech'}) "
        "CREATE (me)-[:WORKS_ON]->(narrow), (me)-[:WORKS_ON]->(broad) "
        "CREATE (old:Consortium {id: 'c-old', name: '老联合体', established_on: date('2012-01-01')}) "
        "CREATE (new:Consortium {id: 'c-new', name: '新联合体', established_on: date('2024-01-01')}) "
        "CREATE (me)-[:MEMBER_OF]->(old), (me)-[:MEMBER_OF]->(new) "
        "CREATE (:Organization:Firm {id: 'in-old', name: '乙公司', kind: 'firm'})-[:MEMBER_OF]->(old) "
        "CREATE (:Organization:Firm {id: 'in-new', name: '丙公司', kind: 'firm'})-[:MEMBER_OF]->(new) "
        "CREATE (:Organization:Firm {id: 'on-narrow', name: '丁公司', kind: 'firm'})-[:WORKS_ON]->(narrow)",
    )
    _workers(db, "broad", 40, "crowd-")
    return db


def test_a_narrow_field_and_a_recent_consortium_weigh_more(
    small: neo4j.Driver, settings: Settings
) -> None:
    got = {p["key"]: p for p in _ask(settings, "me", first=50)}
    # a technology two organisations work on says more than one 41 do
    assert got["on-narrow"]["score"] > got["crowd-1"]["score"]
    # a consortium formed in 2024 says more than one of 2012, the same size
    assert got["in-new"]["score"] > got["in-old"]["score"]
    (narrow,) = got["on-narrow"]["reasons"]
    assert narrow["sharedBy"] == 2
    assert narrow["weight"] == pytest.approx(2.0 / (1 + math.log10(2)), abs=1e-3)
    (new,) = got["in-new"]["reasons"]
    years = (DAY - date(2024, 1, 1)).days / 365.25
    assert new["weight"] == pytest.approx(
        3.0 / (1 + math.log10(2)) * (0.5 + 0.5 * 2 ** (-years / 5)), abs=1e-3
    )


def test_ties_are_broken_as_stated(small: neo4j.Driver, settings: Settings) -> None:
    got = _ask(settings, "me", first=50)
    crowd = [p["key"] for p in got if p["key"].startswith("crowd-")]
    assert len(crowd) == 40
    # equal evidence, equal score: by name, then key
    assert crowd == sorted(crowd)
    assert [p["score"] for p in got] == sorted((p["score"] for p in got), reverse=True)


def test_a_crowded_field_is_capped_and_says_so(small: neo4j.Driver, settings: Settings) -> None:
    fan = reads.PARTNER_FAN
    _workers(small, "broad", fan + 100, "more-")
    # a consortium co-member that also works on the broad field, written last
    _graph(
        small,
        "MATCH (c:Consortium {id: 'c-new'}), (t:Technology {id: 'broad'}) "
        "CREATE (p:Organization:Firm {id: 'late', name: '戊公司', kind: 'firm'}) "
        "CREATE (p)-[:MEMBER_OF]->(c), (p)-[:WORKS_ON]->(t)",
    )
    got = {p["key"]: p for p in _ask(settings, "me", first=100)}
    late = {r["kind"]: r for r in got["late"]["reasons"]}
    # the capped walk may not reach it, but its broad technology still counts
    assert set(late) == {"consortium", "technology"}
    assert late["technology"]["sharedBy"] == fan + 142
    assert f"at most {fan} candidates" in late["technology"]["text"]
    assert f"最多从中比较 {fan} 家" in late["technology"]["textZh"]


def _db_hits(driver: neo4j.Driver) -> int:
    query, params = reads.partners(id="me", technology=None, first=10, as_of=DAY)
    with driver.session() as s:
        summary = s.run("PROFILE " + query, params).consume()  # type: ignore[arg-type]
    assert summary.profile is not None

    def hits(plan: dict[str, Any]) -> int:
        return int(plan.get("dbHits", 0)) + sum(hits(c) for c in plan.get("children", []))

    return hits(summary.profile)


def test_work_does_not_grow_with_a_crowded_field(small: neo4j.Driver) -> None:
    fan = reads.PARTNER_FAN
    _workers(small, "broad", fan, "wave1-")
    at_fan = _db_hits(small)
    _workers(small, "broad", 5 * fan, "wave2-")
    at_six_fans = _db_hits(small)
    # six times the crowd, the same bounded walk (degrees are read, not walked)
    assert at_six_fans <= 1.1 * at_fan, (at_fan, at_six_fans)


_LATIN = re.compile(r"[A-Za-z]{2,}")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def test_demo_scores_follow_the_formula_and_speak_one_language(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    firms = [
        r["id"]
        for r in cypher(
            driver,
            "MATCH (o:Organization)-[:WORKS_ON]->() WITH DISTINCT o ORDER BY o.id "
            "RETURN o.id AS id LIMIT 12",
        )
    ]
    asked = 0
    for firm in firms:
        suggestions = _ask(settings, firm)
        asked += bool(suggestions)
        order = [
            (-p["score"], -len({r["kind"] for r in p["reasons"]}), p["name"], p["key"])
            for p in suggestions
        ]
        assert order == sorted(order)
        for p in suggestions:
            assert p["score"] == pytest.approx(sum(r["weight"] for r in p["reasons"]), abs=2e-3)
            for r in p["reasons"]:
                base = reads.PARTNER_WEIGHTS[r["kind"]]
                n = r["sharedBy"] or 1
                assert r["weight"] <= base / (1 + math.log10(n)) + 1e-3
                assert r["weight"] >= base / (1 + math.log10(n)) / 2 - 1e-3
                if r["kind"] in ("technology", "complementary", "area"):
                    assert r["viaZh"] in r["textZh"] and r["viaEn"] in r["text"]
                    assert not _LATIN.search(r["textZh"]), r["textZh"]
                    assert not _HAN.search(r["text"]), r["text"]
    assert asked == len(firms)
