"""Renewals at schema level against the demo graph: who lapses soon (expiring), how the
count of holders moves (flows, whose nets add up to the change of the as-of count), and
the ledger's projection from the expiry schedule with its 'at risk' count."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import neo4j
import pytest

from api.graphql.queries.renewals import months_after
from api.settings import Settings
from graph.model import Label
from graph.records import NodeRecord
from graph.writer import Writer
from loaders.provenance import Provenance
from tests.api_demo import run

pytestmark = pytest.mark.neo4j

KIND = "national_hightech"
COUNT = """query($asOf: Date, $area: String, $kind: String) {
  organizations(asOf: $asOf, area: $area, recognition: $kind, first: 1) { totalCount } }"""
FLOWS = """query($from: Date!, $to: Date!, $area: String, $kind: String, $by: FlowPeriod!) {
  flows(from: $from, to: $to, area: $area, kind: $kind, by: $by) {
    period start end new renewed lapsed net } }"""
EXPIRING = """query($within: Int!, $asOf: Date, $area: String, $kind: String, $after: String) {
  expiring(within: $within, asOf: $asOf, area: $area, kind: $kind, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { validTo organization { key name } recognition { id kind validFrom validTo } } } } }"""
RECOGNITIONS = """query($key: String!, $asOf: Date) { organization(id: $key, asOf: $asOf) {
  recognitions { id kind validTo } } }"""


def count(settings: Settings, day: date, area: str | None = None) -> int:
    data, _ = run(settings, COUNT, {"asOf": day.isoformat(), "area": area, "kind": KIND})
    return int(data["organizations"]["totalCount"])


@pytest.mark.parametrize(("by", "area"), [("YEAR", None), ("QUARTER", "fengxi")])
def test_the_nets_add_up_to_the_change_of_the_as_of_count(
    demo: None, settings: Settings, by: str, area: str | None
) -> None:
    start, end = date(2020, 12, 31), date(2025, 6, 30)
    variables = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "area": area,
        "kind": KIND,
        "by": by,
    }
    rows = run(settings, FLOWS, variables)[0]["flows"]
    assert rows[0]["start"] == start.isoformat() and rows[-1]["end"] == end.isoformat()
    assert all(a["end"] == b["start"] for a, b in itertools.pairwise(rows))
    assert sum(r["net"] for r in rows) == count(settings, end, area) - count(settings, start, area)
    # each period too, and the flows are real ones, not all zero
    for r in rows[:: max(1, len(rows) // 5)]:
        change = count(settings, date.fromisoformat(r["end"]), area) - count(
            settings, date.fromisoformat(r["start"]), area
        )
        assert r["net"] == r["new"] - r["lapsed"] == change, r
    assert sum(r["new"] for r in rows) > 0 and sum(r["lapsed"] for r in rows) > 0
    assert sum(r["renewed"] for r in rows) > 0


HOLDERS = """query($asOf: Date, $kind: String, $after: String) {
  organizations(asOf: $asOf, recognition: $kind, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { key } } } }"""


def holders(settings: Settings, day: date) -> set[str]:
    keys: set[str] = set()
    after = None
    while True:
        variables = {"asOf": day.isoformat(), "kind": KIND, "after": after}
        page = run(settings, HOLDERS, variables)[0]["organizations"]
        keys |= {e["node"]["key"] for e in page["edges"]}
        if not page["pageInfo"]["hasNextPage"]:
            return keys
        after = page["pageInfo"]["endCursor"]


def _all_expiring(settings: Settings, **variables: Any) -> tuple[int, list[dict[str, Any]]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        page = run(settings, EXPIRING, {**variables, "after": after})[0]["expiring"]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return page["totalCount"], nodes
        after = page["pageInfo"]["endCursor"]


def test_expiring_lists_who_lapses_in_the_window_with_no_later_certificate(
    demo: None, settings: Settings
) -> None:
    as_of = date(2024, 6, 30)
    total, rows = _all_expiring(settings, within=12, asOf=as_of.isoformat(), kind=KIND)
    assert total == len(rows) > 0
    until = months_after(as_of, 12)
    days = [date.fromisoformat(r["validTo"]) for r in rows]
    assert all(as_of <= d <= until for d in days) and days == sorted(days)
    for r in rows[:15]:
        assert r["recognition"]["kind"] == KIND and r["recognition"]["validTo"] == r["validTo"]
        held = run(
            settings, RECOGNITIONS, {"key": r["organization"]["key"], "asOf": as_of.isoformat()}
        )
        later = [
            x
            for x in held[0]["organization"]["recognitions"]
            if x["kind"] == KIND
            and x["id"] != r["recognition"]["id"]
            and (x["validTo"] is None or x["validTo"] > r["validTo"])
        ]
        assert later == [], r
    # a holder on as_of who is not listed ends later (or holds a later certificate)
    after_window, _ = _all_expiring(settings, within=24, asOf=as_of.isoformat(), kind=KIND)
    assert after_window > total
    # whoever holds on as_of and no longer the day after the window is listed
    gone = holders(settings, as_of) - holders(settings, until + timedelta(days=1))
    assert gone and gone <= {r["organization"]["key"] for r in rows}


@pytest.fixture(scope="module")
def target(demo: None, driver: neo4j.Driver) -> str:
    node = NodeRecord(
        Label.TARGET,
        "t-renewals-2027",
        {
            "indicator": "high-tech enterprises",
            "indicator_key": "national_hightech_enterprises",
            "comparator": ">=",
            "value": 400.0,
            "unit": "count",
            "deadline": 2027,
        },
        Provenance("test", "nlp:test"),
    )
    Writer(driver).write([node], [])
    return node.key


LEDGER = """query($asOf: Date) { ledger(asOf: $asOf) {
  targetId actual target projected projectedFrom atRisk renewalRate status } }"""


def test_the_ledger_projects_a_counted_target_from_its_expiry_schedule(
    settings: Settings, target: str
) -> None:
    as_of = date(2024, 12, 31)
    rows = run(settings, LEDGER, {"asOf": as_of.isoformat()})[0]["ledger"]
    row = next(r for r in rows if r["targetId"] == target)
    # at risk: exactly who expiring lists up to the deadline (the end of 2027)
    _, listed = _all_expiring(settings, within=36, asOf=as_of.isoformat(), kind=KIND)
    assert row["atRisk"] == len({r["organization"]["key"] for r in listed}) > 0
    assert row["projectedFrom"] == "expiries"
    assert row["renewalRate"] is not None and 0 < row["renewalRate"] <= 1
    lapses = row["atRisk"] * (1 - row["renewalRate"])
    assert row["projected"] >= row["actual"] - lapses - 1e-9  # entrants add, never take
    if row["actual"] < row["target"]:
        assert row["status"] == ("on_track" if row["projected"] >= row["target"] else "behind")
