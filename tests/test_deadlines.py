"""Deadlines honoured (issue 13, point 8): a target whose deadline has passed on the as-of
date is judged as it stood on its deadline (met / missed, with that value) and the current
value is shown beside it; an as-of date after what the lists cover is no data, not 0."""

from __future__ import annotations

from datetime import date
from typing import Any

import neo4j
import pytest

from api.graphql.assess import Point, Status, judge
from api.settings import Settings
from graph.model import Label, RelType
from graph.records import NodeRecord, RelRecord
from graph.writer import Writer
from loaders.provenance import Provenance
from tests.api_demo import cypher, run

LEDGER = """query($d: Date) { dataUntil ledger(asOf: $d) { targetId actual status judgedOn
  atDeadline dataUntil progress projected trend { day value } } }"""
TOTAL = """query($d: Date) { organizations(asOf: $d, area: "xixian",
  recognition: "national_hightech") { totalCount } }"""


def points(*values: float | None, start: int = 2020) -> list[Point]:
    return [Point(date(start + i, 12, 31), v) for i, v in enumerate(values)]


# -- the judgement, pure ------------------------------------------------------------------


def test_a_passed_deadline_is_judged_by_the_value_on_it() -> None:
    trend = points(100, 120, 90, 80)  # as of 2023-12-31, deadline 2021
    met = judge(trend, ">=", 110, 2021, as_of=date(2023, 12, 31), at_deadline=120)
    assert (met.status, met.value, met.judged_on) == (Status.MET, 120, date(2021, 12, 31))
    assert met.progress == pytest.approx(120 / 110) and met.projected is None
    missed = judge(trend, ">=", 130, 2021, as_of=date(2023, 12, 31), at_deadline=120)
    assert missed.status is Status.MISSED
    # the current value (80) would say "behind": the deadline's value decides
    assert judge(trend, ">=", 110, 2021, as_of=date(2023, 12, 31), at_deadline=None).status is (
        Status.NO_DATA
    )


def test_before_or_on_the_deadline_the_trend_decides() -> None:
    on_the_day = judge(points(1000, 1500, 2000), ">=", 3500, 2022, as_of=date(2022, 12, 31))
    assert on_the_day.status is Status.BEHIND and on_the_day.judged_on == date(2022, 12, 31)
    ahead = judge(points(1000, 1500, 2000), ">=", 3500, 2025, as_of=date(2022, 12, 31))
    assert ahead.status is Status.ON_TRACK and ahead.value == 2000


def test_no_value_on_the_date_is_no_data_not_zero() -> None:
    after = judge(points(100, 120, None), ">=", 50, 2030, as_of=date(2022, 12, 31))
    assert (after.status, after.value, after.progress) == (Status.NO_DATA, None, None)


def test_a_contribution_is_not_compared_with_the_target() -> None:
    part = judge(points(10, 20), ">=", 100, 2030, as_of=date(2021, 12, 31), contribution=True)
    assert part.status is Status.CONTRIBUTION and part.progress == pytest.approx(0.2)


# -- the ledger, on the demo ----------------------------------------------------------------


@pytest.fixture(scope="module")
def targets(demo: None, driver: neo4j.Driver) -> dict[str, int]:
    """Targets of the high-tech count due at the end of 2022, 2025 and 2030: two for 2022
    (one just met on its deadline, one just missed)."""
    on_deadline = total(driver, date(2022, 12, 31))
    doc = NodeRecord(Label.DOCUMENT, "plan-d", {"title": "plan"}, Provenance("test", "t"))
    specs = {
        "t-2022-met": (on_deadline, 2022),
        "t-2022-missed": (on_deadline + 1, 2022),
        "t-2025": (1, 2025),
        "t-2030": (10_000, 2030),
    }
    nodes = [
        NodeRecord(
            Label.TARGET,
            key,
            {
                "indicator": "high-tech enterprises",
                "indicator_key": "national_hightech_enterprises",
                "comparator": ">=",
                "value": float(value),
                "unit": "count",
                "deadline": deadline,
            },
            Provenance("plan-d", "nlp:test"),
        )
        for key, (value, deadline) in specs.items()
    ]
    rels = [RelRecord(RelType.STATED_IN, t.ref, doc.ref, {}, t.prov) for t in nodes]
    Writer(driver).write([doc, *nodes], rels)
    return {"on_deadline": on_deadline}


