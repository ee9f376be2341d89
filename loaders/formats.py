"""Readers: bytes of one file to numbered rows of ``{header: cell text}``.

Pure functions. Each reader turns its format into table lines (merged cells filled) and
:func:`loaders.shaping.shape_table` finds the header and drops title, note and repeated
header lines, the same for every format. The format is picked by the file's first bytes
where they tell (PDF, OLE2 workbook, the zip of an XLSX, DOCX or ODS), else by its suffix.
A file that cannot be read at all raises :class:`ParseError` naming the file; a row that
is merely bad is the kind parsers' business.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from loaders.columns import map_headers
from loaders.errors import ParseError
from loaders.office import cell_text, docx_tables, sheet_lines, table_groups, zip_kind
from loaders.pdf import pdf_table_lines
from loaders.shaping import lines_of, shape_table

__all__ = [
    "Format",
    "Row",
    "decode_text",
    "iter_rows",
    "read_csv",
    "read_docx",
    "read_flat",
    "read_html",
    "read_json",
    "read_ods",
    "read_pdf",
    "read_rows",
    "read_xls",
    "read_xlsx",
    "read_xlsx_openpyxl",
    "sniff_format",
]

Row = tuple[int, dict[str, str]]  # (row number as a person counts it in the file, cells)


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    XLS = "xls"  # Excel 97-2003 (OLE2)
    ODS = "ods"
    DOCX = "docx"  # the tables of a Word document
    PDF = "pdf"  # ruled tables of a text-layer PDF, or of a scan by OCR
    HTML = "html"
    FLAT = "flat"  # an HTML table flattened into lines, cells separated by '|' lines
    JSON = "json"


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK), then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise ParseError(name, "not text in UTF-8, GBK/GB18030 or any encoding detected")
    return str(best)


_BINARY = {"xlsx": Format.XLSX, "docx": Format.DOCX, "ods": Format.ODS}


def sniff_format(name: str, data: bytes) -> Format:
    """By the first bytes where they tell (an .xls renamed .xlsx is still read as XLS),
    else by the suffix, else by the look of the text."""
    if data.startswith(b"%PDF"):
        return Format.PDF
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return Format.XLS  # OLE2: an Excel 97-2003 workbook, or an encrypted XLSX
    if data.startswith(b"PK\x03\x04"):
        kind = zip_kind(data)
        if kind:
            return _BINARY[kind]
    lower = name.lower()
    for ext, fmt in (
        (".csv", Format.CSV),
        (".xlsx", Format.XLSX),
        (".xls", Format.XLS),
        (".ods", Format.ODS),
        (".docx", Format.DOCX),
        (".pdf", Format.PDF),
        (".json", Format.JSON),
        (".html", Format.HTML),
        (".htm", Format.HTML),
        (".txt", Format.FLAT),
    ):
        if lower.endswith(ext):
            return fmt
    head = data[:512].lstrip()
    if head.startswith(b"PK"):
        return Format.XLSX
    if head[:1] in (b"[", b"{"):
        return Format.JSON
    if head[:1] == b"<":
        return Format.HTML
    return Format.CSV


def _rows_from_matrix(matrix: list[list[str]], name: str) -> Iterator[Row]:
    yield from shape_table(lines_of(matrix), name)


def read_csv(data: bytes, name: str) -> Iterator[Row]:
    text = decode_text(data, name)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        matrix = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as e:
        raise ParseError(name, f"CSV: {e}") from e
    yield from _rows_from_matrix(matrix, name)


def read_xlsx_openpyxl(data: bytes, name: str) -> Iterator[Row]:
    """XLSX through openpyxl (read-only): the reader before calamine, kept for the bench."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a damaged file
        raise ParseError(name, f"XLSX: {type(e).__name__}: {e}") from e
    try:
        ws = wb.worksheets[0]
        matrix = [[cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    yield from _rows_from_matrix(matrix, name)


def read_xlsx(data: bytes, name: str) -> Iterator[Row]:
    """The first sheet of an XLSX workbook (python-calamine), merged ranges filled."""
    yield from shape_table(sheet_lines(data, name, "XLSX"), name)


def read_xls(data: bytes, name: str) -> Iterator[Row]:
    """The first sheet of an Excel 97-2003 workbook (python-calamine)."""
    yield from shape_table(sheet_lines(data, name, "XLS"), name)


def read_ods(data: bytes, name: str) -> Iterator[Row]:
    """The first sheet of an OpenDocument spreadsheet (python-calamine)."""
    yield from shape_table(sheet_lines(data, name, "ODS"), name)


def read_docx(data: bytes, name: str) -> Iterator[Row]:
    """Every table of a Word document. Consecutive tables with one header are one table
    continued; a table with another header is read too, its columns renamed to the first
    table's headers for the same fields so that one column map reads them all."""
    first: dict[str, str] | None = None  # field -> header of the first table
    for lines in table_groups(docx_tables(data, name)):
        rows = list(shape_table(lines, name))
        headers = list(dict.fromkeys(h for _, r in rows for h in r))
        fields = dict(map_headers(headers).fields)
        if first is None:
            first = fields
            yield from rows
            continue
        rename = {h: first.get(f, h) for f, h in fields.items()}
        for line, row in rows:
            yield line, {rename.get(h, h): v for h, v in row.items()}


def read_pdf(data: bytes, name: str) -> Iterator[Row]:
    """The ruled tables of a PDF, page after page; each row carries its page."""
    yield from shape_table(pdf_table_lines(data, name), name)


def read_html(data: bytes, name: str) -> Iterator[Row]:
    """The largest <table>; row and column spans are filled down/right like the eye reads them."""
    tree = HTMLParser(decode_text(data, name))
    tables = tree.css("table")
    if not tables:
        raise ParseError(name, "HTML: no <table> element")
    table = max(tables, key=lambda t: len(t.css("tr")))
    matrix: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still spanned)
    for tr in table.css("tr"):
        row: list[str] = []
        cells = iter(tr.css("th, td"))
        col = 0
        while True:
            if col in pending:
                text, left = pending[col]
                row.append(text)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (text, left - 1)
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = " ".join(cell.text(separator=" ").split())
            rowspan = int(cell.attributes.get("rowspan") or 1)
            colspan = int(cell.attributes.get("colspan") or 1)
            for _ in range(colspan):
                row.append(text)
                if rowspan > 1:
                    pending[col] = (text, rowspan - 1)
                col += 1
        matrix.append(row)
    yield from _rows_from_matrix(matrix, name)


def read_flat(data: bytes, name: str) -> Iterator[Row]:
    """A table copied out of a web page as one cell per line with ``|`` lines between cells.

    The header is the first run of cells before the first empty cell; a region cell that
    spanned several rows appears once, framed by empty cells, and is carried down. A row
    starts at each serial number (序号) cell.
    """
    text = decode_text(data, name)
    lines = text.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() in ("序号", "No.", "编号"))
    except StopIteration as e:
        raise ParseError(name, "flattened table: no 序号 / No. header cell") from e
    cells: list[tuple[int, str]] = []  # (line number, text) between '|' separators
    buf: list[tuple[int, str]] = []
    for i in range(start, len(lines)):
        ln = lines[i].strip()
        if ln == "|":
            cells.append((buf[0][0], " ".join(t for _, t in buf)) if buf else (i + 1, ""))
            buf = []
        elif ln:
            buf.append((i + 1, ln))
    if buf:
        cells.append((buf[0][0], " ".join(t for _, t in buf)))
    header: list[str] = []
    for _, t in cells:
        if not t:
            break
        header.append(t)
    if len(header) < 2:
        raise ParseError(name, "flattened table: header has fewer than two cells")
    body = cells[len(header) :]
    # Region cells sit alone between empty cells; serial numbers start rows.
    carried = ""
    row_line = 0
    values: list[str] = []

    def flush() -> Iterator[Row]:
        if row_line and values:
            out = {header[0]: values[0]}
            rest = values[1:]
            if len(header) == 3:
                out[header[1]] = carried
                out[header[2]] = rest[-1] if rest else ""
            else:
                for h, v in zip(header[1:], rest, strict=False):
                    out[h] = v
            yield row_line, out

    for line_no, t in body:
        if not t:
            continue
        clean = t.replace("[excerpt truncated here]", "").strip()
        if clean.isdigit():
            yield from flush()
            row_line, values = line_no, [clean]
        elif row_line and len(values) < len(header) - (1 if len(header) == 3 else 0):
            values.append(t)
        else:
            yield from flush()
            row_line, values = 0, []
            carried = clean
    yield from flush()


