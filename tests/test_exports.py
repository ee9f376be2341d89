"""Table downloads: what the dashboard posts comes back as CSV or XLSX, cell for cell."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest
from openpyxl import load_workbook
from starlette.applications import Starlette
from starlette.routing import Route

from api.errors import ExportError
from api.exports import export
from api.exporttable import MAX_CELLS, Table, to_csv, to_xlsx
from tests.http_server import serving

TABLE = {
    "title": "规划目标进度 2025-12-31 fengdong",
    "columns": ["指标", "目标", "期限", "实际"],
    "rows": [
        ["国家高新技术企业", "≥ 3,500", 2025, 3705],
        ["非化石能源消费比重", "≈ 16%", 2025, None],
    ],
}


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    app = Starlette(routes=[Route("/export/{format}", export, methods=["POST"])])
    with serving(app) as url, httpx.Client(base_url=url) as c:
        yield c


def test_csv_and_xlsx_hold_exactly_the_posted_cells() -> None:
    table = Table.parse(TABLE)
    text = to_csv(table).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Chinese headings as UTF-8
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        TABLE["columns"],
        ["国家高新技术企业", "≥ 3,500", "2025", "3705"],
        ["非化石能源消费比重", "≈ 16%", "2025", ""],
    ]
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        TABLE["columns"],
        *TABLE["rows"],
    ]


def test_download_over_http_names_the_file_after_the_view(client: httpx.Client) -> None:
    response = client.post("/export/xlsx", json=TABLE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "2025-12-31_fengdong.xlsx" in disposition
    assert "filename*=UTF-8''%E8%A7%84" in disposition  # the Chinese title, encoded
    csv_response = client.post("/export/csv", json=TABLE)
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "JSON object"),
        ({**TABLE, "title": " "}, "title"),
        ({**TABLE, "columns": []}, "columns"),
        ({**TABLE, "rows": [["a"]]}, "rows[0]: a list of 4 cells"),
        ({**TABLE, "rows": [["a", "b", {"x": 1}, None]]}, "rows[0][2]"),
        ({**TABLE, "rows": [["a"] * 4] * (MAX_CELLS // 4 + 1)}, "more than"),
    ],
)
def test_a_bad_table_is_refused_with_the_field_named(
    client: httpx.Client, body: object, message: str
) -> None:
    with pytest.raises(ExportError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Table.parse(body)
    response = client.post("/export/csv", json=body)
    assert response.status_code == 400 and message in response.json()["error"]


def test_unknown_format_and_bad_json(client: httpx.Client) -> None:
    assert client.post("/export/pdf", json=TABLE).status_code == 404
    response = client.post("/export/csv", content=b"{not json")
    assert response.status_code == 400


def test_a_non_finite_number_is_refused_by_its_cell() -> None:
    bad = {"title": "t", "columns": ["a", "b"], "rows": [[1, 2.5], ["x", float("nan")]]}
    with pytest.raises(ExportError, match=r"rows\[1\]\[1\]: nan is not a finite number"):
        Table.parse(bad)


def test_control_characters_become_a_replacement_mark_in_xlsx() -> None:
    # A name pasted from a PDF can carry a form feed or a NUL; XML 1.0 cannot hold them.
    table = Table.parse({"title": "t", "columns": ["名称"], "rows": [["甲\x0c乙\x00丙"]]})
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None and sheet["A2"].value == "甲\ufffd乙\ufffd丙"
