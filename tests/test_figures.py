"""Issue 13.3: reported figures are validated and reversible, and the ledger says which figure
it shows, how old it is, and ignores withdrawn ones (schema level, real Neo4j, demo graph)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import neo4j
import pytest

from api.auth import Principal, Role
from api.settings import Settings
from api.usecases.demo import write_plan_targets
from loaders.demo import demo_plan
from tests.api_demo import cypher, demo
from tests.graphql_client import GraphQL

pytestmark = pytest.mark.neo4j
__all__ = ["demo"]

ANALYST = Principal("analyst.one", Role.ANALYST)
REPORT = """mutation($i: String!, $v: Float!, $u: String!, $d: Date!, $a: String) {
  reportFigure(indicator: $i, value: $v, unit: $u, asOf: $d, area: $a,
    source: "Xixian statistical bulletin", reason: "annual figure") { changed before after } }"""
WITHDRAW = """mutation($i: String!, $d: Date!, $a: String, $r: String!) {
  withdrawFigure(indicator: $i, asOf: $d, area: $a, reason: $r) { changed before after } }"""
LEDGER = """query($d: Date, $a: String) { ledger(asOf: $d, area: $a) {
  indicatorKey actual figureSource figureAsOf figureArea figureStale countable } }"""


@pytest.fixture(scope="module")
def api(demo: None, settings: Settings) -> Iterator[GraphQL]:
    assert write_plan_targets(settings, demo_plan("en"))  # the plan's nine targets
    client = GraphQL(settings)
    yield client
    client.close()


@pytest.fixture()
def clean(api: GraphQL, driver: neo4j.Driver) -> GraphQL:
    """No reported figure and no audit entry yet."""
    driver.execute_query("MATCH (n) WHERE n:ReportedFigure OR n:AuditEntry DETACH DELETE n")
    return api


def _report(api: GraphQL, i: str, v: float, u: str, d: str, a: str | None = None) -> Any:
    return api(REPORT, i=i, v=v, u=u, d=d, a=a)


def _row(api: GraphQL, key: str, d: str, a: str | None = None) -> dict[str, Any]:
    rows = api(LEDGER, d=d, a=a).ok["ledger"]
    return next(r for r in rows if r["indicatorKey"] == key)


def _city(driver: neo4j.Driver) -> str:
    return str(
        cypher(driver, "MATCH (a:Area)-[:PART_OF]->(:Area) RETURN a.id AS id ORDER BY id")[0]["id"]
    )


@pytest.mark.parametrize(
    ("indicator", "value", "unit", "as_of", "area", "code", "words"),
    [
        ("gdp_growth", 5.0, "%", "2024-12-31", None, "UNKNOWN_INDICATOR", "non_fossil_share"),
        (
            "national_hightech_enterprises",
            5000,
            "count",
            "2024-12-31",
            None,
            "INDICATOR_COUNTED",
            "counted by the registry",
        ),
        ("non_fossil_share", 0.15, "ratio", "2024-12-31", None, "WRONG_UNIT", "15 for 15 %"),
        ("non_fossil_share", 150, "%", "2024-12-31", None, "OUT_OF_RANGE", "between 0 and 100"),
        ("non_fossil_share", -0.5, "%", "2024-12-31", None, "OUT_OF_RANGE", "between 0 and 100"),
        ("waste_free_cells", -3, "count", "2024-12-31", None, "OUT_OF_RANGE", "at least 0"),
        ("waste_free_cells", 2.5, "count", "2024-12-31", None, "OUT_OF_RANGE", "whole number"),
        ("waste_free_cells", 12, "%", "2024-12-31", None, "WRONG_UNIT", "'count'"),
        ("non_fossil_share", 15, "%", "2024-12-31", "nowhere", "UNKNOWN_VALUE", "'nowhere'"),
        ("non_fossil_share", 15, "%", "2999-12-31", None, "INVALID_DATE", "in the future"),
    ],
)
def test_a_figure_is_refused_in_words_with_a_code_and_nothing_is_written(
    clean: GraphQL,
    driver: neo4j.Driver,
    indicator: str,
    value: float,
    unit: str,
    as_of: str,
    area: str | None,
    code: str,
    words: str,
) -> None:
    answer = _report(clean, indicator, value, unit, as_of, area)
    assert answer.data is None and answer.code == code, answer.errors
    message = answer.errors[0][0]
    assert words in message and "Neo" not in message, message
    assert cypher(driver, "MATCH (n) WHERE n:ReportedFigure OR n:AuditEntry RETURN n") == []


def test_only_the_bureau_reports_or_withdraws(clean: GraphQL) -> None:
    refused = clean(REPORT, ANALYST, i="non_fossil_share", v=15, u="%", d="2024-12-31", a=None)
    assert refused.code == "FORBIDDEN" and "bureau role" in refused.errors[0][0]
    refused = clean(WITHDRAW, ANALYST, i="non_fossil_share", d="2024-12-31", a=None, r="x")
    assert refused.code == "FORBIDDEN"


def test_the_ledger_shows_the_figure_its_date_and_staleness_and_a_withdrawal_retracts_it(
    clean: GraphQL, driver: neo4j.Driver
) -> None:
    # an indicator's label is taken for its key, as the plan's sentences name it
    assert _report(clean, "Non-fossil energy share", 14.2, "%", "2024-12-31").ok == {
        "reportFigure": {
            "changed": True,
            "before": [],
            "after": ["source=Xixian statistical bulletin", "unit=%", "value=14.2"],
        }
    }
    old = _row(clean, "non_fossil_share", "2025-06-30")
    assert (old["actual"], old["figureAsOf"], old["figureStale"], old["countable"]) == (
        14.2,
        "2024-12-31",
        True,  # a 2024 figure shown in 2025
        False,
    )
    assert old["figureSource"] == "Xixian statistical bulletin" and old["figureArea"] is None
    assert _row(clean, "non_fossil_share", "2024-12-31")["figureStale"] is False
    # a counted row has no figure
    counted = _row(clean, "national_hightech_enterprises", "2025-06-30")
    assert (counted["figureAsOf"], counted["figureStale"]) == (None, None)

    assert _report(clean, "non_fossil_share", 15.1, "%", "2025-03-31").ok
    new = _row(clean, "non_fossil_share", "2025-06-30")
    assert (new["actual"], new["figureAsOf"], new["figureStale"]) == (15.1, "2025-03-31", False)

    withdrawn = clean(WITHDRAW, i="non_fossil_share", d="2025-03-31", a=None, r="misprint")
    assert withdrawn.ok["withdrawFigure"]["changed"] is True
    assert "withdrawn_by=steward" in withdrawn.ok["withdrawFigure"]["after"]
    back = _row(clean, "non_fossil_share", "2025-06-30")
    assert (back["actual"], back["figureAsOf"]) == (14.2, "2024-12-31")  # the one before
    # withdrawing twice changes nothing and writes no second entry
    again = clean(WITHDRAW, i="non_fossil_share", d="2025-03-31", a=None, r="misprint")
    assert again.ok["withdrawFigure"]["changed"] is False

    # nothing deleted: the figure is kept, marked with who, when and why
    (kept,) = cypher(
        driver,
        "MATCH (f:ReportedFigure {id: 'non_fossil_share||2025-03-31'}) RETURN f.value AS v, "
        "f.withdrawn_by AS by, f.withdrawn_reason AS why, f.withdrawn_at IS NOT NULL AS at",
    )
    assert kept == {"v": 15.1, "by": "steward", "why": "misprint", "at": True}
    actions = cypher(
        driver, "MATCH (e:AuditEntry) RETURN e.action AS a, e.target AS t ORDER BY e.at"
    )
    assert [(a["a"], a["t"]) for a in actions] == [
        ("reportFigure", "non_fossil_share||2024-12-31"),
        ("reportFigure", "non_fossil_share||2025-03-31"),
        ("withdrawFigure", "non_fossil_share||2025-03-31"),
    ]
    # reported again, the figure is entered anew
    assert _report(clean, "non_fossil_share", 15.1, "%", "2025-03-31").ok["reportFigure"]["changed"]
    assert _row(clean, "non_fossil_share", "2025-06-30")["actual"] == 15.1


def test_withdrawing_what_was_never_reported_names_it(clean: GraphQL) -> None:
    answer = clean(WITHDRAW, i="non_fossil_share", d="2023-12-31", a=None, r="x")
    assert answer.code == "NOT_FOUND"
    assert "non_fossil_share for the district dated 2023-12-31" in answer.errors[0][0]
    assert clean(WITHDRAW, i="nonsense", d="2023-12-31", a=None, r="x").code == "UNKNOWN_INDICATOR"


def test_an_areas_figure_is_that_areas_not_the_districts(
    clean: GraphQL, driver: neo4j.Driver
) -> None:
    city = _city(driver)
    assert _report(clean, "non_fossil_share", 30.0, "%", "2025-03-31", city).ok
    district = _row(clean, "non_fossil_share", "2025-06-30")
    assert (district["actual"], district["figureAsOf"]) == (None, None)
    own = _row(clean, "non_fossil_share", "2025-06-30", city)
    assert (own["actual"], own["figureArea"]) == (30.0, city)
    assert _report(clean, "non_fossil_share", 14.0, "%", "2025-03-31").ok  # the district's
    assert _row(clean, "non_fossil_share", "2025-06-30")["actual"] == 14.0
    assert _row(clean, "non_fossil_share", "2025-06-30", city)["actual"] == 30.0  # its own
    # withdrawn, the city has no figure: the district's is not the city's (issue 13.7)
    assert clean(WITHDRAW, i="non_fossil_share", d="2025-03-31", a=city, r="x").ok
    assert _row(clean, "non_fossil_share", "2025-06-30", city)["actual"] is None
    assert _row(clean, "non_fossil_share", "2025-06-30")["actual"] == 14.0


def test_a_figure_of_today_is_taken_and_one_of_tomorrow_is_not(clean: GraphQL) -> None:
    today = date.today()
    assert _report(clean, "rd_activity_share", 40, "%", today.isoformat()).ok
    tomorrow = _report(clean, "rd_activity_share", 40, "%", (today + timedelta(1)).isoformat())
    assert tomorrow.code == "INVALID_DATE"
