# ruff: noqa: F811  (the shared fixtures are parameters of the tests)
"""The bureau's pages in the real browser (Playwright + Debian Chromium) against the API's
answers: complete lists that page on the server, and their downloads in full."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import neo4j
import pytest
from playwright.sync_api import Browser, Page, expect

import tests.test_dashboard as shared
from api.auth import Role, add_key
from api.settings import Settings
from graph.ingest import load_source
from loaders.sources import SourceSpec
from loaders.uscc import check_char
from tests.test_dashboard import browser, demo_loaded, en, server, zh  # noqa: F401  (shared fixtures)

AS_OF, SHOTS = shared.AS_OF, shared.SHOTS


def gql(base: str, query: str, **variables: object) -> dict[str, Any]:
    """The API's answer (a first, cold query plan may take seconds on a busy machine)."""
    body = httpx.post(
        f"{base}/graphql", json={"query": query, "variables": variables}, timeout=60
    ).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


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


def test_a_cell_list_pages_to_its_last_item_and_downloads_whole(en: Page, server: str) -> None:
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


EXPIRING_TOTAL = """query($within: Int!, $asOf: Date, $kind: String) {
  expiring(within: $within, asOf: $asOf, kind: $kind, first: 1) { totalCount } }"""
FLOWS = """query($from: Date!, $to: Date!, $kind: String) {
  flows(from: $from, to: $to, kind: $kind, by: YEAR) { period new renewed lapsed net } }"""
AT_RISK = """query($asOf: Date) { ledger(asOf: $asOf) { targetId atRisk projectedFrom } }"""


def test_the_renewals_page_shows_the_calendar_the_list_and_the_flows(en: Page, server: str) -> None:
    kind = "national_hightech"
    totals = [
        gql(server, EXPIRING_TOTAL, within=m, asOf=AS_OF, kind=kind)["expiring"]["totalCount"]
        for m in range(1, 13)
    ]
    en.goto(f"{server}/#/renewals?asOf={AS_OF}")
    en.wait_for_selector(".calendar button[data-month='12']")
    shown = [int(b.get_attribute("data-count") or -1) for b in en.locator(".calendar button").all()]
    assert shown == [t - (totals[i - 1] if i else 0) for i, t in enumerate(totals)]
    assert totals[-1] > 0
    table = en.locator("table.expiring")
    expect(table).to_have_attribute("data-total", str(totals[-1]))
    flows = gql(server, FLOWS, **{"from": "2020-12-31", "to": AS_OF, "kind": kind})["flows"]
    en.wait_for_selector(".flows-chart[data-rendered]")
    nets = {
        r.get_attribute("data-period"): r.locator("[data-net]").get_attribute("data-net")
        for r in en.locator("table.flows tbody tr").all()
    }
    assert nets == {r["period"]: str(r["net"]) for r in flows}
    en.screenshot(path=SHOTS / "renewals-en.png", full_page=True)

    # a month picks the list up to it; the download is that list, whole
    month = next(i for i, n in enumerate(shown) if n) + 1
    en.locator(f".calendar button[data-month='{month}']").click()
    expect(table).to_have_attribute("data-total", str(totals[month - 1]))
    with en.expect_download() as info:
        en.locator("section button[data-export=csv]").first.click()
    meta, rows = shared._csv_file(Path(info.value.path()))
    assert meta["rows"] == str(totals[month - 1]) == str(len(rows) - 1)
    assert '"within": ' + str(month) in meta["filters"] and meta["as_of"] == AS_OF

    # the ledger says how many certificates of a counted target lapse before its deadline
    earlier = "2024-06-30"  # before the plan's 2025 deadlines
    ledger = gql(server, AT_RISK, asOf=earlier)["ledger"]
    risky = [r for r in ledger if r["atRisk"]]
    assert risky and all(r["projectedFrom"] == "expiries" for r in risky)
    en.goto(f"{server}/#/targets?asOf={earlier}")
    en.wait_for_selector("[data-ready]")
    for r in risky:
        note = en.locator(f"tr[data-target='{r['targetId']}'] .at-risk")
        expect(note).to_have_attribute("data-at-risk", str(r["atRisk"]))
        assert "lapse before the deadline" in note.inner_text()


QUEUE = """query { reviewQueue(first: 100) { totalCount edges { node { key
  organization { key } candidate { key } } } } }"""
ITEM = """query($key: String!) { organization(id: $key) { mergedInto { key } } }"""


@pytest.fixture()
def bureau_key(server: str, settings: Settings, driver: neo4j.Driver, tmp_path: Path) -> str:
    """A bureau key, and two unsure pairs from a small list beside the demo's."""
    for name, kind, text in (
        ("t.review.firms", "hightech", REVIEW_FIRMS),
        ("t.review.cons", "consortium", REVIEW_CONS),
    ):
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        spec = SourceSpec(name, kind, str(path))
        load_source(driver, spec, path.read_bytes(), reports_dir=tmp_path / "reports")
    return add_key(settings.keys_file, "li.wei", Role.BUREAU)


