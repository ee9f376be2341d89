"""A posted table (``{"title", "columns", "rows"}``, the older form of ``POST /export``,
api/exports.py): its checks and its CSV and XLSX files. Formula-looking text is written as
text, non-finite numbers are refused, a table is at most ``MAX_CELLS`` cells.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from api.errors import ExportError
from api.exportstream import file_stem
from loaders.formulas import looks_like_formula, neutralised

__all__ = ["MAX_CELLS", "Cell", "Table", "build", "to_csv", "to_xlsx"]

MAX_CELLS = 200_000
Cell = str | int | float | None


class Table:
    """A validated table: a title, column headings and rows of plain cells."""

    def __init__(self, title: str, columns: list[str], rows: list[list[Cell]]) -> None:
        self.title, self.columns, self.rows = title, columns, rows

    @classmethod
    def parse(cls, body: Any) -> Table:
        if not isinstance(body, dict):
            raise ExportError("the body must be a JSON object with title, columns and rows")
        title, columns, rows = body.get("title"), body.get("columns"), body.get("rows")
        if not isinstance(title, str) or not title.strip():
            raise ExportError("title: a non-empty string is needed (it names the file)")
        if (
            not isinstance(columns, list)
            or not columns
            or not all(isinstance(c, str) for c in columns)
        ):
            raise ExportError("columns: a non-empty list of column headings (strings) is needed")
        if not isinstance(rows, list):
            raise ExportError("rows: a list of rows is needed")
        if len(rows) * len(columns) > MAX_CELLS:
            raise ExportError(f"the table has more than {MAX_CELLS} cells; filter it first")
        for i, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != len(columns):
                raise ExportError(f"rows[{i}]: a list of {len(columns)} cells is needed")
            for j, cell in enumerate(row):
                if cell is not None and not isinstance(cell, str | int | float):
                    raise ExportError(f"rows[{i}][{j}]: {cell!r} is not a string, a number or null")
                if isinstance(cell, float) and not math.isfinite(cell):
                    # JSON has no inf/NaN, but Python's json reads them; no sheet can hold them
                    raise ExportError(f"rows[{i}][{j}]: {cell!r} is not a finite number")
        return cls(title.strip(), columns, rows)

    @property
    def filename_stem(self) -> str:
        return file_stem(self.title)


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # a cell beginning like a formula is written as text (a leading ')
    writer.writerow([neutralised(c) for c in table.columns])
    writer.writerows(
        ["" if c is None else neutralised(c) if isinstance(c, str) else c for c in row]
        for row in table.rows
    )
    # The BOM makes Excel read the Chinese headings as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its sheet
    ws.title = "data"
    wb.properties.title = table.title
    rows: list[list[Cell]] = [list(table.columns), *table.rows]
    for r, row in enumerate(rows, start=1):
        # control characters XML cannot hold would make openpyxl refuse the whole file
        ws.append(
            [ILLEGAL_CHARACTERS_RE.sub("\ufffd", c) if isinstance(c, str) else c for c in row]
        )
        for c, value in enumerate(row, start=1):
            # openpyxl would store "=..." as a live formula: the cell is text, always
            if looks_like_formula(value):
                ws.cell(row=r, column=c).data_type = "s"
    for i, heading in enumerate(table.columns, start=1):
        width = max([len(str(heading))] + [len(str(r[i - 1] or "")) for r in table.rows[:200]])
        ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build(raw: bytes, fmt: str) -> tuple[Table, bytes]:
    """Parse, check and write one posted table (raises ValueError or ExportError)."""
    table = Table.parse(json.loads(raw))
    return table, to_csv(table) if fmt == "csv" else to_xlsx(table)
