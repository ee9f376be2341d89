"""Issue 13.1, proved by a state machine: any sequence of the bureau's edits (merge, undo,
correct, set and end membership) on random demo entities and dates leaves one truth across
views. After every step, for a random as-of date and area, the ledger, counts,
organizations.totalCount, coverage and the lists behind coverage cells give the same
numbers; merged entries are never listed; partner reasons hold on the day they are given.

The run is CI-sized (INNOGRAPH_MACHINE_EXAMPLES / _STEPS make it longer)."""

from __future__ import annotations

import os
from datetime import date

import neo4j
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as run_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from api.settings import Settings
from api.usecases.demo import write_plan_targets
from graph.reads import COVERAGE_RECOGNITIONS
from loaders.demo import demo_plan
from tests.api_demo import cypher, demo
from tests.graphql_client import GraphQL
from tests.reason_paths import HOLDS_ON

pytestmark = pytest.mark.neo4j
__all__ = ["demo"]

EXAMPLES = int(os.environ.get("INNOGRAPH_MACHINE_EXAMPLES", "5"))
STEPS = int(os.environ.get("INNOGRAPH_MACHINE_STEPS", "14"))
DAYS = st.dates(date(2019, 1, 1), date(2025, 12, 31))
COLUMNS = {
    "hightechEnterprises": "hightech_enterprises",
    "rdInstitutions": "rd_institutions",
    "enterpriseRdCentres": "enterprise_rd_centres",
}
LEDGER_KINDS = {  # ledger indicator -> the kinds organizations(recognitions:) counts for it
    "national_hightech_enterprises": COVERAGE_RECOGNITIONS["hightech_enterprises"],
    "enterprise_rd_centres": COVERAGE_RECOGNITIONS["enterprise_rd_centres"],
}
TOTAL = (
    "organizations(recognitions: $k, technology: $t, area: $a, asOf: $d, first: 1) { totalCount }"
)


def _total(api: GraphQL, kinds: list[str], area: str, day: str, tech: str | None = None) -> int:
    q = f"query($k: [String!], $t: String, $a: String, $d: Date) {{ {TOTAL} }}"
    return int(api(q, k=kinds, t=tech, a=area, d=day).ok["organizations"]["totalCount"])


