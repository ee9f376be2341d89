"""Documents for extraction from where they live: web pages, PDFs and Word files to one text
with its title, publication date, page starts and headings.

* A web page's article is separated from navigation, ads and footers by trafilatura, which
  also reads the title and the publication date (htmldate: meta tags, then the text);
  :attr:`SourceText.kept` says how much of the page's visible text the article is.
* A PDF's text is read page by page (pdfplumber); :attr:`SourceText.pages` holds where
  each page starts in the text, so an offset tells its page.
* A Word file's paragraphs are read in order (python-docx), its headings noted.

The text is what offsets index: extraction runs over it and ``extract --write`` stores it
on the Document, so every span can be shown again. A file that yields no text raises
:class:`LoaderError` naming the file and what was found.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from loaders.dates import find_date
from loaders.errors import LoaderError, ParseError
from loaders.formats import decode_text
from loaders.office import zip_kind
from loaders.pdf import pdf_pages
from loaders.textfile import MAX_BLOCK, TextStream

__all__ = [
    "DOCUMENT_SUFFIXES",
    "SourceText",
    "TextInMemory",
    "document_kind",
    "docx_document",
    "html_document",
    "pdf_document",
    "read_document",
    "text_document",
]

DOCUMENT_SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}
PAGE_BREAK = "\n\n"  # between two pages' text, and between paragraphs
# An article has at least one sentence: 20 characters or more ending in a full stop (a
# breadcrumb or a list of links has none).
_PROSE = re.compile(r".{20,}[。！？；.!?]")


@dataclass(frozen=True, slots=True)
class SourceText:
    """The text of one document and what its file said about it."""

    name: str
    text: str
    kind: str  # html | pdf | docx | text
    title: str
    published: date | None = None
    pages: tuple[int, ...] = ()  # offset where each page starts (PDF); page 1 at pages[0]
    headings: tuple[tuple[int, str], ...] = ()  # (offset, heading text), Word and HTML
    kept: float | None = None  # share of a web page's visible text kept as its article
    uri: str | None = None

    def page_of(self, offset: int) -> int | None:
        """The page (1-based) the character at ``offset`` is printed on, if paged."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class TextInMemory(TextStream):
    """A document's text already in memory, read through the interface of
    :class:`~loaders.textfile.TextStream` (blocks cut at blank lines, the same digest)."""

    def __init__(self, source: SourceText) -> None:
        super().__init__(Path(source.name))
        self.text = source.text
        self.encoding = "utf-8"
        self.head = source.text[:2000]

    def blocks(self) -> Iterator[tuple[int, str]]:
        text, offset = self.text, 0
        while offset < len(text):
            end = min(len(text), offset + MAX_BLOCK)
            if end < len(text):
                cut = text.rfind("\n\n", offset, end)
                end = cut + 2 if cut > offset else end
            yield offset, text[offset:end]
            self.bytes_read += len(text[offset:end].encode("utf-8"))
            offset = end
        self.chars = len(text)
        self.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_kind(name: str, data: bytes) -> str | None:
    """html, pdf or docx by the first bytes, else by the suffix; None for plain text."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if zip_kind(data) == "docx" else None
    suffix = DOCUMENT_SUFFIXES.get(Path(name.split("?")[0]).suffix.lower())
    if suffix:
        return suffix
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return None


def _visible_text(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    body = tree.body
    return body.text(separator="\n") if body else ""


def _page_date(meta: dict[str, Any], visible: str, article: str) -> date | None:
    """The page's own date (its meta tags, as htmldate reads them), else the first date
    written in the page around the title (a 发布时间 line), else in the article."""
    found = _iso_date(str(meta.get("date") or ""))
    if found:
        return found
    at = visible.find(article[:20]) if article else -1
    return find_date(visible[: at if at > 0 else 2000]) or find_date(article[:2000])


def html_document(data: bytes, name: str, uri: str | None = None) -> SourceText:
    """The article of a web page, its title and publication date (trafilatura)."""
    import trafilatura

    html = decode_text(data, name)
    doc = trafilatura.bare_extraction(
        html,
        url=uri,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        # meta tags and structured data only: a guess from the text ("2024年第一批")
        # would pass for a date; the text's own datelines are read below
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    page_text = _visible_text(html)
    visible = len("".join(page_text.split()))
    meta: dict[str, Any] = {}
    if doc is not None:
        meta = doc if isinstance(doc, dict) else doc.as_dict()
    text = str(meta.get("text") or "").strip()
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if not any(_PROSE.search(p) for p in paragraphs):
        found = (
            f"only {len(text)} characters of it read as text: {text[:60]!r}"
            if text
            else "none of it read as text"
        )
        raise LoaderError(
            f"{name}: no article found in the page ({visible} characters of visible text, "
            f"navigation, links and boilerplate; {found}); give the article's own URL"
        )
    text = PAGE_BREAK.join(paragraphs)
    published = _page_date(meta, page_text, text)
    title = str(meta.get("title") or "").strip() or paragraphs[0][:200]
    kept = len("".join(text.split())) / visible if visible else None
    return SourceText(name, text, "html", title, published, kept=kept, uri=uri)


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


_SENTENCE_END = tuple("。！？：；!?:;")
_CJK_CHAR = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _unwrap(lines: Sequence[tuple[str, float, float]]) -> str:
    """A page's printed lines as paragraphs: a line that runs to the right margin and does
    not end a sentence was wrapped, and goes on in the next line (no space between Chinese
    characters); any other line ends its paragraph."""
    lines = [(t.strip(), x0, x1) for t, x0, x1 in lines if t.strip()]
    if not lines:
        return ""
    left, right = min(x0 for _, x0, _ in lines), max(x1 for *_, x1 in lines)
    margin = right - 0.04 * (right - left)
    paragraphs = [lines[0][0]]
    for (prev, _, prev_x1), (line, _, _) in pairwise(lines):
        if prev_x1 >= margin and not prev.endswith(_SENTENCE_END):
            cjk = _CJK_CHAR.match(prev[-1]) or _CJK_CHAR.match(line[0])
            paragraphs[-1] += ("" if cjk else " ") + line
        else:
            paragraphs.append(line)
    return PAGE_BREAK.join(paragraphs)


def pdf_document(data: bytes, name: str, uri: str | None = None) -> SourceText:
    """The text of every page of a PDF, pages one after another, where each starts kept."""
    try:
        pages = pdf_pages(data, name)
    except ParseError as e:
        raise LoaderError(str(e)) from e
    if not any(p.chars for p in pages):
        images = sum(p.images for p in pages)
        raise LoaderError(
            f"{name}: a scanned PDF: no text layer on its {len(pages)} page(s) ({images} "
            "images); extraction reads text, so ask for the text-layer PDF or the Word file"
        )
    starts, parts, offset = [], [], 0
    for page in pages:
        text = _unwrap(page.lines)
        starts.append(offset)
        parts.append(text)
        offset += len(text) + len(PAGE_BREAK)
    text = PAGE_BREAK.join(parts)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), name)
    return SourceText(
        name, text, "pdf", first[:200], find_date(text[:2000]), pages=tuple(starts), uri=uri
    )


def docx_document(data: bytes, name: str, uri: str | None = None) -> SourceText:
    """The paragraphs of a Word file in order; headings (Heading/标题 styles) noted."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise LoaderError(f"{name}: not a readable Word file ({type(e).__name__}: {e})") from e
    parts: list[str] = []
    headings: list[tuple[int, str]] = []
    offset = 0
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith(("Heading", "Title", "标题")):
            headings.append((offset, text))
        parts.append(text)
        offset += len(text) + len(PAGE_BREAK)
    if not parts:
        tables = len(document.tables)
        raise LoaderError(f"{name}: no text in the Word file (no paragraphs; {tables} tables)")
    text = PAGE_BREAK.join(parts)
    title = (document.core_properties.title or "").strip() or (
        headings[0][1] if headings else parts[0]
    )
    return SourceText(
        name, text, "docx", title[:200], find_date(text[:2000]), headings=tuple(headings), uri=uri
    )


def text_document(data: bytes, name: str, uri: str | None = None) -> SourceText:
    """A plain text served over HTTP (a file on disk is streamed instead)."""
    try:
        text = decode_text(data, name)
    except ParseError as e:
        raise LoaderError(str(e)) from e
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), name)
    return SourceText(name, text, "text", first[:200], find_date(text[:2000]), uri=uri)


_READERS = {
    "html": html_document,
    "pdf": pdf_document,
    "docx": docx_document,
    "text": text_document,
}


def read_document(data: bytes, name: str, kind: str, uri: str | None = None) -> SourceText:
    """``data`` as a document of ``kind`` (see :func:`document_kind`)."""
    if not data.strip():
        raise LoaderError(f"{name}: the file is empty")
    return _READERS[kind](data, name, uri)
