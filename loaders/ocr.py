"""Scanned PDFs: the ruled table of each page read by OCR.

Each page is rendered at 300 dpi (pypdfium2, through pdfplumber). The table's rules are
found in the pixels (numpy): a horizontal rule is a pixel row with a long dark run, a
vertical rule a pixel column with a dark run taller than a table row; a rule missing
between two cells means the cells are merged. The rules are painted out and each cell
is read by Debian's ``tesseract`` (``chi_sim+eng``, TSV output: each word with its box) at
three text sizes, keeping the surest read (:data:`LINE_HEIGHTS`); one run per size and page,
called as a program (stdin to stdout) rather than through a wrapper library, which would
only do the same with temporary files. Each word goes to the cell its box's centre lies
in. Rows are then validated as any list's rows are: a misread USCC fails its check
character and goes to the rejects with its page and row. One glyph is set from the pixels:
chi_sim reads the 号 closing a document number as a digit, and a document number (GB/T
9704: ``机关代字〔年份〕序号`` and 号) ends in a full-width glyph where a digit is half as wide
(:func:`close_doc_number`).

A page with no ruled table, a read whose words are mostly unsure, or a machine without
tesseract: refused with a message saying it is a scanned document and what was tried.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from loaders.errors import ParseError
from loaders.shaping import TableLine

if TYPE_CHECKING:
    from pdfplumber.pdf import PDF

__all__ = [
    "DPI",
    "LANGS",
    "LINE_HEIGHTS",
    "MIN_CONFIDENCE",
    "Grid",
    "close_doc_number",
    "find_grid",
    "ocr_table_lines",
]

DPI = 300
LANGS = "chi_sim+eng"
MIN_CONFIDENCE = 60.0  # mean word confidence (0-100) under which a read is refused
_DARK = 128
# Each cell is read with its text scaled to these line heights (pixels), around the size
# tesseract's models read best, and the read with the higher mean word confidence is kept:
# a glyph misread at one size is mostly read right at another. Names read exactly from the
# tests' list scanned at 200 / 300 / 400 dpi: 19 / 17 / 17 of 22 at the page's own size,
# 21 / 22 / 21 of 22 this way (two sizes: 20-21 at 300 dpi).
LINE_HEIGHTS = (26, 30, 34)
_TRIED = f"OCR with tesseract ({LANGS}) at {DPI} dpi"


@dataclass(frozen=True, slots=True)
class Grid:
    """A ruled table in a page image: rule positions (pixels) and merged regions."""

    ys: list[int]  # horizontal rules, top to bottom
    xs: list[int]  # vertical rules, left to right
    region: list[list[int]]  # [row][col] -> region id (cells merged share one)

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        r = next((i for i in range(len(self.ys) - 1) if self.ys[i] <= y < self.ys[i + 1]), None)
        c = next((j for j in range(len(self.xs) - 1) if self.xs[j] <= x < self.xs[j + 1]), None)
        return None if r is None or c is None else (r, c)


def _longest_runs(dark: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """For each row of ``dark``, the length of its longest run of True."""
    out = np.zeros(dark.shape[0], dtype=int)
    for i, row in enumerate(dark):
        padded = np.concatenate(([0], row.view(np.int8), [0]))
        edges = np.flatnonzero(np.diff(padded))
        if edges.size:
            out[i] = int((edges[1::2] - edges[::2]).max())
    return out


def _centres(mask: np.ndarray[Any, Any]) -> list[int]:
    """The middle of each run of consecutive True positions (a rule a few pixels thick)."""
    idx = np.flatnonzero(mask)
    if not idx.size:
        return []
    groups = np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)
    return [int(g.mean()) for g in groups]


def _present(band: np.ndarray[Any, Any], across: bool) -> bool:
    """A rule is drawn through the band: one straight line of pixels (a row of the band
    when ``across``, else a column) is nearly all ink. Text crossing the band where a
    merged cell has no rule fills no line that far."""
    if not band.size:
        return False
    filled = band.mean(axis=1) if across else band.mean(axis=0)
    return float(filled.max()) > 0.85


def find_grid(dark: np.ndarray[Any, Any]) -> Grid | None:
    """The ruled table of a page (``dark``: True where a pixel is ink), or None."""
    h_runs = _longest_runs(dark)
    if not h_runs.size or h_runs.max() < dark.shape[1] * 0.3:
        return None
    ys = _centres(h_runs >= h_runs.max() * 0.1)
    if len(ys) < 3:
        return None
    row_height = min(b - a for a, b in pairwise(ys))
    top, bottom = ys[0], ys[-1]
    v_runs = _longest_runs(dark[top : bottom + 1].T)
    xs = _centres(v_runs >= row_height * 0.9)
    if len(xs) < 3:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    m = 4  # pixels either side of a rule's centre, and kept clear of the crossings
    for r in range(rows):
        for c in range(cols):
            x0, x1, y0, y1 = xs[c] + m, xs[c + 1] - m, ys[r] + m, ys[r + 1] - m
            if r + 1 < rows and not _present(dark[ys[r + 1] - m : ys[r + 1] + m, x0:x1], True):
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
            if c + 1 < cols and not _present(dark[y0:y1, xs[c + 1] - m : xs[c + 1] + m], False):
                parent[find(r * cols + c + 1)] = find(r * cols + c)
    region = [[find(r * cols + c) for c in range(cols)] for r in range(rows)]
    return Grid(ys, xs, region)


def _erase_runs(image: np.ndarray[Any, Any], dark: np.ndarray[Any, Any], length: int) -> None:
    """Paint white every horizontal run of ink at least ``length`` pixels long."""
    for y, row in enumerate(dark):
        padded = np.concatenate(([0], row.view(np.int8), [0]))
        edges = np.flatnonzero(np.diff(padded))
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            if end - start >= length:
                image[y, start:end] = 255


def _without_rules(
    grey: np.ndarray[Any, Any], dark: np.ndarray[Any, Any], row_height: int
) -> np.ndarray[Any, Any]:
    """The page with its rules painted out (runs of ink longer than a character, across
    or down), and the text, even where it crosses a missing rule, left as it is."""
    clean = grey.copy()
    length = max(20, int(row_height * 0.8))
    _erase_runs(clean, dark, length)
    clean_t = clean.T.copy()
    _erase_runs(clean_t, dark.T, length)
    return np.ascontiguousarray(clean_t.T)


def _join(words: list[str]) -> str:
    """Words of one cell: no space next to a Chinese character or between digits (OCR
    splits 2011 as 201 1), one between Latin words."""
    out = ""
    for w in words:
        a, b = (out[-1], w[0]) if out else ("", "")
        latin = a.isascii() and a.isalnum() and b.isascii() and (b.isalnum() or b == "(")
        if latin and not (a.isdigit() and b.isdigit()):
            out += " "
        out += w
    return out


_JUNK = "”“\"'|;:,.、_~-=—`' "


_CODE_LIKE = re.compile(r"^[0-9A-Z]{18}$")
_NOT_IN_CODES = str.maketrans("OISZ", "0152")  # GB 32100 leaves these letters out


def _tidy(text: str) -> str:
    """Without the punctuation a rule's leftover pixels are read as, at either end; in
    what reads as a USCC (18 capitals and digits), the letters the code's alphabet leaves
    out because they look like digits (O, I, S, Z) read as those digits. The check
    character still decides whether the code is taken."""
    text = text.strip(_JUNK)
    return text.translate(_NOT_IN_CODES) if _CODE_LIKE.match(text) else text


def _crop(
    clean: np.ndarray[Any, Any], box: tuple[int, int, int, int]
) -> np.ndarray[Any, Any] | None:
    """A cell's ink with a white margin, or None for an empty cell."""
    x0, x1, y0, y1 = box
    cell = clean[y0 + 4 : y1 - 3, x0 + 4 : x1 - 3]
    ink = cell < _DARK
    if ink.sum() < 12:  # a speck the rules left, not a character
        return None
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    cell = cell[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    return np.pad(cell, 16, constant_values=255)


def _text_lines(crop: np.ndarray[Any, Any]) -> int:
    """How many printed lines a cell holds (bands of ink rows with white between)."""
    inked = (crop < _DARK).any(axis=1).astype(np.int8)
    return int(np.count_nonzero(np.diff(inked) == 1))


def _line_height(crop: np.ndarray[Any, Any]) -> int | None:
    """The median height of the printed lines in a cell (None when no band is closed)."""
    inked = (crop < _DARK).any(axis=1).astype(np.int8)
    starts, ends = np.flatnonzero(np.diff(inked) == 1), np.flatnonzero(np.diff(inked) == -1)
    if not len(starts) or len(starts) != len(ends):
        return None
    return int(np.median(ends - starts))


def _at_height(crop: np.ndarray[Any, Any], px: int) -> np.ndarray[Any, Any]:
    """The cell scaled so that its lines are ``px`` high."""
    from PIL import Image

    height = _line_height(crop)
    if not height:
        return crop
    f = px / height
    size = (max(1, round(crop.shape[1] * f)), max(1, round(crop.shape[0] * f)))
    return np.asarray(Image.fromarray(crop).resize(size, Image.Resampling.LANCZOS))


def _regions(grid: Grid) -> dict[int, tuple[int, int, int, int]]:
    """Each merged region's box (x0, x1, y0, y1) in pixels."""
    boxes: dict[int, tuple[int, int, int, int]] = {}
    for r, row in enumerate(grid.region):
        for c, k in enumerate(row):
            box = (grid.xs[c], grid.xs[c + 1], grid.ys[r], grid.ys[r + 1])
            b = boxes.get(k, box)
            boxes[k] = (min(box[0], b[0]), max(box[1], b[1]), min(box[2], b[2]), max(box[3], b[3]))
    return boxes


def _run_tesseract(listing: str, psm: str, name: str, page: int) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core: the machine is shared
    try:
        done = subprocess.run(
            ["tesseract", listing, "stdout", "-l", LANGS, "--psm", psm, "tsv"],
            capture_output=True,
            timeout=600,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired as e:
        raise ParseError(name, f"PDF: a scanned document; {_TRIED} timed out on page {page}") from e
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise ParseError(name, f"PDF: a scanned document; {_TRIED} failed on page {page}: {err[0]}")
    return done.stdout.decode("utf-8", "replace")


def _tesseract(
    crops: dict[int, np.ndarray[Any, Any]], psm: str, name: str, page: int
) -> dict[int, tuple[str, list[float]]]:
    """Each crop's text and word confidences: one tesseract run over the list of images
    (the model is loaded once for the page)."""
    if not crops:
        return {}
    from PIL import Image

    keys = list(crops)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, k in enumerate(keys):
            paths.append(f"{tmp}/{i}.png")
            Image.fromarray(crops[k]).save(paths[-1])
        listing = f"{tmp}/cells.txt"
        with open(listing, "w", encoding="utf-8") as f:
            f.write("\n".join(paths) + "\n")
        tsv = _run_tesseract(listing, psm, name, page)
    lines: dict[int, dict[tuple[int, int, int], list[str]]] = {}
    confidences: dict[int, list[float]] = {}
    for w in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (w.get("text") or "").strip()
        if w.get("level") != "5" or not text:
            continue
        key = keys[int(w["page_num"]) - 1]
        line = (int(w["block_num"]), int(w["par_num"]), int(w["line_num"]))
        lines.setdefault(key, {}).setdefault(line, []).append(text)
        confidences.setdefault(key, []).append(float(w["conf"]))
    return {
        k: (_tidy(_join([_join(v) for _, v in sorted(found.items())])), confidences[k])
        for k, found in lines.items()
    }


# A document number read with its 号 missing: a bracketed year, then only digits to the end.
_OPEN_DOC_NO = re.compile(r"[〔(（\[［]\d{4}[〕)）\]］]\d+$")
_WIDE = 0.8  # of the line height: a Chinese glyph is about square, a digit about half that


def _last_glyph_width(crop: np.ndarray[Any, Any]) -> float | None:
    """The width of the last glyph of a one-line cell, as a fraction of its line height
    (glyphs are the runs of inked pixel columns; None when there is no closed line)."""
    height = _line_height(crop)
    cols = np.concatenate(([0], (crop < _DARK).any(axis=0).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(cols))
    if not height or edges.size < 2:
        return None
    return float(edges[-1] - edges[-2]) / height


def close_doc_number(text: str, crop: np.ndarray[Any, Any]) -> str:
    """``text`` with the 号 of a document number put back where OCR read it as a digit:
    the text has a number's shape but no 号, and the cell's last glyph is full-width, which
    no digit is. Other text as it is."""
    if "号" in text or not _OPEN_DOC_NO.search(text) or _text_lines(crop) != 1:
        return text
    width = _last_glyph_width(crop)
    return text[:-1] + "号" if width is not None and width >= _WIDE else text


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _page_lines(image: Any, name: str, page: int) -> tuple[list[TableLine], list[float]]:
    """The table lines of one page image (none when the page holds no ruled table: a
    cover letter, the notes after the table) and the confidences of the words read."""
    grey = np.asarray(image.convert("L"))
    dark = grey < _DARK
    grid = find_grid(dark)
    if grid is None:
        return [], []
    row_height = min(b - a for a, b in pairwise(grid.ys))
    clean = _without_rules(grey, dark, row_height)
    crops = {k: c for k, box in _regions(grid).items() if (c := _crop(clean, box)) is not None}
    single = {k for k, c in crops.items() if _text_lines(c) <= 1}
    read: dict[int, tuple[str, list[float]]] = {}
    for px in LINE_HEIGHTS:
        scaled = {k: _at_height(c, px) for k, c in crops.items()}
        one = {k: c for k, c in scaled.items() if k in single}
        more = {k: c for k, c in scaled.items() if k not in single}
        for k, got in (
            _tesseract(one, "7", name, page) | _tesseract(more, "6", name, page)
        ).items():
            if k not in read or _mean(got[1]) > _mean(read[k][1]):
                read[k] = got
    text = {k: close_doc_number(got[0], crops[k]) for k, got in read.items()}
    lines = [
        TableLine(r + 1, [text.get(k, "") for k in row], page) for r, row in enumerate(grid.region)
    ]
    return lines, [c for _, confs in read.values() for c in confs]


def ocr_table_lines(pdf: PDF, name: str) -> list[TableLine]:
    """The ruled table of each scanned page, read by OCR (see the module's docstring)."""
    if shutil.which("tesseract") is None:
        raise ParseError(
            name,
            f"PDF: a scanned document ({len(pdf.pages)} page(s) of images, no text layer); "
            "reading it needs OCR: install tesseract-ocr and tesseract-ocr-chi-sim "
            "(scripts/setup does)",
        )
    lines: list[TableLine] = []
    confidences: list[float] = []
    for number, page in enumerate(pdf.pages, 1):
        image = page.to_image(resolution=DPI).original
        page_lines, page_conf = _page_lines(image, name, number)
        lines += page_lines
        confidences += page_conf
    if not lines:
        raise ParseError(
            name,
            f"PDF: a scanned document; {_TRIED}: no ruled table found on "
            f"{len(pdf.pages)} page(s); a list must be a table with cell borders",
        )
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    if mean < MIN_CONFIDENCE:
        raise ParseError(
            name,
            f"PDF: a scanned document too poor to read; {_TRIED} read {len(confidences)} "
            f"words in the table at a mean confidence of {mean:.0f} (under {MIN_CONFIDENCE:.0f}); "
            "ask for a better scan or the original file",
        )
    return lines
