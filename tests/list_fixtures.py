"""Published lists written by the tests: the rows of an existing CSV fixture laid out the
way a bureau's attachment lays them out, then saved as .xls, .ods, .xlsx, .docx, a
text-layer PDF and a scanned PDF.

The layout (one grid with merged ranges, every writer renders the same one): a title row
(``附件1：…名单``), a two-row header (``认定情况`` over 类别 | 年度 | 批次), a section heading
per region (``一、北京市``) with the serial number restarting below it, the cells a section
shares merged over its rows, a note row (``注：…``) at the end, full-width digits and
brackets and trailing spaces in some cells. The Word and PDF versions run over two pages,
the header repeated on the second.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from loaders.sources import DEFAULT_SOURCES

CSV_FIXTURE = DEFAULT_SOURCES.parent / "data" / "real" / "enterprise_lists_transcribed.csv"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
TITLE = "附件1：国家技术创新示范企业等名单（转录）"
NOTE = "注：名单按地区排列，序号各地区分别编排。"
TOP = ["序号", "企业名称", "认定情况", "认定情况", "认定情况", "发证机关", "文号", "备注"]
SUB = ["序号", "企业名称", "类别", "年度", "批次", "发证机关", "文号", "备注"]
SHARED = (2, 3, 4, 5, 6)  # columns a section's rows share, merged over them
COLUMNS = {"备注": "complete"}  # the bureau names what its 备注 column holds
NUMERALS = "一二三四五六七八九十"
WIDE = str.maketrans("0123456789()", "０１２３４５６７８９（）")

Span = tuple[tuple[int, int], tuple[int, int]]  # (top row, left col), (bottom row, right col)


@dataclass
class Layout:
    grid: list[list[str]] = field(default_factory=list)
    merges: list[Span] = field(default_factory=list)
    split: int = 0  # the first grid row of the second page (a section heading)

    def row(self, cells: list[str]) -> int:
        self.grid.append(cells)
        return len(self.grid) - 1


def csv_rows() -> list[dict[str, str]]:
    with CSV_FIXTURE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _sections(rows: list[dict[str, str]]) -> list[tuple[str, list[dict[str, str]]]]:
    out: list[tuple[str, list[dict[str, str]]]] = []
    for r in rows:
        if not out or out[-1][0] != r["region"]:
            out.append((r["region"], []))
        out[-1][1].append(r)
    return out


def layout(rows: list[dict[str, str]] | None = None) -> Layout:
    """The grid of the published list (see the module's docstring)."""
    rows = csv_rows() if rows is None else rows
    out = Layout()
    width = len(TOP)
    at = out.row([TITLE] + [""] * (width - 1))
    out.merges.append(((at, 0), (at, width - 1)))
    top = out.row(list(TOP))
    out.row(list(SUB))
    for c in (0, 1, 5, 6, 7):
        out.merges.append(((top, c), (top + 1, c)))
    out.merges.append(((top, 2), (top, 4)))
    sections = _sections(rows)
    for k, (region, members) in enumerate(sections):
        at = out.row([f"{NUMERALS[k]}、{region}"] + [""] * (width - 1))
        out.merges.append(((at, 0), (at, width - 1)))
        if k == len(sections) // 2:
            out.split = at
        first = len(out.grid)
        for i, r in enumerate(members, 1):
            wide = k % 2 == 1  # every other section printed with full-width digits
            name = r["name"].translate(WIDE) if "(" in r["name"] else r["name"]
            year = r["year"].translate(WIDE) if wide else r["year"]
            out.row(
                [
                    str(i).translate(WIDE) if wide else str(i),
                    name + ("  " if i % 2 == 0 else ""),
                    r["category"],
                    year,
                    r["batch"],
                    r["issuer"],
                    r["doc_no"],
                    r["complete"],
                ]
            )
        for c in SHARED:
            values = {out.grid[j][c] for j in range(first, len(out.grid))}
            if len(members) > 1 and len(values) == 1 and "" not in values:
                out.merges.append(((first, c), (len(out.grid) - 1, c)))
                for j in range(first + 1, len(out.grid)):
                    out.grid[j][c] = ""  # a merged range holds its text in its first cell
    at = out.row([NOTE] + [""] * (width - 1))
    out.merges.append(((at, 0), (at, width - 1)))
    return out


def _covered(lay: Layout) -> dict[tuple[int, int], Span]:
    """Every grid position inside a merged range, to the range."""
    out = {}
    for span in lay.merges:
        (r0, c0), (r1, c1) = span
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                out[(r, c)] = span
    return out


def to_xls(lay: Layout) -> bytes:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    covered = _covered(lay)
    for (r0, c0), (r1, c1) in lay.merges:
        sheet.write_merge(r0, r1, c0, c1, lay.grid[r0][c0])
    for r, cells in enumerate(lay.grid):
        for c, text in enumerate(cells):
            if (r, c) not in covered and text:
                sheet.write(r, c, text)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def to_xlsx(lay: Layout) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for r, cells in enumerate(lay.grid, 1):
        for c, text in enumerate(cells, 1):
            if text:
                sheet.cell(r, c, text)
    for (r0, c0), (r1, c1) in lay.merges:
        sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def to_ods(lay: Layout) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]
    from odf.table import CoveredTableCell, Table, TableCell, TableRow  # type: ignore[import-untyped]
    from odf.text import P  # type: ignore[import-untyped]

    doc = OpenDocumentSpreadsheet()
    table = Table(name="名单")
    covered = _covered(lay)
    for r, cells in enumerate(lay.grid):
        tr = TableRow()
        for c, text in enumerate(cells):
            span = covered.get((r, c))
            if span and span[0] != (r, c):
                tr.addElement(CoveredTableCell())
                continue
            attrs = {"valuetype": "string"}
            if span:
                attrs["numberrowsspanned"] = str(span[1][0] - r + 1)
                attrs["numbercolumnsspanned"] = str(span[1][1] - c + 1)
            cell = TableCell(**attrs)
            if text:
                cell.addElement(P(text=text))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def _docx_table(document: object, lay: Layout, rows: list[int]) -> None:
    """Grid rows ``rows`` as one Word table, merged ranges inside them merged."""
    table = document.add_table(rows=len(rows), cols=len(lay.grid[0]))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    index = {r: i for i, r in enumerate(rows)}
    for row, r in zip(table.rows, rows, strict=True):  # row by row: table.cell() is O(rows)
        for cell, text in zip(row.cells, lay.grid[r], strict=True):
            if text:
                cell.text = text
    for (r0, c0), (r1, c1) in lay.merges:
        if r0 in index and r1 in index:
            text = lay.grid[r0][c0]
            merged = table.cell(index[r0], c0).merge(table.cell(index[r1], c1))
            merged.text = text