class Registry(RuleBasedStateMachine):
    api: GraphQL
    driver: neo4j.Driver
    pool: list[str]
    consortia: list[str]
    areas: list[str]
    district: str  # the plan's district (the root area)
    city: str  # the city with the most organisations, a part of the district
    stats: dict[str, int]  # what the run did, for the note

    def __init__(self) -> None:
        super().__init__()
        self.into: dict[str, str] = {}  # merged entry -> the one it was merged into
        self.figures: dict[tuple[str | None, date], float] = {}  # reported, not withdrawn

    def teardown(self) -> None:
        # every example starts from no merges, so that replaying one draws the same values
        # (memberships edited stay edited: no draw depends on them)
        while self.into:
            leaf = next(m for m in self.into if m not in self.into.values())
            undone = self.api(
                'mutation($o: String!) { undoMerge(organization: $o, reason: "r") { changed } }',
                o=leaf,
            )
            assert undone.ok["undoMerge"]["changed"]
            del self.into[leaf]
        for where, day in list(self.figures):
            self._withdraw(where, day)
        # withdrawn figures stay (nothing is deleted): remove them so the next example's
        # model, which starts empty, is the truth
        self.driver.execute_query("MATCH (f:ReportedFigure) DETACH DELETE f")

    def _withdraw(self, where: str | None, day: date) -> None:
        a = self.api(
            'mutation($d: Date!, $a: String) { withdrawFigure(indicator: "non_fossil_share", '
            'asOf: $d, reason: "r", area: $a) { changed } }',
            d=day.isoformat(),
            a=where,
        )
        assert a.ok["withdrawFigure"]["changed"]
        del self.figures[(where, day)]

    def root(self, org: str) -> str:
        while org in self.into:
            org = self.into[org]
        return org

    @initialize(data=st.data())
    def first_merge(self, data: st.DataObject) -> None:
        self.merge(data)  # every example starts with a merge in place

    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        keep = data.draw(st.sampled_from(self.pool), label="keep")
        gone = data.draw(st.sampled_from(self.pool), label="merge")
        a = self.api(
            'mutation($k: String!, $m: String!) { mergeOrganizations(keep: $k, merge: $m, reason: "r") { changed } }',
            k=keep,
            m=gone,
        )
        refused = keep == gone or keep in self.into or self.into.get(gone, keep) != keep
        if refused:
            assert a.code == "MERGE_REFUSED", a.errors
            return
        assert a.ok["mergeOrganizations"]["changed"] is (gone not in self.into)
        self.into[gone] = keep
        self.stats["merges"] += 1

    @rule(data=st.data())
    def undo(self, data: st.DataObject) -> None:
        org = data.draw(st.sampled_from(sorted(self.into) or self.pool), label="undo")
        a = self.api(
            'mutation($o: String!) { undoMerge(organization: $o, reason: "r") { changed } }', o=org
        )
        if org not in self.into:
            assert a.code == "NOT_MERGED", a.errors
            return
        assert a.ok["undoMerge"]["changed"]
        del self.into[org]

    @rule(data=st.data(), day=DAYS)
    def end_membership(self, data: st.DataObject, day: date) -> None:
        org = data.draw(st.sampled_from(self.pool), label="member")
        cons = data.draw(st.sampled_from(self.consortia), label="consortium")
        a = self.api(
            "mutation($o: String!, $c: String!, $u: Date!) { endMembership(organization: $o, "
            'consortium: $c, until: $u, reason: "r") { changed } }',
            o=org,
            c=cons,
            u=day.isoformat(),
        )
        if org in self.into:
            assert a.code == "MERGED_ENTRY", a.errors
        elif a.errors:  # not a member, or before it began: refused in words, never a fault
            assert a.code not in ("INTERNAL_SERVER_ERROR",) and a.errors[0][0], a.errors

    @rule(data=st.data(), day=DAYS, role=st.sampled_from(["member", "lead"]))
    def set_membership(self, data: st.DataObject, day: date, role: str) -> None:
        org = data.draw(st.sampled_from(self.pool), label="member")
        cons = data.draw(st.sampled_from(self.consortia), label="consortium")
        a = self.api(
            "mutation($o: String!, $c: String!, $r: String!, $s: Date) { setMembership("
            'organization: $o, consortium: $c, role: $r, since: $s, reason: "r") { changed } }',
            o=org,
            c=cons,
            r=role,
            s=day.isoformat(),
        )
        if org in self.into:
            assert a.code == "MERGED_ENTRY", a.errors
        else:
            assert a.ok["setMembership"]["changed"] in (True, False)

    @rule(
        day=st.dates(date(2021, 1, 1), date(2025, 12, 31)),
        value=st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 1)),
        area=st.sampled_from(["none", "district", "city"]),
    )
    def report_figure(self, day: date, value: float, area: str) -> None:
        # the district's figure may be reported without an area or with the district's key
        where = {"none": None, "district": self.district, "city": self.city}[area]
        a = self.api(
            'mutation($d: Date!, $v: Float!, $a: String) { reportFigure(indicator: "non_fossil_share", '
            'value: $v, unit: "%", asOf: $d, source: "bulletin", reason: "r", area: $a) { changed } }',
            d=day.isoformat(),
            v=value,
            a=where,
        )
        assert a.ok["reportFigure"]["changed"] in (True, False)
        self.figures[(where, day)] = value

    @rule(data=st.data())
    def withdraw_figure(self, data: st.DataObject) -> None:
        if not self.figures:
            return
        where, day = data.draw(st.sampled_from(sorted(self.figures, key=str)), label="figure")
        self._withdraw(where, day)

    def _latest(self, areas: tuple[str | None, ...], day: date) -> tuple[date, float] | None:
        """The model's figure for a ledger row: the latest on or before the day among those
        of the row's area; of two on one date, the one that names its area."""
        mine = [
            (d, w is not None, v) for (w, d), v in self.figures.items() if w in areas and d <= day
        ]
        return max(mine)[::2] if mine else None

    @rule(day=DAYS)
    def the_ledger_reads_the_latest_figure(self, day: date) -> None:
        # the district's row shows the latest figure of the district (no area, or the
        # district's key) on or before the day; a city's row only the city's own
        for asked, areas in ((None, (None, self.district)), (self.city, (self.city,))):
            rows = self.api(
                "query($d: Date, $a: String) { ledger(asOf: $d, area: $a) { targetId indicatorKey actual figureAsOf figureArea area scopeArea } }",
                d=day.isoformat(),
                a=asked,
            ).ok["ledger"]
            row = next(r for r in rows if r["indicatorKey"] == "non_fossil_share")
            want = self._latest(areas, day)
            stored = cypher(
                self.driver, "MATCH (f:ReportedFigure) RETURN f {.id, .area, .withdrawn_at} AS f"
            )
            if want is None:
                assert row["figureAsOf"] is None and row["actual"] is None, (row, stored)
            else:
                assert row["figureAsOf"] == want[0].isoformat(), (asked, row, stored, self.figures)
                assert row["actual"] == want[1], (asked, row, want)

    @rule(data=st.data())
    def correct(self, data: st.DataObject) -> None:
        org = data.draw(st.sampled_from(self.pool), label="corrected")
        a = self.api(
            "mutation($o: String!, $n: String!) { correctOrganization(organization: $o, "
            'changes: {nameEn: $n}, reason: "r") { changed } }',
            o=org,
            n=f"Corrected {org[-6:]}",
        )
        assert a.ok["correctOrganization"]["changed"] in (True, False)

    @rule(day=DAYS, data=st.data())
    def views_agree(self, day: date, data: st.DataObject) -> None:
        area = data.draw(st.sampled_from(self.areas), label="area")
        d = day.isoformat()
        q = """query($d: Date, $a: String) { ledger(asOf: $d, area: $a) { indicatorKey actual }
          counts(groupBy: RECOGNITION_KIND, asOf: $d, area: $a) { key count }
          coverage(asOf: $d, area: $a) { technology { id } hightechEnterprises rdInstitutions enterpriseRdCentres } }"""
        got = self.api(q, d=d, a=area).ok
        self.stats["views"] += 1
        self.stats["views while merged"] += bool(self.into)
        counts = {r["key"]: r["count"] for r in got["counts"]}
        hightech = _total(self.api, ["national_hightech"], area, d)
        assert counts.get("national_hightech", 0) == hightech, (d, area)
        assert {r["indicatorKey"] for r in got["ledger"]} >= set(LEDGER_KINDS)
        for row in got["ledger"]:
            kinds = LEDGER_KINDS.get(row["indicatorKey"] or "")
            if kinds is not None and row["actual"] is not None:
                assert row["actual"] == _total(self.api, kinds, area, d), (row, d, area)
        for row in data.draw(st.permutations(got["coverage"]), label="rows")[:3]:
            for field, column in COLUMNS.items():
                tech = row["technology"]["id"]
                cell = _total(self.api, COVERAGE_RECOGNITIONS[column], area, d, tech)
                assert row[field] == cell, (tech, field, d, area)

    @rule(day=DAYS, data=st.data())
    def reasons_hold(self, day: date, data: st.DataObject) -> None:
        me = self.root(data.draw(st.sampled_from(self.pool), label="asks"))
        q = "query($o: String!, $d: Date) { partners(organization: $o, asOf: $d, first: 20) { key reasons { kind viaId } } }"
        for s in self.api(q, o=me, d=day.isoformat()).ok["partners"]:
            assert s["key"] not in self.into, s  # a merged entry is never suggested as itself
            for r in s["reasons"]:
                ok = cypher(
                    self.driver, HOLDS_ON[r["kind"]], me=me, p=s["key"], via=r["viaId"], d=day
                )
                assert ok[0]["ok"], (me, day, s["key"], r)

    @invariant()
    def the_counts_agree_today(self) -> None:
        # after every step, cheaply: the ledger, counts and the list total of high-tech firms
        # of the city on the last day of the data
        d, area = "2025-06-30", self.city
        got = self.api(
            """query($d: Date, $a: String) { ledger(asOf: $d, area: $a) { indicatorKey actual }
            counts(groupBy: RECOGNITION_KIND, asOf: $d, area: $a) { key count } }""",
            d=d,
            a=area,
        ).ok
        total = _total(self.api, ["national_hightech"], area, d)
        ledger = next(
            r["actual"]
            for r in got["ledger"]
            if r["indicatorKey"] == "national_hightech_enterprises"
        )
        counts = next((r["count"] for r in got["counts"] if r["key"] == "national_hightech"), 0)
        assert ledger == counts == total, (ledger, counts, total, self.into)

    @invariant()
    def forest_and_copies_match_the_model(self) -> None:
        db = cypher(self.driver, "MATCH (m)-[:SAME_AS]->(k) RETURN m.id AS m, k.id AS k")
        assert {r["m"]: r["k"] for r in db} == self.into
        # a merged entry holds no copies; a root's copies come from its own tree
        stray = cypher(
            self.driver,
            "MATCH (o:Organization)-[c]->() WHERE c.via_merge IS NOT NULL AND (EXISTS { (o)-[:SAME_AS]->() } "
            "OR NOT EXISTS { (:Organization {id: c.via_merge})-[:SAME_AS*1..8]->(o) }) RETURN count(c) AS n",
        )
        assert stray[0]["n"] == 0