def read_json(data: bytes, name: str) -> Iterator[Row]:
    """A list of objects, or an object holding one under a key such as data/rows/records/list."""
    try:
        doc = json.loads(decode_text(data, name))
    except json.JSONDecodeError as e:
        raise ParseError(name, f"JSON: {e.msg} at line {e.lineno} column {e.colno}") from e
    items: Any = doc
    while isinstance(items, dict):
        inner = next(
            (
                items[k]
                for k in ("data", "rows", "records", "list", "items", "result")
                if k in items
            ),
            None,
        )
        if inner is None:
            raise ParseError(name, "JSON: no list of records (under data/rows/records/list)")
        items = inner
    if not isinstance(items, list):
        raise ParseError(name, "JSON: expected a list of records")
    for i, item in enumerate(items, 1):
        if isinstance(item, dict):
            yield i, {str(k): cell_text(v) for k, v in item.items()}
        else:
            yield i, {"__extra__": cell_text(item)}


_READERS = {
    Format.CSV: read_csv,
    Format.XLSX: read_xlsx,
    Format.XLS: read_xls,
    Format.ODS: read_ods,
    Format.DOCX: read_docx,
    Format.PDF: read_pdf,
    Format.HTML: read_html,
    Format.FLAT: read_flat,
    Format.JSON: read_json,
}


_TEXT = (Format.CSV, Format.HTML, Format.FLAT, Format.JSON)


def iter_rows(data: bytes, name: str, fmt: Format | None = None) -> Iterator[Row]:
    """The rows of a file, yielded one by one (the table itself is read whole: the shaping
    step looks ahead for headers and merged cells): an empty or binary file fails at once."""
    if not data.strip():
        raise ParseError(name, "the file is empty")
    fmt = fmt or sniff_format(name, data)
    if fmt in _TEXT and b"\x00" in data[:4096] and not data.startswith(b"\xff\xfe"):
        raise ParseError(name, f"binary content where {fmt} text was expected")
    return _READERS[fmt](data, name)


def read_rows(data: bytes, name: str, fmt: Format | None = None) -> list[Row]:
    """All rows of a file, read eagerly so that a file broken halfway fails before any write."""
    return list(iter_rows(data, name, fmt))
