"""Benchmark: the list readers, rows per second, on the bench's generated firms file.

The same rows (bench.gen_firms) are written as CSV, XLSX (openpyxl), XLS (xlwt; at most
65,535 rows fit a sheet) and ODS (odfpy); each file is read by ``read_rows`` and, for XLSX,
also by the openpyxl reader calamine replaced. Fewer rows go into a Word table, a PDF
(fpdf2) and the same PDF scanned (pages rendered to images, read by OCR): documents that
size are what officials publish. Run from the repository root:

    .venv/bin/python -m bench.readers [--firms 100000] [--ods-firms 20000]
        [--paged-firms 2000] [--scanned-firms 90] [--json out.json]
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


def _paged(rows: list[list[str]], scanned_rows: int) -> tuple[bytes, bytes, bytes]:
    """The rows as a .docx table, a text-layer PDF, and the first ``scanned_rows`` as a scan."""
    from tests.list_fixtures import Layout, to_docx, to_pdf, to_scanned_pdf

    def lay(body: list[list[str]]) -> Layout:
        out = Layout()
        out.row(["名单"] + [""] * (len(rows[0]) - 1))
        out.row(list(rows[0]))
        out.row(list(rows[0]))  # to_docx takes two header rows; shaping drops the repeat
        for r in body:
            out.row(list(r))
        out.row(["注：完"] + [""] * (len(rows[0]) - 1))
        out.split = len(out.grid) // 2
        return out

    widths = (14, 70, 52, 40, 26, 75)
    docx = to_docx(lay(rows[1:]))
    pdf = to_pdf(lay(rows[1:]), widths=widths, heading_rows=1)
    scan = to_scanned_pdf(to_pdf(lay(rows[1 : scanned_rows + 1]), widths=widths, heading_rows=1))
    return docx, pdf, scan


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
    parser.add_argument("--paged-firms", type=int, default=1_000)
    parser.add_argument("--scanned-firms", type=int, default=90)
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
    paged = rows[: args.paged_firms + 1]
    docx, pdf, scan = _paged(paged, args.scanned_firms)
    result = {
        "csv": _rate(lambda: read_rows(data, "firms.csv"), n),
        "xlsx_calamine": _rate(lambda: read_rows(xlsx, "firms.xlsx"), n),
        "xlsx_openpyxl": _rate(lambda: list(read_xlsx_openpyxl(xlsx, "firms.xlsx")), n),
        "xls_calamine": _rate(lambda: read_rows(xls, "firms.xls"), len(xls_rows) - 1),
        "ods_calamine": _rate(lambda: read_rows(ods, "firms.ods"), len(ods_rows) - 1),
        "docx": _rate(lambda: read_rows(docx, "firms.docx"), len(paged) - 1),
        "pdf": _rate(lambda: read_rows(pdf, "firms.pdf"), len(paged) - 1),
        "pdf_scanned_ocr": _rate(lambda: read_rows(scan, "scan.pdf"), args.scanned_firms),
    }
    emit(result, args.json)


if __name__ == "__main__":
    main()