REVIEW_FIRMS = "企业名称,统一社会信用代码,证书编号,发证日期,所在区域\n" + "".join(
    f"{name},{body + check_char(body)},GR20216100{i:04d},2021-03-01,沣西新城\n"
    for i, (name, body) in enumerate(
        (
            ("陕西众森电能科技有限公司", "91610000MA6T00210"),
            ("陕西华晟光电科技有限公司", "91610000MA6T00220"),
        )
    )
)
REVIEW_CONS = (
    "联合体名称,牵头单位,成员单位,技术领域,级别,成立时间\n"
    "西咸新区审核测试创新联合体,陕西众森科技有限公司,陕西华晟科技有限公司,光伏,省级,2023-05-01\n"
)


def test_the_review_queue_is_decided_from_the_keyboard(
    en: Page, server: str, bureau_key: str
) -> None:
    def api(query: str, **variables: object) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {bureau_key}"}
        body = httpx.post(
            f"{server}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
            timeout=60,
        ).json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    before = api(QUEUE)["reviewQueue"]
    assert before["totalCount"] >= 2
    en.goto(f"{server}/#/review?asOf={AS_OF}")
    en.fill("input[name=key]", bureau_key)
    en.keyboard.press("Enter")
    items = en.locator("ol.review > li")
    expect(items).to_have_count(min(50, before["totalCount"]))
    keys = [e["node"]["key"] for e in before["edges"]]
    assert [items.nth(i).get_attribute("data-item") for i in range(2)] == keys[:2]
    expect(items.first).to_be_focused()
    en.screenshot(path=SHOTS / "review-en.png", full_page=True)

    en.keyboard.press("j")  # the second pair
    expect(items.nth(1)).to_have_attribute("aria-current", "true")
    en.keyboard.press("d")
    expect(en.locator(f"li[data-item='{keys[1]}']")).to_have_count(0)
    en.keyboard.press("k")
    en.keyboard.press("s")
    expect(en.locator(f"li[data-item='{keys[0]}']")).to_have_count(0)
    expect(en.locator("[data-left]")).to_have_attribute(
        "data-left", str(min(50, before["totalCount"]) - 2)
    )

    after = api(QUEUE)["reviewQueue"]
    assert after["totalCount"] == before["totalCount"] - 2
    same = before["edges"][0]["node"]
    merged = api(ITEM, key=same["organization"]["key"])["organization"]["mergedInto"]
    assert merged == {"key": same["candidate"]["key"]}
    kept = before["edges"][1]["node"]
    assert api(ITEM, key=kept["organization"]["key"])["organization"]["mergedInto"] is None


FIRM = """query($asOf: Date) { organizations(kind: "firm", asOf: $asOf, first: 100, sort: NAME) {
  edges { node { key name technologies { id } memberships { current consortium { id name } }
    standards { code } } } } }"""
JOIN = """query($o: String!, $asOf: Date) { consortiaToJoin(organization: $o, asOf: $asOf, first: 5) {
  consortium { id name } } }"""
CONSORTIUM = """query($id: ID!, $asOf: Date) { node(id: $id, asOf: $asOf) { ... on Consortium {
  name lead { key } members { key } } } }"""
WORKERS = """query($t: String, $asOf: Date) { organizations(technology: $t, kind: "firm", asOf: $asOf, first: 1) { totalCount } }"""


def test_entity_pages_are_linked_by_name_from_the_organisation(en: Page, server: str) -> None:
    firm = next(
        f["node"]
        for f in gql(server, FIRM, asOf=AS_OF)["organizations"]["edges"]
        if f["node"]["technologies"]
        and f["node"]["standards"]
        and any(m["current"] for m in f["node"]["memberships"])
    )
    en.goto(f"{server}/#/org/{firm['key']}?asOf={AS_OF}")
    en.wait_for_selector("ol.to-join, #join-title")
    join = gql(server, JOIN, o=firm["key"], asOf=AS_OF)["consortiaToJoin"]
    expect(en.locator("ol.to-join > li")).to_have_count(len(join))
    assert [x.get_attribute("data-consortium") for x in en.locator("ol.to-join > li").all()] == [
        c["consortium"]["id"] for c in join
    ]
    expect(en.locator("dl.drafters dd").first).to_be_visible()
    en.screenshot(path=SHOTS / "organisation-join-en.png", full_page=True)
    # no internal key is shown where a name belongs
    body = en.locator("article[data-org]").inner_text()
    assert not re.search(r"\b(cons|org|tech)-[0-9a-f]{6,}", body), body

    member = next(m["consortium"] for m in firm["memberships"] if m["current"])
    en.locator(f"a[href^='#/consortium/{member['id']}']").first.click()
    en.wait_for_selector("article[data-consortium]")
    api = gql(server, CONSORTIUM, id=shared_gid("Consortium", member["id"]), asOf=AS_OF)["node"]
    expect(en.locator("#entity-title")).to_have_text(api["name"])
    expect(en.locator("table.members tbody tr")).to_have_count(len(api["members"]))
    assert (en.locator("[data-lead]").get_attribute("data-lead") or None) == (
        api["lead"] or {}
    ).get("key")
    en.screenshot(path=SHOTS / "consortium-en.png", full_page=True)

    tech = firm["technologies"][0]["id"]
    en.goto(f"{server}/#/technology/{tech}?asOf={AS_OF}")
    en.wait_for_selector("table.workers tr[data-kind='firm'] [data-count]")
    firms = gql(server, WORKERS, t=tech, asOf=AS_OF)["organizations"]["totalCount"]
    expect(en.locator("table.workers tr[data-kind='firm'] [data-count]")).to_have_attribute(
        "data-count", str(firms)
    )
    expect(en.locator("table.coverage-time tbody tr")).to_have_count(6)
    en.screenshot(path=SHOTS / "technology-en.png", full_page=True)

    code = firm["standards"][0]["code"]
    en.goto(f"{server}/#/standard/{quote(code, safe='')}?asOf={AS_OF}")
    en.wait_for_selector("article[data-standard]")
    expect(en.locator(f"[data-drafters] a[href^='#/org/{firm['key']}']")).to_have_count(1)
    en.screenshot(path=SHOTS / "standard-en.png", full_page=True)


