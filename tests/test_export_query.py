"""Query exports: POST /export/{csv|xlsx|jsonl} with {query, variables} sends every row of one
connection across its pages, over real HTTP against the demo graph, with what the file is
inside it; refusals name what to change; memory stays that of one page."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import neo4j
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.exportquery import AFTER, FIRST, PAGE_KEY, TOTAL_KEY, plan
from api.exportstream import Meta, Pages, csv_rows, xlsx_cells
from api.graphql.build import schema
from api.settings import Settings
from graph.model import Label
from graph.reads import DUMP_LABELS
from graph.records import NodeRecord
from graph.writer import Writer
from loaders.provenance import Provenance
from tests.api_demo import AS_OF
from tests.http_server import serving

pytestmark = pytest.mark.neo4j

ORGS = """query Orgs($asOf: Date, $area: String, $kind: String, $first: Int!) {
  organizations(asOf: $asOf, area: $area, kind: $kind, first: $first) {
    totalCount edges { node { key name kind areas { id } recognitions { kind validTo } } } } }"""
LEDGER = """query Ledger($asOf: Date) { ledger(asOf: $asOf) {
  targetId indicatorKey comparator target unit deadline actual } }"""


@pytest.fixture(scope="module")
def base(demo: None, driver: neo4j.Driver, settings: Settings) -> Iterator[str]:
    # two targets, a count and a share, as the plan states them
    specs = {
        "x-hightech": (">=", 3500.0, "count", "national_hightech_enterprises"),
        "x-share": ("~", 15.1, "%", "non_fossil_share"),
    }
    nodes = [
        NodeRecord(
            Label.TARGET,
            key,
            {
                "indicator": key,
                "indicator_key": indicator,
                "comparator": comparator,
                "value": value,
                "unit": unit,
                "deadline": 2025,
            },
            Provenance("test", "nlp:test"),
        )
        for key, (comparator, value, unit, indicator) in specs.items()
    ]
    Writer(driver).write(nodes, [])
    with serving(create_app(settings)) as url:
        yield url


def _all_keys(base: str, **variables: Any) -> list[str]:
    """Every organisation's key, walked page by page through /graphql as a client would."""
    keys: list[str] = []
    after = None
    query = """query($asOf: Date, $area: String, $after: String) {
      organizations(asOf: $asOf, area: $area, first: 100, after: $after) {
        pageInfo { hasNextPage endCursor } edges { node { key } } } }"""
    while True:
        body = httpx.post(
            f"{base}/graphql", json={"query": query, "variables": {**variables, "after": after}}
        ).json()
        page = body["data"]["organizations"]
        keys += [e["node"]["key"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return keys
        after = page["pageInfo"]["endCursor"]


def _csv(content: bytes) -> tuple[dict[str, str], list[list[str]]]:
    text = content.decode("utf-8").lstrip("\ufeff")
    meta = {}
    lines = text.splitlines()
    while lines and lines[0].startswith("# "):
        key, _, value = lines.pop(0)[2:].partition(": ")
        meta[key] = value
    return meta, list(csv.reader(io.StringIO("\n".join(lines))))


def test_a_csv_export_holds_every_row_of_the_connection_and_says_what_it_is(base: str) -> None:
    variables = {"asOf": AS_OF, "area": None, "first": 7}
    expected = _all_keys(base, asOf=AS_OF)
    assert len(expected) > 100  # more than one page of the export
    response = httpx.post(
        f"{base}/export/csv",
        json={"query": ORGS, "variables": variables, "lang": "en", "title": "orgs all"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert "orgs_all.csv" in response.headers["content-disposition"]
    meta, rows = _csv(response.content)
    assert meta["as_of"] == AS_OF and meta["area"] == "" and meta["language"] == "en"
    assert meta["rows"] == str(len(expected)) and meta["exported_at"][:4].isdigit()
    assert meta["filters"] == ""  # first is the page size, no filter
    heading, *body = rows
    assert heading == [
        "key",
        "name",
        "kind",
        "areas.id",
        "recognitions.kind",
        "recognitions.validTo",
    ]
    assert [r[0] for r in body] == expected  # all of them, in the API's order
    # a list's items line up across its columns
    many = next(r for r in body if ";" in r[4])
    assert len(many[4].split("; ")) == len(many[5].split("; "))


def test_jsonl_and_xlsx_carry_the_same_rows_with_labelled_values(base: str) -> None:
    variables = {"asOf": AS_OF, "area": "fengxi", "kind": "firm", "first": 5}
    body = {
        "query": ORGS,
        "variables": variables,
        "lang": "zh",
        "labels": {"kind": "organization_kinds"},
    }
    lines = httpx.post(f"{base}/export/jsonl", json=body, timeout=60).content.splitlines()
    head = json.loads(lines[0])
    assert head["export"]["filters"] == {"kind": "firm"} and head["export"]["as_of"] == AS_OF
    assert head["export"]["area"] == "fengxi"
    nodes = [json.loads(line) for line in lines[1:]]
    assert len(nodes) == head["export"]["rows"] > 10
    assert all(n["kind"] == "firm" for n in nodes)  # JSON keeps the keys, nested as answered
    response = httpx.post(
        f"{base}/export/xlsx", json={**body, "headings": {"name": "名称"}}, timeout=60
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    block = {r[0]: r[1] for r in cells[:7]}
    assert block["截至日期"] == AS_OF and block["语言"] == "zh" and block["行数"] == str(len(nodes))
    assert cells[7] == [None, None] or not any(cells[7])
    assert cells[8][:3] == ["key", "名称", "kind"]
    assert [r[0] for r in cells[9:]] == [n["key"] for n in nodes]
    assert {r[2] for r in cells[9:]} == {"企业"}  # the label, in the file's language


def test_a_list_field_exports_numbers_as_numbers_with_comparator_and_unit_apart(base: str) -> None:
    response = httpx.post(
        f"{base}/export/xlsx", json={"query": LEDGER, "variables": {"asOf": AS_OF}}, timeout=60
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)][8:]
    heading, *data = rows
    assert heading == [
        "targetId",
        "indicatorKey",
        "comparator",
        "target",
        "unit",
        "deadline",
        "actual",
    ]
    ledger = httpx.post(f"{base}/graphql", json={"query": LEDGER, "variables": {"asOf": AS_OF}})
    expected = ledger.json()["data"]["ledger"]
    assert len(data) == len(expected) > 0
    for row, target in zip(data, expected, strict=True):
        assert row[3] == target["target"] and isinstance(row[3], int | float)
        assert row[2] == target["comparator"] and row[4] == target["unit"]
    assert {(r[2], r[3], r[4]) for r in data} == {(">=", 3500, "count"), ("~", 15.1, "%")}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"query": "mutation { x }"}, "exactly one query operation"),
        ({"query": "{ areas { id } ledger { targetId } }"}, "exactly one field"),
        ({"query": '{ organization(id: "x") { key } }'}, "neither a connection nor a list"),
        ({"query": "{ organizations { totalCount } }"}, "needs edges"),
        ({"query": "{ organizations("}, "query: Syntax Error"),
        (
            {"query": f"query(${FIRST}: Int) {{ organizations {{ edges {{ node {{ key }} }} }} }}"},
            "export's own",
        ),
        ({"query": ORGS, "variables": {"area": "nowhere", "first": 1}}, "nowhere"),
        ({"query": ORGS, "lang": "fr"}, "lang"),
        (
            {"query": ORGS, "labels": {"kind": "colours"}, "variables": {"first": 1}},
            "no vocabulary section",
        ),
    ],
)
def test_a_query_that_cannot_be_exported_is_refused_before_the_file(
    base: str, body: dict[str, Any], message: str
) -> None:
    response = httpx.post(f"{base}/export/csv", json=body, timeout=30)
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]


