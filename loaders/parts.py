"""A list too long for one file, published as numbered parts (名单-1.xlsx, 名单-2.xlsx, ...),
as publishers split a list an XLSX sheet cannot hold (1,048,576 rows).

:func:`part_path` names the parts, :func:`existing_parts` finds them (the source list
loads each as its own source, so every fact keeps its file and row), and
:class:`PartedXlsx` writes them, streaming (rows straight into the sheet's XML, the rest
of the workbook by openpyxl) and reproducibly (fixed document and ZIP timestamps: the same
rows give the same bytes).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.writer.excel import ExcelWriter

__all__ = [
    "XLSX_MAX_ROWS",
    "PartedXlsx",
    "existing_parts",
    "part_path",
    "stale_parts",
]

XLSX_MAX_ROWS = 1_048_576  # rows of one worksheet (Excel's limit, kept by every reader)
_STAMP = datetime(2026, 1, 1)  # the documents' created/modified date: not the clock's


def part_path(path: Path, k: int) -> Path:
    """Part ``k`` (from 1) of the list ``path``: ``name-k.ext``."""
    return path.with_name(f"{path.stem}-{k}{path.suffix}")


def stale_parts(path: Path) -> list[Path]:
    """``path`` and every file named as one of its parts, in part order."""
    pattern = re.compile(re.escape(path.stem) + r"-([0-9]+)" + re.escape(path.suffix) + "$")
    found = [
        (int(m.group(1)), p)
        for p in path.parent.glob(f"{path.stem}-*{path.suffix}")
        if (m := pattern.match(p.name))
    ]
    return ([path] if path.exists() else []) + [p for _, p in sorted(found)]


def existing_parts(path: Path) -> list[Path]:
    """The parts ``path-1``, ``path-2``, ... that exist, in order, up to the first gap."""
    parts: list[Path] = []
    while (p := part_path(path, len(parts) + 1)).exists():
        parts.append(p)
    return parts


class _SheetRows:
    """A worksheet's ``<row>`` elements, streamed to a temporary file as openpyxl's
    write-only mode writes them (inline strings, numbers, dates as serials in style 1),
    at a twentieth of its cost; the rest of the workbook is openpyxl's own."""

    def __init__(self) -> None:
        # closed by _save, or by PartedXlsx.__exit__ on an error
        self.file = tempfile.TemporaryFile()  # noqa: SIM115
        self.rows = 0
        self.has_dates = False
        self._buffer: list[str] = []
        self._letters = [get_column_letter(i) for i in range(1, 27)]

    def append(self, values: Sequence[object]) -> None:
        self.rows += 1
        r = self.rows
        cells = [f'<row r="{r}">']
        for col, v in enumerate(values):
            ref = f"{self._letters[col]}{r}"
            cells.append(self._cell(ref, v))
        cells.append("</row>")
        self._buffer.append("".join(cells))
        if len(self._buffer) >= 2000:
            self.flush()

    def _cell(self, ref: str, v: object) -> str:
        if v is None:
            return f'<c r="{ref}" t="n" />'
        if isinstance(v, str):
            if not v:
                return f'<c r="{ref}" t="inlineStr" />'
            space = ' xml:space="preserve"' if v.strip() and v.strip() != v else ""
            return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(v)}</t></is></c>'
        if isinstance(v, int) and not isinstance(v, bool):
            return f'<c r="{ref}" t="n"><v>{v}</v></c>'
        if isinstance(v, date) and not isinstance(v, datetime):
            self.has_dates = True
            return f'<c r="{ref}" s="1" t="n"><v>{safe_string(to_excel(v))}</v></c>'
        raise TypeError(f"cell {ref}: {type(v).__name__} values are not written (str, int, date)")

    def flush(self) -> None:
        self.file.write("".join(self._buffer).encode("utf-8"))
        self._buffer.clear()

    def size(self) -> int:
        self.flush()
        return self.file.tell()