def shared_gid(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


# -- every page at phone and desktop width, in both languages --------------------------------

OVERFLOW = """() => {
  // what sticks out of the page sideways (a table in a .scroll box scrolls inside it)
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    if (el.closest('.scroll') || !el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.right)} > ${width}`);
  }
  return [document.documentElement.scrollWidth > width + 1, out.slice(0, 5)];
}"""


LABEL_OVERLAPS = """() => {
  // pairs of evidence-graph labels whose boxes overlap (in the graph's own coordinates)
  const boxes = document.querySelector('.graph[data-rendered]').labelBoxes();
  const out = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b, j) => {
    if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) out.push([i, i + 1 + j]);
  }));
  return out;
}"""


@pytest.mark.parametrize(("lang", "width"), [("zh", 390), ("en", 390), ("zh", 1400)])
def test_every_page_fits_the_width_and_speaks_the_language(
    browser: Browser, server: str, driver: neo4j.Driver, settings: Settings, lang: str, width: int
) -> None:
    context = browser.new_context(
        locale="zh-CN" if lang == "zh" else "en-GB", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    console = shared.Console(page)
    forbidden, found, overflow = shared.untranslated(lang), {}, {}
    records, _, _ = driver.execute_query(
        "MATCH (o:Organization {kind: 'firm'})-[m:MEMBER_OF]->(c:Consortium) WHERE (o)-[:DRAFTED]->() "
        "AND (o)-[:WORKS_ON]->() RETURN o.id AS org, c.id AS cons, "
        "head([(o)-[:DRAFTED]->(s) | s.code]) AS std, head([(o)-[:WORKS_ON]->(t) | t.id]) AS tech "
        "ORDER BY o.id LIMIT 1"
    )
    r = records[0]
    doc = next(
        x["document"]["id"]
        for x in gql(server, shared.LEDGER, asOf=AS_OF)["ledger"]
        if x["document"]
    )
    pages = {
        "targets": ("targets", "[data-ready]"),
        "coverage": ("coverage", ".heatmap[data-rendered]"),
        "partners": (f"partners/{r['org']}", ".graph[data-rendered]"),
        "organisation": (f"org/{r['org']}", "ol.to-join, #join-title"),
        "document": (f"document/{doc}", "article[data-doc] blockquote"),
        "renewals": ("renewals", ".flows-chart[data-rendered]"),
        "review": ("review", "input[name=key]"),
        "consortium": (f"consortium/{r['cons']}", "table.members"),
        "standard": (f"standard/{quote(r['std'], safe='')}", "article[data-standard]"),
        "technology": (f"technology/{r['tech']}", "table.coverage-time"),
    }
    try:
        for name, (path, ready) in pages.items():
            page.goto(f"{server}/#/{path}?asOf={AS_OF}")
            page.wait_for_selector(ready)
            page.wait_for_function("() => !document.querySelector('.spinner')")
            for text in page.evaluate(shared.VISIBLE_TEXT):
                if m := forbidden.search(text):
                    found.setdefault(name, []).append(f"{m.group()!r} in {text!r}")
            if name == "partners":
                overlaps = page.evaluate(LABEL_OVERLAPS)
                assert overlaps == [], overlaps
            wide, what = page.evaluate(OVERFLOW)
            if wide or what:
                overflow[name] = what
            page.screenshot(path=SHOTS / f"width-{width}-{name}-{lang}.png", full_page=True)
    finally:
        context.close()
    assert not found, found
    assert not overflow, overflow
    assert console.errors == [], console.errors