def test_the_plan_rewrites_paging_and_drops_the_users_own() -> None:
    p = plan(schema._schema, ORGS, {"first": 3, "asOf": AS_OF})
    assert "$first" not in p.document and f"${FIRST}" in p.document and f"${AFTER}" in p.document
    assert PAGE_KEY in p.document and TOTAL_KEY in p.document
    assert p.variables == {"asOf": AS_OF} and p.connection


def _fake_pages(total: int) -> Pages:
    """A connection of ``total`` nodes, served page by page like the API (no database)."""
    p = plan(schema._schema, "{ organizations { edges { node { key name uscc } } } }", None)

    async def execute(document: str, variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        start = int(variables[AFTER] or 0)
        end = min(total, start + variables[FIRST])
        edges = [
            {"node": {"key": f"org-{i}", "name": f"名称 {i}" * 3, "uscc": None}}
            for i in range(start, end)
        ]
        info = {"hasNextPage": end < total, "endCursor": str(end)}
        return {p.key: {"edges": edges, PAGE_KEY: info, TOTAL_KEY: total}}, []

    return Pages(p, execute)


def _peak(total: int) -> tuple[int, int]:
    async def go() -> int:
        rows = 0
        async for page in _fake_pages(total):
            csv_rows([[n["key"], n["name"], n["uscc"]] for n in page])
            rows += len(page)
        return rows

    tracemalloc.start()
    try:
        rows = asyncio.run(go())
        return rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_that_of_one_page_whatever_the_rows() -> None:
    small_rows, small = _peak(2_000)
    big_rows, big = _peak(100_000)
    assert (small_rows, big_rows) == (2_000, 100_000)
    assert big < small * 1.5 + 200_000, (small, big)  # fifty times the rows, not the memory


def test_meta_and_cells_keep_formulas_as_text() -> None:
    assert csv_rows([["=HYPERLINK(1)", 3, None]]) == b"'=HYPERLINK(1),3,\r\n"
    from openpyxl import Workbook

    ws = Workbook(write_only=True).create_sheet("d")
    cell = xlsx_cells(ws, ["=1+1", 2])[0]
    assert cell.data_type == "s"
    meta = Meta.of("t", "zh", {"asOf": None, "area": "", "kind": "firm", "text": ""})
    assert meta.area is None and meta.filters == {"kind": "firm"} and len(meta.as_of) == 10


def _cli_env(settings: Settings) -> dict[str, str]:
    return {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
        "COLUMNS": "200",
    }


def test_the_registry_dump_holds_every_entry_with_its_provenance(
    base: str, driver: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    counts = {
        str(label): n
        for label in DUMP_LABELS
        for (n,) in [driver.execute_query(f"MATCH (n:`{label}`) RETURN count(n)").records[0]]
    }
    (rels,) = driver.execute_query(
        "MATCH (n)-[r]->() WHERE any(l IN labels(n) WHERE l IN $labels) RETURN count(r)",
        labels=list(counts),
    ).records[0]
    target = tmp_path / "registry.jsonl"
    result = CliRunner().invoke(
        cli,
        ["export", "registry", "--format", "jsonl", "--out", str(target)],
        env=_cli_env(settings),
    )
    assert result.exit_code == 0, result.output
    head, *entries = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert head["export"]["registry"] == "innograph" and head["export"]["exported_at"]
    assert Counter(e["type"] for e in entries) == {k: v for k, v in counts.items() if v}
    assert sum(len(e["relations"]) for e in entries) == rels
    orgs = [e for e in entries if e["type"] == "Organization"]
    assert all(e["properties"].get("prov_source") for e in orgs)  # each says where it came from
    holds = [x for e in orgs for x in e["relations"] if x["type"] == "HOLDS"]
    assert holds and all(
        x["to_label"] == "Recognition" and x["properties"].get("prov_source") for x in holds
    )

    folder = tmp_path / "registry"
    result = CliRunner().invoke(
        cli, ["export", "registry", "--format", "csv", "--out", str(folder)], env=_cli_env(settings)
    )
    assert result.exit_code == 0, result.output
    meta, rows = _csv((folder / "Organization.csv").read_bytes())
    assert meta["format"] == "csv" and rows[0][:2] == ["key", "labels"] and "prov_source" in rows[0]
    assert sorted(r[0] for r in rows[1:]) == sorted(e["key"] for e in orgs)
    _, relations = _csv((folder / "relationships.csv").read_bytes())
    assert len(relations) - 1 == rels
    refused = CliRunner().invoke(
        cli, ["export", "registry", "--format", "csv", "--out", str(target)], env=_cli_env(settings)
    )
    assert refused.exit_code == 1 and "is a file" in refused.output


SORTED = """query($asOf: Date, $sort: OrgSort!, $descending: Boolean!) {
  organizations(asOf: $asOf, sort: $sort, descending: $descending) {
    totalCount edges { node { key name } } } }"""
PAGE_OF = """query($after: String) { organizations(first: 7, after: $after) {
  pageInfo { endCursor } edges { node { key } } } }"""


def _in_order(driver: neo4j.Driver, by: str) -> list[str]:
    """Every organisation the list shows, in ``by`` order, as Neo4j sorts them."""
    records, _, _ = driver.execute_query(
        "MATCH (o:Organization) WHERE NOT EXISTS { (o)-[:SAME_AS]->() } "
        f"RETURN o.id AS id ORDER BY {by}"
    )
    return [r["id"] for r in records]


@pytest.mark.parametrize(
    ("sort", "descending", "by"),
    [
        ("NAME", False, "o.name, o.id"),
        ("NAME", True, "o.name DESC, o.id"),
        ("ID", True, "o.id DESC"),
    ],
)
def test_an_export_of_many_pages_has_every_row_once_in_the_lists_order(
    base: str, driver: neo4j.Driver, sort: str, descending: bool, by: str
) -> None:
    variables = {"asOf": AS_OF, "sort": sort, "descending": descending}
    response = httpx.post(
        f"{base}/export/jsonl", json={"query": SORTED, "variables": variables}, timeout=60
    )
    assert response.status_code == 200, response.text
    head, *lines = response.content.splitlines()
    keys = [json.loads(line)["key"] for line in lines]
    expected = _in_order(driver, by)
    assert len(expected) > 2 * 100  # more than two of the export's pages
    assert keys == expected  # every row, once, in order
    assert json.loads(head)["export"]["rows"] == len(expected)  # counted on the first page


def test_a_page_starts_after_its_cursors_row_not_at_an_offset(
    base: str, driver: neo4j.Driver
) -> None:
    def page(after: str | None) -> tuple[list[str], str]:
        body = httpx.post(
            f"{base}/graphql", json={"query": PAGE_OF, "variables": {"after": after}}
        ).json()
        conn = body["data"]["organizations"]
        return [e["node"]["key"] for e in conn["edges"]], conn["pageInfo"]["endCursor"]

    first, cursor = page(None)
    # an organisation sorting before every other arrives between two pages: counted by
    # offset, the next page would begin with the last row of this one again
    record = NodeRecord(
        Label.ORGANIZATION, "org-keyset-probe", {"name": "0000 keyset probe"}, Provenance("t", "t")
    )
    Writer(driver).write([record], [])
    try:
        second, _ = page(cursor)
        now = _in_order(driver, "o.name, o.id")
        assert now[0] == "org-keyset-probe"
        assert second == now[now.index(first[-1]) + 1 :][:7]
        assert not set(first) & set(second)
    finally:
        driver.execute_query("MATCH (o:Organization {id: 'org-keyset-probe'}) DETACH DELETE o")