def total(driver: neo4j.Driver, day: date) -> int:
    n: int = cypher(
        driver,
        "MATCH (o:Organization)-[:LOCATED_IN]->(:Area)-[:PART_OF*0..2]->(:Area {id: 'xixian'}) "
        "WHERE EXISTS { (o)-[:HOLDS]->(r:Recognition {kind: 'national_hightech'}) "
        "WHERE r.valid_from <= $d AND (r.valid_to IS NULL OR r.valid_to >= $d) } "
        "RETURN count(DISTINCT o) AS n",
        d=day,
    )[0]["n"]
    return n


def ledger(settings: Settings, as_of: str) -> tuple[str | None, dict[str, dict[str, Any]]]:
    data, trips = run(settings, LEDGER, {"d": as_of})
    assert trips == 2  # one round trip per top-level field
    return data["dataUntil"], {r["targetId"]: r for r in data["ledger"]}


@pytest.mark.neo4j
def test_the_ledger_judges_a_passed_deadline_on_it_and_shows_today_beside_it(
    targets: dict[str, int], settings: Settings, driver: neo4j.Driver
) -> None:
    _, rows = ledger(settings, "2025-06-30")
    met, missed = rows["t-2022-met"], rows["t-2022-missed"]
    assert (met["status"], met["atDeadline"], met["judgedOn"]) == (
        "met",
        targets["on_deadline"],
        "2022-12-31",
    )
    assert (missed["status"], missed["atDeadline"]) == ("missed", targets["on_deadline"])
    now = total(driver, date(2025, 6, 30))
    assert met["actual"] == missed["actual"] == now != targets["on_deadline"]
    assert met["projected"] is None
    # the deadline's value agrees with the list behind it, asked on that day
    data, _ = run(settings, TOTAL, {"d": "2022-12-31"})
    assert data["organizations"]["totalCount"] == targets["on_deadline"]
    # not yet passed: judged on the as-of date, no value at a deadline
    assert rows["t-2030"]["judgedOn"] == "2025-06-30" and rows["t-2030"]["atDeadline"] is None


@pytest.mark.neo4j
def test_an_as_of_date_after_the_data_is_no_data_not_zero(
    targets: dict[str, int], settings: Settings, driver: neo4j.Driver
) -> None:
    latest = cypher(
        driver,
        "MATCH (r:Recognition) RETURN max(r.valid_from).year AS y UNION "
        "MATCH (c:Consortium) RETURN max(c.established_on).year AS y UNION "
        "MATCH (s:GroupStandard) RETURN max(s.published_on).year AS y",
    )
    until = date(max(r["y"] for r in latest if r["y"]), 12, 31)
    data_until, rows = ledger(settings, "2030-12-31")
    assert data_until == until.isoformat() and until < date(2030, 12, 31)
    late = rows["t-2030"]
    assert (late["actual"], late["status"], late["progress"]) == (None, "no_data", None)
    assert late["dataUntil"] == until.isoformat()
    for p in late["trend"]:  # known up to what the lists cover, none after
        assert (p["value"] is None) == (date.fromisoformat(p["day"]) > until), p
    # a 2025 deadline is judged on 2025-12-31, inside the data, though today has none
    due = rows["t-2025"]
    assert date(2025, 12, 31) <= until  # the demo's lists run to 2025
    assert due["status"] == "met" and due["atDeadline"] == total(driver, date(2025, 12, 31))
    assert due["actual"] is None
