"""Scanned PDFs: tables read by OCR (Debian's tesseract-ocr with tesseract-ocr-chi-sim)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from loaders.errors import ParseError
from loaders.shaping import TableLine

if TYPE_CHECKING:
    from pdfplumber.pdf import PDF

__all__ = ["ocr_table_lines"]


def ocr_table_lines(pdf: PDF, name: str) -> list[TableLine]:
    """The ruled table of each scanned page, read by OCR."""
    raise ParseError(
        name,
        f"PDF: a scanned document ({len(pdf.pages)} page(s) of images, no text layer); OCR is not set up",
    )
