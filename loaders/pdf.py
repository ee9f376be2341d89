"""PDF files through pdfplumber: ruled tables to table lines (page and row on each), and
the text of each page for extraction.

A table continued over pages is read page after page (the header the next page repeats is
dropped by :mod:`loaders.shaping`). A PDF with no text layer is a scan: its tables are read
by OCR (:mod:`loaders.ocr`). Encrypted, damaged and table-less files raise
:class:`ParseError` naming the file and what was found.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from loaders.errors import ParseError
from loaders.shaping import TableLine

if TYPE_CHECKING:
    from pdfplumber.pdf import PDF

__all__ = ["PdfPage", "join_wrapped", "pdf_pages", "pdf_table_lines"]

_CJK = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
_WRAP_CJK = re.compile(rf"(?<=[{_CJK}])\s*\n\s*|\s*\n\s*(?=[{_CJK}])")


def join_wrapped(text: str) -> str:
    """A cell's text with the line breaks its column width forced taken out: none next to a
    Chinese character, one space between Latin words."""
    return " ".join(_WRAP_CJK.sub("", text.strip()).split())


@dataclass(frozen=True, slots=True)
class PdfPage:
    number: int  # 1-based
    text: str
    chars: int  # characters in the page's text layer (0 for a scanned page)
    images: int
    # each printed line: (text, left edge, right edge) in points, top to bottom
    lines: tuple[tuple[str, float, float], ...] = ()


def _open(data: bytes, name: str) -> PDF:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # the page tree is read here: damage shows now, not halfway
    except Exception as e:  # pdfplumber wraps pdfminer's errors (of many types) in its own
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise ParseError(
                name, "PDF: encrypted (needs a password); save an unprotected copy"
            ) from e
        if isinstance(cause, PDFSyntaxError | PSException | ValueError | KeyError | TypeError):
            raise ParseError(name, f"PDF: damaged ({type(cause).__name__}: {cause})") from e
        raise ParseError(name, f"PDF: cannot be read ({type(cause).__name__}: {cause})") from e
    return pdf


def pdf_pages(data: bytes, name: str) -> list[PdfPage]:
    """The text of each page (layout order), with how much text layer and how many images."""
    pdf = _open(data, name)
    with pdf:
        return [
            PdfPage(
                i,
                page.extract_text() or "",
                len(page.chars),
                len(page.images),
                tuple((ln["text"], ln["x0"], ln["x1"]) for ln in page.extract_text_lines()),
            )
            for i, page in enumerate(pdf.pages, 1)
        ]


def _grid(table: Any) -> list[list[str]]:
    """A pdfplumber table as a full grid: a merged cell's text in every position it covers."""
    texts = table.extract()
    xs = sorted({c[0] for row in table.rows for c in row.cells if c is not None})
    tops = [row.bbox[1] for row in table.rows]
    grid = [["" for _ in xs] for _ in tops]
    for i, row in enumerate(table.rows):
        for j, box in enumerate(row.cells):
            if box is None:
                continue
            text = join_wrapped(texts[i][j] or "")
            x0, top, x1, bottom = box
            for r, y in enumerate(tops):
                if top - 0.5 <= y < bottom - 0.5:
                    for c, x in enumerate(xs):
                        if x0 - 0.5 <= x < x1 - 0.5:
                            grid[r][c] = text
    return grid


def _table_lines(pages: Sequence[Any]) -> Iterator[TableLine]:
    for number, page in enumerate(pages, 1):
        row = 0
        for table in page.find_tables():
            for cells in _grid(table):
                row += 1
                yield TableLine(row, cells, number)


def pdf_table_lines(data: bytes, name: str) -> list[TableLine]:
    """The ruled tables of every page, in order; a scanned PDF goes to OCR."""
    pdf = _open(data, name)
    with pdf:
        pages = pdf.pages
        if pages and not any(p.chars for p in pages) and any(p.images for p in pages):
            from loaders.ocr import ocr_table_lines

            return ocr_table_lines(pdf, name)
        lines = list(_table_lines(pages))
        if not lines:
            chars = sum(len(p.chars) for p in pages)
            raise ParseError(
                name,
                f"PDF: no table found on {len(pages)} page(s) ({chars} characters of text, "
                "no ruled table); a list must be a table with cell borders",
            )
        return lines