class _ReproducibleZip(ZipFile):
    """A ZIP whose entries carry a fixed date and mode instead of the clock's and the
    temporary file's, so the same content is the same bytes; the worksheet's rows are
    ``rows``'s, between openpyxl's own head and tail of the sheet."""

    def __init__(self, path: Path, rows: _SheetRows) -> None:
        # level 1: a third of the time of the default 6 on a million rows, 1.3x the bytes
        super().__init__(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1)
        self.sheet_rows = rows

    def _info(self, name: str) -> ZipInfo:
        info = ZipInfo(name, date_time=_STAMP.timetuple()[:6])
        info.compress_type = ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | ZipInfo, data: bytes | str, *args: Any, **kwargs: Any
    ) -> None:
        name = zinfo_or_arcname if isinstance(zinfo_or_arcname, str) else zinfo_or_arcname.filename
        super().writestr(self._info(name), data)

    def write(  # type: ignore[override]
        self, filename: str, arcname: str | None = None, *args: Any, **kwargs: Any
    ) -> None:
        info = self._info(arcname or Path(filename).name)
        sheet = Path(filename).read_bytes()  # openpyxl's sheet: one placeholder row
        start = sheet.index(b"<sheetData>") + len(b"<sheetData>")
        end = sheet.index(b"</sheetData>")
        head, tail = sheet[:start], sheet[end:]
        rows = self.sheet_rows
        info.file_size = len(head) + rows.size() + len(tail)  # ZIP64 when it needs it
        rows.file.seek(0)
        with self.open(info, "w") as dst:
            dst.write(head)
            shutil.copyfileobj(rows.file, dst, 1 << 20)
            dst.write(tail)


def _save(sheet: str, rows: _SheetRows, path: Path) -> None:
    """The workbook of one sheet holding ``rows``, with fixed timestamps."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append([date(2000, 1, 1) if rows.has_dates else "x"])  # registers the date style
    wb.properties.created = wb.properties.modified = _STAMP
    with _ReproducibleZip(path, rows) as archive:
        ExcelWriter(wb, archive).write_data()
    rows.file.close()


class PartedXlsx:
    """One list written as XLSX at ``path``; when its rows pass ``max_rows`` per sheet
    (headers included), as parts ``path-1``, ``path-2``, ... each with the same headers.
    Cells hold str, int or date. ``parts`` lists the files written, once closed
    (``[path]`` when one file held it all).
    """

    def __init__(
        self,
        path: Path,
        sheet: str,
        headers: Sequence[Sequence[object]],
        max_rows: int = XLSX_MAX_ROWS,
    ) -> None:
        if max_rows <= len(headers):
            raise ValueError(f"max_rows {max_rows} leaves no room below {len(headers)} headers")
        self.path = path
        self.sheet = sheet
        self.headers = [list(h) for h in headers]
        self.max_rows = max_rows
        self.parts: list[Path] = []
        self._sheet: _SheetRows | None = None

    def _open(self) -> _SheetRows:
        self._sheet = _SheetRows()
        for h in self.headers:
            self._sheet.append(h)
        return self._sheet

    def _close_part(self) -> None:
        if self._sheet is None:
            return
        k = len(self.parts) + 1
        target = self.path if k == 1 else part_path(self.path, k)
        _save(self.sheet, self._sheet, target)
        if k == 2:  # the list did not fit: the first file becomes part 1
            self.parts[0] = self.parts[0].replace(part_path(self.path, 1))
        self.parts.append(target)
        self._sheet = None

    def append(self, row: Sequence[object]) -> None:
        sheet = self._sheet
        if sheet is None:
            sheet = self._open()
        elif sheet.rows >= self.max_rows:
            self._close_part()
            sheet = self._open()
        sheet.append(row)

    def close(self) -> list[Path]:
        if self._sheet is None and not self.parts:
            self._open()  # an empty list is still a file with its headers
        self._close_part()
        return self.parts

    def __enter__(self) -> PartedXlsx:
        for stale in stale_parts(self.path):
            stale.unlink()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        elif self._sheet is not None:
            self._sheet.file.close()
