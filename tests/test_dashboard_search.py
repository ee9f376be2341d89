"""The dashboard's header search: every type of hit shown with its type, an organisation
linked to its page, the others shown as what they are (issue 13, point 11)."""

from __future__ import annotations

from collections.abc import Iterator

import neo4j
import pytest
from playwright.sync_api import Browser, Page

from api.app import create_app
from api.settings import Settings
from tests.api_demo import cypher
from tests.http_server import serving
from tests.test_dashboard import Console, browser  # noqa: F401  (the shared browser fixture)

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def server(demo: None, settings: Settings) -> Iterator[str]:
    with serving(create_app(settings)) as url:
        yield url


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    console = Console(page)
    yield page
    context.close()
    assert console.errors == [], console.errors


def _hits(page: Page, text: str, key: str) -> list[dict[str, str | None]]:
    """The hits shown for ``text``, once the one for ``key`` is among them."""
    page.locator("#site-search").fill(text)
    page.wait_for_selector(f"#site-hits li[data-key='{key}']")
    rows: list[dict[str, str | None]] = page.evaluate(
        """() => [...document.querySelectorAll('#site-hits li[data-type]')].map((li) => ({
          type: li.dataset.type, key: li.dataset.key,
          href: li.querySelector('a')?.getAttribute('href') ?? null,
          sub: li.querySelector('.sub').textContent }))"""
    )
    return rows


def test_each_type_is_shown_and_an_organisation_links_to_its_page(
    page: Page, server: str, driver: neo4j.Driver
) -> None:
    page.goto(f"{server}/#/coverage?asOf=2025-06-30")
    page.wait_for_selector("#site-search")
    (tech,) = cypher(
        driver, "MATCH (t:Technology) RETURN t.id AS id, t.name_en AS en ORDER BY id LIMIT 1"
    )
    first = _hits(page, tech["en"], tech["id"])[0]
    # a technology links to its own page (issue 16, point 4), the as-of date kept
    assert (first["type"], first["key"], first["href"]) == (
        "Technology",
        tech["id"],
        f"#/technology/{tech['id']}?asOf=2025-06-30",
    )
    assert first["sub"] == "Technology"
    page.locator(f"#site-hits li[data-key='{tech['id']}'] a").click()
    page.wait_for_selector(f"article[data-technology='{tech['id']}']")
    page.goto(f"{server}/#/coverage?asOf=2025-06-30")
    page.wait_for_selector("#site-search")
    (firm,) = cypher(
        driver,
        "MATCH (o:Organization:Firm)-[:HOLDS]->(r:Recognition) WHERE r.cert_no IS NOT NULL "
        "AND NOT EXISTS { (o)-[:SAME_AS]->() } "
        "RETURN o.id AS id, o.uscc AS uscc, r.cert_no AS cert ORDER BY id LIMIT 1",
    )
    hit = _hits(page, firm["cert"], firm["id"])[0]
    assert (hit["type"], hit["key"]) == ("Organization", firm["id"])
    assert hit["sub"] == "Organisation · firm · by certificate number", hit
    assert hit["href"] == f"#/org/{firm['id']}?asOf=2025-06-30"  # the as-of date is kept
    page.locator(f"#site-hits li[data-key='{firm['id']}'] a").click()
    page.wait_for_selector(f"article[data-org='{firm['id']}']")
    assert page.locator("#site-hits").count() == 0  # the list closes on the way
    assert _hits(page, firm["uscc"], firm["id"])[0]["key"] == firm["id"]
