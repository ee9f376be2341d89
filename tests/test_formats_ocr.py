"""Scanned PDFs read by OCR (Debian's tesseract with chi_sim): the table's structure (pages,
merged cells, two-row header, sections) comes out whole, misread USCCs are caught by their
check character and rejected with page and row, and a page with no table is refused saying
it is a scan and what was tried."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from graph.ingest import parse_source
from loaders.errors import ParseError
from loaders.formats import read_rows
from loaders.ocr import close_doc_number
from loaders.records import RecognitionRecord
from loaders.shaping import PAGE, SECTION
from loaders.sources import SourceSpec
from loaders.taxonomy import TaxonomyMatcher
from tests.list_fixtures import (
    FONT,
    USCC_WIDTHS,
    csv_rows,
    layout,
    to_pdf,
    to_scanned_pdf,
    uscc_layout,
    uscc_of,
)


@pytest.fixture(scope="module")
def scanned_rows() -> list[tuple[int, dict[str, str]]]:
    return read_rows(to_scanned_pdf(to_pdf(layout())), "scanned.pdf")


def test_a_scanned_list_keeps_its_structure(scanned_rows: list[tuple[int, dict[str, str]]]) -> None:
    expected = csv_rows()
    assert len(scanned_rows) == len(expected) == 22
    assert [r[PAGE] for _, r in scanned_rows] == [r[PAGE] for _, r in _text_layer_rows()]
    # section headings, the two-row header and the merged cells read like the text layer's
    for (_, got), want in zip(scanned_rows, expected, strict=True):
        assert got[SECTION] == want["region"]
        assert got["认定情况/类别"] == want["category"]
        assert got["认定情况/年度"] == want["year"]
        assert got["认定情况/批次"] == want["batch"]
        assert got["发证机关"] == want["issuer"]
        assert got["备注"] == want["complete"]


def test_every_name_of_a_clean_scan_is_read_exactly(
    scanned_rows: list[tuple[int, dict[str, str]]],
) -> None:
    names = [r["企业名称"] for _, r in scanned_rows]
    assert names == [want["name"] for want in csv_rows()]


@pytest.mark.parametrize("dpi", [200, 400])
def test_scans_at_other_resolutions_read_nearly_every_name(dpi: int) -> None:
    rows = read_rows(to_scanned_pdf(to_pdf(layout()), dpi=dpi), f"scan-{dpi}.pdf")
    names = [r["企业名称"] for _, r in rows]
    exact = sum(got == want["name"] for got, want in zip(names, csv_rows(), strict=True))
    # measured: 21 of 22 at both (at the page's own size alone, 19 and 17); a name has no
    # check character, so what OCR misreads in it is kept as read
    assert exact >= 20, names


def _text_layer_rows() -> list[tuple[int, dict[str, str]]]:
    return read_rows(to_pdf(layout()), "list.pdf")


def test_misread_usccs_are_rejected_with_page_and_row(tmp_path: Path) -> None:
    # firm 30's code is misprinted (wrong check character): it must be rejected too
    text_pdf = to_pdf(uscc_layout(45, misprinted=30), USCC_WIDTHS, heading_rows=1)
    # what is printed at each (page, row): the text layer of the very pages scanned
    printed = {
        (int(r[PAGE]), line): r["统一社会信用代码"] for line, r in read_rows(text_pdf, "t.pdf")
    }
    path = tmp_path / "scan.pdf"
    path.write_bytes(to_scanned_pdf(text_pdf))
    spec = SourceSpec("t.scan", "hightech", str(path))
    records, rejects, ok, total, _ = parse_source(
        spec, path.read_bytes(), path.name, "l", TaxonomyMatcher.default()
    )
    assert total == 45 and len({p for p, _ in printed}) >= 2  # over pages
    taken = [r for r in records if isinstance(r, RecognitionRecord)]
    assert len(taken) == ok and ok >= 40  # measured: most codes read right
    for record in taken:  # a code taken is the code printed in its row: none slipped through
        assert record.org.uscc == printed[(record.prov.page, record.prov.row)]  # type: ignore[index]
    assert rejects and len(rejects) == total - ok
    misprinted = next(k for k, code in printed.items() if code[:-1] == uscc_of(30)[:-1])
    assert misprinted in {(r.page, r.row) for r in rejects}
    for reject in rejects:  # a misread code: rejected, naming where it is printed
        assert reject.field == "uscc" and "not a valid USCC" in reject.reason
        assert (reject.page, reject.row) in printed
        at = (reject.page, reject.row)
        assert reject.value != printed[at] or at == misprinted  # type: ignore[index]


def test_a_scan_with_no_ruled_table_is_refused_saying_what_was_tried() -> None:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 48)
    draw.text((200, 300), "关于公布2024年高新技术企业名单的通知", font=font, fill=0)
    buf = io.BytesIO()
    image.save(buf, "PDF", resolution=300)
    with pytest.raises(
        ParseError,
        match=r"notice\.pdf: .*a scanned document; OCR with tesseract \(chi_sim\+eng\) at 300 dpi: "
        r"no ruled table found on 1 page\(s\)",
    ):
        read_rows(buf.getvalue(), "notice.pdf")


def test_a_scan_too_poor_to_read_is_refused_with_what_ocr_found() -> None:
    import pypdfium2

    doc = pypdfium2.PdfDocument(to_pdf(layout()))
    # scanned at 40 dpi, then blown up to the page size: rules visible, characters mush
    images = [page.render(scale=40 / 72).to_pil().convert("L").resize((3508, 2482)) for page in doc]
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=300, save_all=True, append_images=images[1:])
    with pytest.raises(
        ParseError,
        match=r"poor\.pdf: .*a scanned document too poor to read; OCR with tesseract .* read "
        r"\d+ words in the table at a mean confidence of \d+ \(under 60\)",
    ):
        read_rows(buf.getvalue(), "poor.pdf")


def _line(text: str, size: int = 40) -> np.ndarray[Any, Any]:
    """``text`` printed on one line in the tests' CJK font, as a cell's crop holds it."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, size)
    image = Image.new("L", (size * (len(text) + 2), size * 2), 255)
    ImageDraw.Draw(image).text((size // 2, size // 3), text, font=font, fill=0)
    return np.asarray(image)


@pytest.mark.parametrize(
    ("printed", "read", "want"),
    [
        ("国科发火〔2016〕32号", "国科发火〔2016〕325", "国科发火〔2016〕32号"),
        ("陕科高发[2021]7号", "陕科高发[2021]75", "陕科高发[2021]7号"),
        # a number printed without its 号: the last glyph is a digit, kept as read
        ("国科发火〔2016〕325", "国科发火〔2016〕325", "国科发火〔2016〕325"),
        # not a document number's shape: never touched
        ("注册资本5000万元", "注册资本5000万5", "注册资本5000万5"),
        ("国科发火〔2016〕32号", "国科发火〔2016〕32号", "国科发火〔2016〕32号"),
    ],
)
def test_a_document_numbers_closing_hao_is_set_from_the_glyphs_width(
    printed: str, read: str, want: str
) -> None:
    assert close_doc_number(read, _line(printed)) == want
