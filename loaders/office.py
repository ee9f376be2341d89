"""Office documents to table lines: workbooks (``.xls``, ``.xlsx``, ``.ods``) through
python-calamine, tables in Word ``.docx`` files through python-docx.

Merged cells are filled the way the eye reads them (a region cell spanning three rows
holds its text in each); :mod:`loaders.shaping` does the rest. A file that cannot be
read raises :class:`ParseError` naming the file and what was found.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any
from xml.etree import ElementTree

from loaders.errors import ParseError
from loaders.shaping import TableLine, lines_of

__all__ = ["cell_text", "docx_tables", "sheet_lines", "table_groups", "zip_kind"]

_ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text a person reads in the cell."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def zip_kind(data: bytes) -> str | None:
    """'xlsx', 'docx' or 'ods' for an Office Open XML / OpenDocument zip, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "mimetype" in names:
                mime = z.read("mimetype").decode("ascii", "replace")
                return "ods" if mime.endswith("spreadsheet") else None
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    return None


def _unreadable(data: bytes, name: str, what: str, e: Exception) -> ParseError:
    if data.startswith(_OLE2) and "EncryptedPackage".encode("utf-16-le") in data:
        return ParseError(
            name, "an encrypted (password-protected) workbook; save a copy without a password"
        )
    if data.startswith(_OLE2) and "WordDocument".encode("utf-16-le") in data:
        return ParseError(name, "a Word 97-2003 document (.doc), not a workbook; save it as .docx")
    return ParseError(name, f"{what}: {type(e).__name__}: {e}")


def sheet_lines(data: bytes, name: str, what: str) -> list[TableLine]:
    """The first sheet of a workbook, merged ranges filled, rows numbered as the sheet does."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges
    except (CalamineError, ValueError, OSError, IndexError) as e:
        raise _unreadable(data, name, what, e) from e
    except Exception as e:  # the Rust reader raises its own types for damaged files
        raise _unreadable(data, name, what, e) from e
    grid = [[cell_text(v) for v in row] for row in values]
    spans = merged if merged is not None else (_ods_spans(data) if what == "ODS" else [])
    _fill(grid, spans or [])
    return lines_of(grid)


def _fill(grid: list[list[str]], spans: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Every cell of a merged range takes the text of its top-left cell."""
    for (r0, c0), (r1, c1) in spans:
        if r0 >= len(grid):
            continue
        text = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = text


def _ods_spans(data: bytes) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged ranges of an ODS file's first table (calamine does not report them)."""
    t = f"{{{_ODF_TABLE}}}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = ElementTree.fromstring(z.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return []
    table = next(root.iter(f"{t}table"), None)
    if table is None:
        return []
    spans = []
    r = 0
    for row in table.iter(f"{t}table-row"):
        c = 0
        for cell in row:
            if cell.tag not in (f"{t}table-cell", f"{t}covered-table-cell"):
                continue
            cols = int(cell.get(f"{t}number-columns-spanned", "1"))
            rows = int(cell.get(f"{t}number-rows-spanned", "1"))
            if cols > 1 or rows > 1:
                spans.append(((r, c), (r + rows - 1, c + cols - 1)))
            c += int(cell.get(f"{t}number-columns-repeated", "1"))
        r += int(row.get(f"{t}number-rows-repeated", "1"))
    return spans


def _docx_text(text: str) -> str:
    """A Word cell's paragraphs; a line break between two Chinese characters is layout."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\n(?=[\u4e00-\u9fff])", "", text.strip())


def docx_tables(data: bytes, name: str) -> list[list[TableLine]]:
    """Each table of a ``.docx``, in document order, as lines numbered over the document's
    tables (the first table's first row is row 1); merged cells repeat their text."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ParseError(name, f"DOCX: {type(e).__name__}: {e}") from e
    tables: list[list[TableLine]] = []
    n = 0
    for table in document.tables:
        lines = []
        for row in table.rows:
            n += 1
            lines.append(TableLine(n, [_docx_text(c.text) for c in row.cells]))
        tables.append(lines)
    if not tables:
        paragraphs = sum(1 for p in document.paragraphs if p.text.strip())
        raise ParseError(
            name,
            f"DOCX: no table found ({paragraphs} paragraphs of text); a list must be a Word table",
        )
    return tables


def table_groups(tables: Sequence[list[TableLine]]) -> Iterator[list[TableLine]]:
    """Consecutive tables that are one table continued over pages (the next one starts
    with the same header, or with no header at all) as one list of lines."""
    group: list[TableLine] = []
    for lines in tables:
        if group and lines and not _starts_new(group, lines):
            group.extend(lines)
            continue
        if group:
            yield group
        group = list(lines)
    if group:
        yield group


def _starts_new(group: list[TableLine], lines: list[TableLine]) -> bool:
    head = next((ln for ln in group if len({c for c in ln.cells if c}) >= 2), None)
    first = next((ln for ln in lines if any(ln.cells)), None)
    if head is None or first is None:
        return True
    same_width = len(first.cells) == len(head.cells)
    looks_like_header = not any(c.strip().isdigit() for c in first.cells)
    return not same_width or (looks_like_header and list(first.cells) != list(head.cells))
