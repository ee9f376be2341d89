"""The bureau's pages in the real browser (Playwright + Debian Chromium) against the API's
answers: complete lists that page on the server, and their downloads in full."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import tests.test_dashboard as shared
from tests.test_dashboard import browser, demo_loaded, en, server, zh  # noqa: F401  (shared fixtures)

AS_OF, SHOTS, gql = shared.AS_OF, shared.SHOTS, shared.gql

pytestmark = pytest.mark.neo4j

CELL = """query($technology: String, $asOf: Date, $recognitions: [String!], $after: String) {
  organizations(technology: $technology, asOf: $asOf, recognitions: $recognitions, first: 100,
    after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { key name } } } }"""
COVERAGE = (
    """query($asOf: Date) { coverage(asOf: $asOf) { technology { id } hightechEnterprises } }"""
)


def _all(base: str, **variables: object) -> list[dict[str, str]]:
    nodes: list[dict[str, str]] = []
    after = None
    while True:
        page = gql(base, CELL, **variables, after=after)["organizations"]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def test_a_cell_list_pages_to_its_last_item_and_downloads_whole(en: Page, server: str) -> None:  # noqa: F811
    rows = gql(server, COVERAGE, asOf=AS_OF)["coverage"]
    tech, count = max(
        ((r["technology"]["id"], r["hightechEnterprises"]) for r in rows), key=lambda x: x[1]
    )
    assert count > 100  # more than two of the list's pages
    expected = _all(server, technology=tech, asOf=AS_OF, recognitions=["national_hightech"])
    assert len(expected) == count
    en.goto(f"{server}/#/coverage?asOf={AS_OF}")
    en.locator(f"tr[data-tech='{tech}'] button[data-kind='hightech_enterprises']").click()
    listing = en.locator(f".cell-list[data-cell='{tech}:hightech_enterprises']")
    total = listing.locator("[data-total]")
    expect(total).to_have_attribute("data-total", str(count))
    expect(total).to_have_attribute("data-shown", "50")
    while listing.locator("button.more").count():
        shown = int(total.get_attribute("data-shown") or 0)
        listing.locator("button.more").click()
        expect(total).to_have_attribute("data-shown", str(min(count, shown + 50)))
    assert listing.locator("li a").all_inner_texts() == [n["name"] for n in expected]
    assert f"{count:,} of {count:,} shown" in total.inner_text()
    en.screenshot(path=SHOTS / "coverage-list-all-en.png", full_page=True)

    with en.expect_download() as info:
        listing.locator("button[data-export=csv]").click()
    meta, table = shared._csv_file(Path(info.value.path()))
    assert meta["as_of"] == AS_OF and meta["rows"] == str(count)
    assert '"recognitions": ["national_hightech"]' in meta["filters"]
    heading, *lines = table
    assert heading[:2] == ["Chinese name", "English name"]
    assert [line[0] for line in lines] == [n["name"] for n in expected]
    assert {line[heading.index("Kind")] for line in lines} <= {
        "firm",
        "R&D institution",
        "university",
    }
