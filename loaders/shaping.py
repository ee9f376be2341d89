"""Table shaping: the grid a reader saw to numbered rows of ``{header: cell text}``.

Every reader (CSV, spreadsheets, HTML, Word, PDF, OCR) hands over its grid as
:class:`TableLine` s with merged cells already filled (a region cell spanning three rows
holds its text in each of them, a heading spanning the width in every column). This step
then deals with what published lists really look like:

* title and note rows around the table (``附件1：……名单`` above, ``注：……`` below) are not
  data: the header is the first line with two or more *different* texts, and a line whose
  cells all hold one text (a merged title or note) or that starts with 注/备注/说明 is
  dropped;
* a two-row header (``认定情况`` over ``类别 | 年度 | 批次``) is joined as ``认定情况/类别``;
  column recognition reads the last part when the whole is not a known header;
* a section heading such as ``一、西安市`` (a line with one text, numbered in Chinese)
  sets :data:`SECTION` on the rows below it, a default region when the table has no
  region column (the serial-number column that restarts per section is left as it is);
* a header repeated where a table continues on the next page is dropped;
* full-width digits and Latin letters become half-width, and cells are stripped
  (trailing spaces, ideographic spaces).

Rows from paged documents carry their page in :data:`PAGE` (a string, as every cell is).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from loaders.errors import ParseError

__all__ = [
    "EXTRA",
    "HEADER_JOIN",
    "PAGE",
    "SECTION",
    "TableLine",
    "clean_cell",
    "lines_of",
    "shape_table",
]

EXTRA = "__extra__"  # cells beyond the header, joined
PAGE = "__page__"  # the page a row was printed on (PDF), as text
SECTION = "__section__"  # the text of the section heading above the row
HEADER_JOIN = "/"

_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULL_WIDTH |= {c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)}  # Ａ-Ｚ
_FULL_WIDTH |= {c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)}  # ａ-ｚ
_FULL_WIDTH |= {0x3000: 0x20, 0xA0: 0x20}  # ideographic and no-break spaces
_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\xa0]")
_SECTION = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）])\s*(.+)$"
)
_NOTE = re.compile(r"^\s*(?:注|备注|说明|附注|note)\s*\d*\s*[:：.、]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TableLine:
    """One line of a table as printed: its row number (on its page, if paged) and cells."""

    row: int
    cells: Sequence[str]
    page: int | None = None


def clean_cell(text: str) -> str:
    """Full-width digits and letters to half-width, stripped (line breaks inside are kept:
    a cell may list several units one per line)."""
    if text.isascii() or not _WIDE.search(text):
        return text.strip()
    return text.translate(_FULL_WIDTH).strip()


def lines_of(matrix: Iterable[Sequence[str]], first_row: int = 1) -> list[TableLine]:
    """A plain grid (one page) as lines numbered from ``first_row``."""
    return [TableLine(i, cells) for i, cells in enumerate(matrix, first_row)]


def _texts(cells: Sequence[str]) -> list[str]:
    """The distinct filled texts of a line, in order."""
    return list(dict.fromkeys(c for c in cells if c))


def _is_subheader(top: Sequence[str], below: Sequence[str]) -> bool:
    """``below`` is the second row of a two-row header under ``top``: it repeats ``top``
    where a header cell spans both rows, and names the columns under a header cell that
    spans several columns; it holds no serial number."""
    if len(_texts(below)) < 2 or any(c.isdigit() for c in below):
        return False
    grouped = False
    for j, cell in enumerate(below):
        over = top[j] if j < len(top) else ""
        if cell == over:
            continue
        spans = top.count(over) > 1 and over != ""
        if not spans or not cell:
            return False
        grouped = True
    return grouped


def _header(top: Sequence[str], below: Sequence[str] | None) -> list[str]:
    if below is None:
        return list(top)
    out = []
    for j, over in enumerate(top):
        cell = below[j] if j < len(below) else ""
        out.append(over if cell in ("", over) else f"{over}{HEADER_JOIN}{cell}")
    return out


def _find_header(lines: Sequence[TableLine], name: str) -> int:
    for i, line in enumerate(lines):
        cells = _clean_line(line.cells)
        if len(_texts(cells)) >= 2 and not _NOTE.match(cells[0] if cells else ""):
            return i
    raise ParseError(name, "no header row (a row with two or more different cells) found")


def _one_text(cells: Sequence[str]) -> str | None:
    """The text of a line whose filled cells all hold one text (a merged title, heading or
    note, or a lone first cell), else None."""
    one = ""
    for c in cells:
        if c:
            if one and c != one:
                return None
            one = c
    return one or None


def _clean_line(cells: Sequence[str]) -> list[str]:
    """:func:`clean_cell` of every cell, with one search for wide characters per line."""
    if _WIDE.search("\x00".join(cells)):
        return [clean_cell(c) for c in cells]
    return [c.strip() for c in cells]


def shape_table(lines: Sequence[TableLine], name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows ``(row number, {header: text})`` of one table (see the module's docstring)."""
    at = _find_header(lines, name)
    top = _clean_line(lines[at].cells)
    below = _clean_line(lines[at + 1].cells) if at + 1 < len(lines) else None
    two_rows = below is not None and _is_subheader(top, below)
    header = _header(top, below if two_rows else None)
    repeats = [top, below] if two_rows else [top]
    section = ""
    for i in range(at + (2 if two_rows else 1), len(lines)):
        line = lines[i]
        cells = _clean_line(line.cells)
        one = _one_text(cells)
        if one is not None:
            merged = cells.count(one) > 1
            if merged or not any(cells[1:]):
                heading = _SECTION.match(one)
                if heading:
                    section = heading.group(1).strip()
                    continue
                if merged or _NOTE.match(one):
                    continue  # a merged title or note line, or a note in the first cell
        elif not any(cells) or cells in repeats:
            continue  # blank, or the header again where the table goes on over a page
        yield line.row, _row(header, cells, line.page, section)


def _row(
    header: Sequence[str], cells: Sequence[str], page: int | None, section: str
) -> dict[str, str]:
    if len(cells) == len(header):
        row = dict(zip(header, cells, strict=True))
        row.pop("", None)
    else:
        padded = list(cells) + [""] * (len(header) - len(cells))
        row = {h: padded[j] for j, h in enumerate(header) if h}
        extra = [c for c in padded[len(header) :] if c]
        if extra:
            row[EXTRA] = " | ".join(extra)
    if section:
        row[SECTION] = section
    if page is not None:
        row[PAGE] = str(page)
    return row