def test_any_sequence_of_edits_keeps_one_truth_across_views(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    assert write_plan_targets(settings, demo_plan("en"))  # the ledger's targets, as the demo
    driver.execute_query("MATCH (f:ReportedFigure) DETACH DELETE f")  # the model starts empty
    # the entities edits matter most for: high-tech firms of one city (merging two changes
    # every count), members of consortia and drafters of standards (partner reasons)
    city = cypher(
        driver,
        "MATCH (a:Area)-[:PART_OF]->(:Area) RETURN a.id AS id, COUNT { (a)<-[:LOCATED_IN]-() } AS n "
        "ORDER BY n DESC LIMIT 1",
    )[0]["id"]
    pool = cypher(
        driver,
        "MATCH (:Area {id: $city})<-[:LOCATED_IN]-(o:Organization)-[:HOLDS]->(:Recognition "
        "{kind: 'national_hightech'}) WITH DISTINCT o "
        "ORDER BY EXISTS { (o)-[:MEMBER_OF]->() } DESC, EXISTS { (o)-[:DRAFTED]->() } DESC, o.id "
        "RETURN o.id AS id LIMIT 14",
        city=city,
    )
    Registry.api = GraphQL(settings)
    Registry.driver = driver
    Registry.pool = [r["id"] for r in pool]
    Registry.consortia = [
        r["id"]
        for r in cypher(driver, "MATCH (c:Consortium) RETURN c.id AS id ORDER BY id LIMIT 6")
    ]
    Registry.areas = [
        r["id"] for r in cypher(driver, "MATCH (a:Area) RETURN a.id AS id ORDER BY id")
    ]
    Registry.district = next(
        r["id"]
        for r in cypher(driver, "MATCH (a:Area) WHERE NOT (a)-[:PART_OF]->() RETURN a.id AS id")
    )
    Registry.city = city
    Registry.stats = dict.fromkeys(["merges", "views", "views while merged"], 0)
    try:
        run_state_machine_as_test(
            Registry,
            settings=run_settings(
                max_examples=EXAMPLES,
                stateful_step_count=STEPS,
                deadline=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    finally:
        Registry.api.close()
        print("state machine:", EXAMPLES, "examples x", STEPS, "steps;", Registry.stats)
