"""Benchmark: the list readers, rows per second, on the bench's generated firms file.

The same rows (bench.gen_firms) are written as CSV, XLSX (openpyxl), XLS (xlwt; at most
65,535 rows fit a sheet) and ODS (odfpy); each file is read by ``read_rows`` and, for XLSX,
also by the openpyxl reader calamine replaced. Run from the repository root:

    .venv/bin/python -m bench.readers [--firms 100000] [--ods-firms 20000] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bench.gen_firms import write_firms
from bench.report import emit
from loaders.formats import read_rows, read_xlsx_openpyxl

XLS_MAX_ROWS = 65_535  # one sheet of an Excel 97-2003 workbook, less its header


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xls(rows: list[list[str]]) -> bytes:
    import xlwt  # type: ignore[import-untyped]

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("list")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ods(rows: list[list[str]]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]
    from odf.table import Table, TableCell, TableRow  # type: ignore[import-untyped]
    from odf.text import P  # type: ignore[import-untyped]

    doc = OpenDocumentSpreadsheet()
    table = Table(name="list")
    for r in rows:
        tr = TableRow()
        for v in r:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=v))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def _rate(read: Callable[[], Iterable[Any]], rows: int) -> dict[str, float]:
    start = time.perf_counter()
    got = sum(1 for _ in read())
    seconds = time.perf_counter() - start
    assert got == rows, f"read {got} rows, wrote {rows}"
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--ods-firms", type=int, default=20_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = write_firms(Path(tmp) / "firms.csv", args.firms)
        data = path.read_bytes()
        with path.open(encoding="utf-8") as f:
            rows = list(csv.reader(f))
    n = len(rows) - 1
    xlsx = _xlsx(rows)
    xls_rows = rows[: XLS_MAX_ROWS + 1]
    xls = _xls(xls_rows)
    ods_rows = rows[: args.ods_firms + 1]
    ods = _ods(ods_rows)
    result = {
        "csv": _rate(lambda: read_rows(data, "firms.csv"), n),
        "xlsx_calamine": _rate(lambda: read_rows(xlsx, "firms.xlsx"), n),
        "xlsx_openpyxl": _rate(lambda: list(read_xlsx_openpyxl(xlsx, "firms.xlsx")), n),
        "xls_calamine": _rate(lambda: read_rows(xls, "firms.xls"), len(xls_rows) - 1),
        "ods_calamine": _rate(lambda: read_rows(ods, "firms.ods"), len(ods_rows) - 1),
    }
    emit(result, args.json)


if __name__ == "__main__":
    main()
