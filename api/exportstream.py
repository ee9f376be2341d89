"""A query export's pages and the files they become, written as the pages arrive.

Memory stays that of one page (MAX_PAGE nodes) whatever the number of rows: CSV and JSON
Lines are sent page by page; XLSX is written by a child process in openpyxl's write-only
mode to a temporary file (api/exportjob.py), fed one page at a time. Every file carries
what it is (``Meta``): the title, the as-of date, the area, the other filters, the language,
the export time and the number of rows — a comment block at the top of a CSV, the first
line of a JSON Lines file, a header block above the table in XLSX.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from api.errors import ExportError
from api.exportquery import AFTER, FIRST, PAGE_KEY, TOTAL_KEY, Plan, row_of
from loaders.formulas import looks_like_formula, neutralised
from loaders.vocabulary import vocabulary

__all__ = [
    "MAX_ROWS",
    "META_LABELS",
    "Execute",
    "Meta",
    "Pages",
    "csv_head",
    "csv_rows",
    "disposition",
    "file_stem",
    "jsonl_head",
    "jsonl_rows",
    "labelled",
    "words",
    "xlsx_cells",
    "xlsx_head",
]

MAX_ROWS = 1_000_000  # an export of more rows is refused before it starts (XLSX holds 1,048,576)
PAGE = 100  # nodes a page asks for: the API's largest page (api/graphql/relay.py MAX_PAGE)

# The header block's labels, per language (CSV and JSON use the keys themselves).
META_LABELS = {
    "zh": {
        "title": "标题",
        "as_of": "截至日期",
        "area": "区域",
        "filters": "筛选条件",
        "language": "语言",
        "exported_at": "导出时间",
        "rows": "行数",
    },
    "en": {
        "title": "Title",
        "as_of": "As of",
        "area": "Area",
        "filters": "Filters",
        "language": "Language",
        "exported_at": "Exported at",
        "rows": "Rows",
    },
}

# An export result's page: (data, error messages).
Execute = Callable[[str, dict[str, Any]], Awaitable[tuple[dict[str, Any] | None, list[str]]]]


@dataclass
class Meta:
    """What an exported file is: stored inside it."""

    title: str
    language: str
    as_of: str
    area: str | None
    filters: dict[str, Any]
    exported_at: str = field(
        default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds")
    )
    rows: int | None = None

    @classmethod
    def of(cls, title: str, language: str, variables: dict[str, Any]) -> Meta:
        """The variables name the as-of date (default: today) and the area; the rest are
        the filters."""
        rest = {
            k: v
            for k, v in variables.items()
            if k not in ("asOf", "area") and v not in (None, "", [])
        }
        as_of = variables.get("asOf") or date.today().isoformat()
        return cls(title, language, str(as_of), variables.get("area") or None, rest)

    def pairs(self) -> list[tuple[str, str]]:
        d = asdict(self)
        d["filters"] = json.dumps(self.filters, ensure_ascii=False) if self.filters else ""
        return [(k, "" if v is None else str(v)) for k, v in d.items()]


def file_stem(title: str) -> str:
    """A file name from a title: CJK kept, what file systems or headers choke on dropped."""
    return re.sub(r"[^\w.-]+", "_", title).strip("_") or "export"


def disposition(title: str, fmt: str) -> str:
    """The Content-Disposition of a download named after ``title``."""
    name = f"{file_stem(title)}.{fmt}"
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def words(section: str, lang: str) -> dict[str, str]:
    """key -> label in ``lang`` of a vocabulary section (terms, indicators, coverage columns)."""
    vocab = vocabulary()
    terms: dict[str, Any] = {
        **vocab.terms,
        "indicators": vocab.indicators,
        "coverage_columns": vocab.coverage_columns,
    }
    if section not in terms:
        raise ExportError(
            f"labels: {section!r} is no vocabulary section; use one of {', '.join(sorted(terms))}"
        )
    return {t.key: (t.zh if lang == "zh" else t.en) for t in terms[section].values()}


def labelled(
    rows: list[list[Any]], columns: tuple[str, ...], maps: dict[str, dict[str, str]]
) -> list[list[Any]]:
    """``rows`` with the cells of each mapped column (path -> {key: words}) in words; a key
    the map lacks stays as it is (each item of a joined list on its own). Every cell is
    checked: a number that is not finite is refused (no sheet holds it)."""
    by_index = {i: maps[c] for i, c in enumerate(columns) if c in maps}
    for r, row in enumerate(rows):
        for j, value in enumerate(row):
            if isinstance(value, float) and not math.isfinite(value):
                raise ExportError(f"row {r + 1}, {columns[j]}: {value!r} is not a finite number")
            if j in by_index and isinstance(value, str):
                named = by_index[j]
                row[j] = "; ".join(named.get(v, v) for v in value.split("; "))
    return rows


class Pages:
    """The pages of one plan, asked one after the other through ``execute``. ``first()``
    runs the first page (a refusal there is the client's: nothing was sent yet)."""

    def __init__(self, plan: Plan, execute: Execute) -> None:
        self.plan, self.execute = plan, execute
        self.total: int | None = None
        self._first: list[dict[str, Any]] | None = None
        self._next: str | None = None
        self._more = False

    async def _page(self, after: str | None) -> list[dict[str, Any]]:
        variables = dict(self.plan.variables)
        if self.plan.connection:
            variables |= {FIRST: PAGE, AFTER: after}
        data, errors = await self.execute(self.plan.document_after(after), variables)
        if errors or data is None:
            raise ExportError("query: " + "; ".join(errors or ["no data"]))
        value = data[self.plan.key]
        if not self.plan.connection:
            self._more = False
            return list(value or [])
        info = value[PAGE_KEY]
        self._more, self._next = bool(info["hasNextPage"]), info["endCursor"]
        if after is None:  # counted on the first page only (later pages do not ask)
            self.total = int(value[TOTAL_KEY])
        return [e["node"] for e in value["edges"]]

    async def first(self) -> list[dict[str, Any]]:
        self._first = await self._page(None)
        if self.total is None:
            self.total = len(self._first)
        if self.total > MAX_ROWS:
            raise ExportError(f"the export has {self.total} rows, over {MAX_ROWS}; filter it first")
        return self._first

    async def __aiter__(self) -> AsyncIterator[list[dict[str, Any]]]:
        if self._first is None:
            await self.first()
        assert self._first is not None
        yield self._first
        sent = len(self._first)
        while self._more and sent < MAX_ROWS:
            page = await self._page(self._next)
            sent += len(page)
            yield page


def csv_head(meta: Meta, headings: list[str]) -> bytes:
    """The BOM (Excel reads the Chinese as UTF-8), ``# key: value`` lines, the headings."""
    lines = "".join(f"# {k}: {v}\r\n" for k, v in meta.pairs())
    return ("\ufeff" + lines + csv_rows([list(headings)]).decode("utf-8")).encode("utf-8")


def csv_rows(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # a cell beginning like a formula is written as text (a leading ')
    writer.writerows(
        ["" if c is None else neutralised(c) if isinstance(c, str) else c for c in row]
        for row in rows
    )
    return out.getvalue().encode("utf-8")


def jsonl_head(meta: Meta, columns: tuple[str, ...]) -> bytes:
    return (
        json.dumps({"export": asdict(meta), "columns": list(columns)}, ensure_ascii=False).encode()
        + b"\n"
    )


def jsonl_rows(nodes: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    """One line per node, nested as the API answered it (the cells are checked first)."""
    labelled([row_of(n, columns) for n in nodes], columns, {})
    return b"".join(json.dumps(n, ensure_ascii=False).encode() + b"\n" for n in nodes)


def xlsx_cells(ws: WriteOnlyWorksheet, row: list[Any]) -> list[Any]:
    """A row of write-only cells: text that looks like a formula stays text, characters XML
    cannot hold become a replacement mark."""
    cells = []
    for value in row:
        if isinstance(value, str):
            c = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
            if looks_like_formula(value):
                c.data_type = "s"
            cells.append(c)
        else:
            cells.append(value)
    return cells


def xlsx_head(ws: WriteOnlyWorksheet, meta: Meta, headings: list[str]) -> None:
    """The header block (label, value), a blank row, then the headings."""
    labels = META_LABELS.get(meta.language, META_LABELS["en"])
    for key, value in meta.pairs():
        ws.append(xlsx_cells(ws, [labels[key], value]))
    ws.append([])
    ws.append(xlsx_cells(ws, list(headings)))