def to_docx(lay: Layout) -> bytes:
    """The title as a paragraph, the table in two parts (a page break between, the header
    repeated), the note as a paragraph."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph(lay.grid[0][0])
    header = [1, 2]
    body = list(range(3, len(lay.grid) - 1))
    first = [r for r in body if r < lay.split]
    second = [r for r in body if r >= lay.split]
    _docx_table(document, lay, header + first)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _docx_table(document, lay, header + second)
    document.add_paragraph(lay.grid[-1][0])
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def to_pdf(
    lay: Layout, widths: tuple[int, ...] = (10, 52, 50, 14, 20, 42, 44, 25), heading_rows: int = 2
) -> bytes:
    """A text-layer PDF (fpdf2, WenQuanYi Zen Hei): title above, the table over two pages
    with its two header rows repeated, the note below."""
    from fpdf import FPDF, FontFace

    pdf = FPDF(orientation="L", format="A4")
    pdf.add_font("zh", fname=FONT)
    pdf.set_font("zh", size=10)
    pdf.add_page()
    pdf.cell(text=lay.grid[0][0])
    pdf.ln(12)
    covered = _covered(lay)
    with pdf.table(
        col_widths=widths,
        num_heading_rows=heading_rows,
        repeat_headings=1,
        headings_style=FontFace(),
        line_height=7.5,
        text_align="LEFT",
    ) as table:
        for r in range(1, len(lay.grid) - 1):
            row = table.row()
            for c, text in enumerate(lay.grid[r]):
                span = covered.get((r, c))
                if span and span[0] != (r, c):
                    continue
                if span:
                    row.cell(text, rowspan=span[1][0] - r + 1, colspan=span[1][1] - c + 1)
                else:
                    row.cell(text)
    pdf.ln(6)
    pdf.cell(text=lay.grid[-1][0])
    return bytes(pdf.output())


def to_scanned_pdf(text_pdf: bytes, dpi: int = 300) -> bytes:
    """Each page of ``text_pdf`` rendered to a greyscale image, the images saved as a PDF
    with no text layer: what a scanner hands over."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(text_pdf)
    images = [page.render(scale=dpi / 72).to_pil().convert("L") for page in doc]
    doc.close()
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buf.getvalue()


WRITERS = {"xls": to_xls, "xlsx": to_xlsx, "ods": to_ods, "docx": to_docx, "pdf": to_pdf}


def write_all(folder: Path, lay: Layout | None = None) -> dict[str, Path]:
    """The list in every format (and the CSV it came from), by suffix."""
    lay = lay or layout()
    folder.mkdir(parents=True, exist_ok=True)
    out = {"csv": CSV_FIXTURE}
    for suffix, write in WRITERS.items():
        path = folder / f"list.{suffix}"
        path.write_bytes(write(lay))
        out[suffix] = path
    scanned = folder / "scanned.pdf"
    scanned.write_bytes(to_scanned_pdf(out["pdf"].read_bytes()))
    out["scanned"] = scanned
    return out


def uscc_of(i: int) -> str:
    """A valid USCC for firm ``i`` (its check character computed)."""
    from loaders.uscc import check_char

    body = f"916101{i:03d}MA6T{i:04d}"[:17]
    return body + check_char(body)


def uscc_layout(firms: int, misprinted: int | None = None) -> Layout:
    """A high-tech list with a USCC column, long enough for two pages; the code of firm
    ``misprinted`` has a wrong check character."""
    lay = Layout()
    lay.row(["附件：2024年拟认定高新技术企业名单", "", ""])
    lay.merges.append(((0, 0), (0, 2)))
    lay.row(["序号", "企业名称", "统一社会信用代码"])
    for i in range(1, firms + 1):
        code = uscc_of(i)
        if i == misprinted:
            code = code[:-1] + ("0" if code[-1] != "0" else "1")
        lay.row([str(i), f"西安测试{i:02d}科技有限公司", code])
    lay.row(["注：排名不分先后", "", ""])
    lay.merges.append(((len(lay.grid) - 1, 0), (len(lay.grid) - 1, 2)))
    return lay


USCC_WIDTHS = (20, 110, 110)
