"""The dashboard shows what issue 13.3 and 13.5 added: the date of a reported figure on the
targets page, flagged when it is older than the as-of year, and each former name with the
day it changed on the organisation page (Chromium, the real app, the small demo graph)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import neo4j
import pytest
from playwright.sync_api import Page

from api.app import create_app
from api.settings import Settings
from api.usecases.demo import write_plan_targets
from loaders.demo import demo_plan
from tests.api_demo import cypher, demo
from tests.graphql_client import GraphQL
from tests.http_server import serving
from tests.test_dashboard import browser, en, zh

pytestmark = pytest.mark.neo4j
__all__ = ["browser", "demo", "en", "zh"]

REPORT = """mutation { reportFigure(indicator: "non_fossil_share", value: 14.2, unit: "%",
  asOf: "2024-12-31", source: "Xixian statistical bulletin 2024", reason: "annual") { changed } }"""
CORRECT = """mutation($o: String!, $n: String!) { correctOrganization(organization: $o,
  changes: {name: $n}, reason: "renamed") { changed } }"""


@pytest.fixture(scope="module")
def site(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> Iterator[tuple[str, dict[str, str]]]:
    assert write_plan_targets(settings, demo_plan("en"))
    driver.execute_query("MATCH (n) WHERE n:ReportedFigure OR n:AuditEntry DETACH DELETE n")
    (firm,) = cypher(
        driver,
        "MATCH (o:Organization:Firm) WHERE o.name_zh = o.name AND NOT EXISTS { (o)-[:SAME_AS]-() } "
        "RETURN o.id AS key, o.name AS name ORDER BY o.id LIMIT 1",
    )
    client = GraphQL(settings)
    try:
        assert client(REPORT).ok["reportFigure"]["changed"]
        assert client(CORRECT, o=firm["key"], n=firm["name"] + "（更名）").ok
    finally:
        client.close()
    with serving(create_app(settings)) as url:
        yield url, firm


def _note(page: Page, url: str, as_of: str, stale: bool) -> str:
    page.goto("about:blank")  # a fresh load: no answer of another date on screen
    page.goto(f"{url}/#/targets?asOf={as_of}")
    page.wait_for_selector("[data-ready]")
    # (the plan has a target of it for each deadline: the first one)
    row = page.locator("table.ledger tbody tr[data-indicator='non_fossil_share']").first
    row.locator(".figure[data-figure-as-of='2024-12-31']").wait_for()
    return row.locator(".figure").inner_text()


def test_the_targets_page_dates_a_reported_figure_and_flags_an_old_one(
    site: tuple[str, dict[str, str]], en: Page, zh: Page
) -> None:
    url, _ = site
    old = _note(en, url, "2025-06-30", True)
    assert "figure of 31 Dec 2024" in old and "old figure (2024)" in old
    same_year = _note(en, url, "2024-12-31", False)
    assert "figure of 31 Dec 2024" in same_year and "old figure" not in same_year
    assert "旧数据（2024 年）" in _note(zh, url, "2025-06-30", True)


def test_the_organisation_page_shows_the_day_a_name_stopped(
    site: tuple[str, dict[str, str]], en: Page
) -> None:
    url, firm = site
    en.goto(f"{url}/#/org/{firm['key']}")
    en.wait_for_selector("article[data-org]")
    text = en.locator("article[data-org] dl.facts").inner_text()
    today = date.today()
    assert f"{firm['name']} (until {today.day} {today.strftime('%b')} {today.year})" in text
