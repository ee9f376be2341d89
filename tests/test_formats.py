"""Lists in the formats officials publish (.xls, .ods, .xlsx, .docx, text-layer PDF) read
into the same typed rows as the CSV they were made from; the table-shaping step on rows
written here; bad files named with what was found."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from graph.ingest import parse_source
from loaders.errors import ParseError
from loaders.formats import Format, read_rows, sniff_format
from loaders.records import RecognitionRecord
from loaders.shaping import PAGE, SECTION, TableLine, lines_of, shape_table
from loaders.sources import SourceSpec
from loaders.taxonomy import TaxonomyMatcher
from loaders.uscc import check_char
from tests.list_fixtures import COLUMNS, FONT, Layout, layout, to_pdf, write_all

FORMATS = ("xls", "xlsx", "ods", "docx", "pdf")


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("lists"))


def _spec(uri: Path) -> SourceSpec:
    return SourceSpec("real.enterprise-lists", "recognition", str(uri), columns=COLUMNS)


def _facts(path: Path) -> tuple[list[object], list[object]]:
    """Records and rejects of a file, provenance's row, page and load left out (a PDF counts
    rows per page, a workbook counts its title rows)."""
    records, rejects, *_ = parse_source(
        _spec(path), path.read_bytes(), path.name, "load", TaxonomyMatcher.default()
    )

    def plain(r: RecognitionRecord) -> RecognitionRecord:
        prov = dataclasses.replace(r.prov, row=None, page=None, load=None)
        org = dataclasses.replace(r.org, prov=prov)
        return dataclasses.replace(r, prov=prov, org=org)

    return [plain(r) for r in records if isinstance(r, RecognitionRecord)], [
        dataclasses.replace(x, row=0, page=None) for x in rejects
    ]


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_reads_to_the_csv_fixtures_records(
    lists: dict[str, Path], suffix: str
) -> None:
    expected, expected_rejects = _facts(lists["csv"])
    assert len(expected) == 22
    got, rejects = _facts(lists[suffix])
    assert got == expected
    assert rejects == expected_rejects
    # the section heading gave the region, the two-row header the category and batch
    by_name = {r.org.name: r for r in got}
    assert by_name["天津海鸥表业集团有限公司"].org.region == "天津市"
    assert by_name["九冶建设有限公司"].batch == "第24批"
    assert by_name["沈阳鼓风机集团"].status == "incomplete"


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_format_is_told_by_the_first_bytes_not_the_suffix(
    lists: dict[str, Path], suffix: str
) -> None:
    data = lists[suffix].read_bytes()
    assert sniff_format("attachment.bin", data) == Format(suffix)
    assert sniff_format("renamed.xlsx" if suffix != "xlsx" else "x.xls", data) == Format(suffix)


def test_pdf_rows_carry_their_page_and_the_repeated_header_is_dropped(
    lists: dict[str, Path],
) -> None:
    rows = read_rows(lists["pdf"].read_bytes(), "list.pdf")
    pages = [r[PAGE] for _, r in rows]
    assert pages[0] == "1" and pages[-1] == "2"  # the table runs over two pages
    assert pages == sorted(pages)
    assert not [r for _, r in rows if r.get("企业名称") == "企业名称"]
    second = [(line, r) for line, r in rows if r[PAGE] == "2"]
    assert second[0][0] > 2  # rows count from the page's own table top, header included


def test_docx_reads_a_table_continued_in_a_second_table(lists: dict[str, Path]) -> None:
    import docx

    document = docx.Document(str(lists["docx"]))
    assert len(document.tables) == 2
    rows = read_rows(lists["docx"].read_bytes(), "list.docx")
    assert [r["企业名称"] for _, r in rows][-1] == "西安科采能源装备有限公司"
    assert len(rows) == 22


def test_docx_tables_with_other_headers_are_read_under_the_first_tables_columns() -> None:
    import docx

    document = docx.Document()
    for header, name in (("企业名称", "甲科技有限公司"), ("单位名称", "乙研究院")):
        document.add_paragraph("附件")
        table = document.add_table(rows=2, cols=2)
        for j, text in enumerate(("序号", header)):
            table.cell(0, j).text = text
        table.cell(1, 0).text = "1"
        table.cell(1, 1).text = name
    buf = io.BytesIO()
    document.save(buf)
    rows = read_rows(buf.getvalue(), "two.docx")
    assert [r["企业名称"] for _, r in rows] == ["甲科技有限公司", "乙研究院"]


# --- the shaping step on rows written here ------------------------------------------


def _shape(matrix: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    return list(shape_table(lines_of(matrix), "t"))


def test_title_and_note_rows_around_the_table_are_not_data() -> None:
    rows = _shape(
        [
            ["附件2：2024年拟认定高新技术企业名单", "附件2：2024年拟认定高新技术企业名单", ""],
            ["", "", ""],
            ["序号", "企业名称", "所在地区"],
            ["1", "西安甲公司", "沣东新城"],
            ["注：排名不分先后", "", ""],
            [
                "联系人：张三  电话：029-1234",
                "联系人：张三  电话：029-1234",
                "联系人：张三  电话：029-1234",
            ],
        ]
    )
    assert rows == [(4, {"序号": "1", "企业名称": "西安甲公司", "所在地区": "沣东新城"})]


def test_two_row_header_is_joined_and_recognised() -> None:
    rows = _shape(
        [
            ["序号", "企业名称", "认定情况", "认定情况"],
            ["序号", "企业名称", "证书编号", "发证日期"],
            ["1", "西安甲公司", "GR202461000001", "2024-12-01"],
        ]
    )
    assert list(rows[0][1]) == ["序号", "企业名称", "认定情况/证书编号", "认定情况/发证日期"]
    from loaders.columns import map_headers

    fields = map_headers(rows[0][1]).fields
    assert fields["cert_no"] == "认定情况/证书编号" and fields["granted_on"] == "认定情况/发证日期"


def test_a_data_row_under_the_header_is_not_taken_for_a_second_header_row() -> None:
    rows = _shape([["序号", "企业名称", "批次"], ["", "西安甲公司", "第一批"]])
    assert rows == [(2, {"序号": "", "企业名称": "西安甲公司", "批次": "第一批"})]


def test_section_headings_set_the_region_and_serial_numbers_restart() -> None:
    rows = _shape(
        [
            ["序号", "企业名称", "类别"],
            ["一、西安市", "一、西安市", "一、西安市"],
            ["1", "西安甲公司", "高新"],
            ["2", "西安乙公司", "高新"],
            ["二、宝鸡市", "", ""],
            ["1", "宝鸡丙公司", "高新"],
        ]
    )
    assert [(r["序号"], r[SECTION]) for _, r in rows] == [
        ("1", "西安市"),
        ("2", "西安市"),
        ("1", "宝鸡市"),
    ]
    from loaders.columns import map_headers

    assert map_headers(["序号", "企业名称", SECTION]).fields["region"] == SECTION
    assert map_headers(["企业名称", "所在地区", SECTION]).fields["region"] == "所在地区"


def test_full_width_digits_and_trailing_spaces_are_cleaned() -> None:
    rows = _shape(
        [["序号", "统一社会信用代码", "企业名称"], ["１２", "９１６１ＡＢ\u3000", "甲公司  "]]
    )
    assert rows[0][1] == {"序号": "12", "统一社会信用代码": "9161AB", "企业名称": "甲公司"}


def test_a_header_repeated_on_the_next_page_is_dropped_and_pages_kept() -> None:
    lines = [
        TableLine(1, ["序号", "企业名称"], 1),
        TableLine(2, ["1", "甲公司"], 1),
        TableLine(1, ["序号", "企业名称"], 2),
        TableLine(2, ["2", "乙公司"], 2),
    ]
    rows = list(shape_table(lines, "t"))
    assert rows == [
        (2, {"序号": "1", "企业名称": "甲公司", PAGE: "1"}),
        (2, {"序号": "2", "企业名称": "乙公司", PAGE: "2"}),
    ]


def test_merged_cells_are_filled_and_empty_cells_stay_empty(lists: dict[str, Path]) -> None:
    lay = layout()
    assert any(r0 != r1 for (r0, _), (r1, _) in lay.merges[3:])  # merged regions exist
    for suffix in FORMATS:
        rows = [r for _, r in read_rows(lists[suffix].read_bytes(), lists[suffix].name)]
        # 天津's two rows share one merged category cell; 陕西's rows have no 文号 at all
        assert rows[1]["认定情况/类别"] == rows[2]["认定情况/类别"] == "国家技术创新示范企业"
        assert rows[9]["文号"] == "", suffix


# --- provenance: page and row of a rejected PDF row -----------------------------------


def _uscc(body: str) -> str:
    return body + check_char(body)


def test_a_pdf_rows_reject_names_its_page_and_row(tmp_path: Path) -> None:
    good = _uscc("91610131MA6TX0001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # a misread check character
    lay = Layout()
    lay.row(["附件：名单", ""])
    lay.merges.append(((0, 0), (0, 1)))
    lay.row(["企业名称", "统一社会信用代码"])
    for i in range(40):
        lay.row([f"西安测试{i:02d}科技有限公司", bad if i == 35 else good])
    lay.row(["注：无", ""])
    lay.merges.append(((len(lay.grid) - 1, 0), (len(lay.grid) - 1, 1)))
    path = tmp_path / "uscc.pdf"
    path.write_bytes(to_pdf(lay, widths=(90, 90), heading_rows=1))
    spec = SourceSpec("t.uscc", "hightech", str(path))
    _, rejects, ok, total, _ = parse_source(
        spec, path.read_bytes(), path.name, "l", TaxonomyMatcher.default()
    )
    assert (ok, total) == (39, 40)
    [reject] = rejects
    assert reject.field == "uscc" and reject.value == bad
    rows = read_rows(path.read_bytes(), path.name)
    line, row = next((ln, r) for ln, r in rows if r["统一社会信用代码"] == bad)
    assert (reject.page, reject.row) == (int(row[PAGE]), line) and reject.page == 2


# --- bad files: a message naming the file and what was found ---------------------------


def test_a_corrupt_workbook_is_named_with_its_format(lists: dict[str, Path]) -> None:
    for suffix in ("xls", "xlsx", "ods"):
        data = lists[suffix].read_bytes()
        with pytest.raises(
            ParseError, match=rf"broken\.{suffix}: cannot be parsed: {suffix.upper()}"
        ):
            read_rows(data[: len(data) // 2], f"broken.{suffix}")


def test_a_pdf_without_a_table_says_what_it_holds(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("zh", fname=FONT)
    pdf.set_font("zh", size=12)
    pdf.add_page()
    pdf.multi_cell(
        0, 8, text="关于印发西咸新区科技创新规划的通知\n各有关单位：现将规划印发给你们。"
    )
    with pytest.raises(
        ParseError, match=r"plan\.pdf: .*no table found on 1 page\(s\) \(\d+ characters"
    ):
        read_rows(bytes(pdf.output()), "plan.pdf")


def test_an_encrypted_pdf_is_refused_as_encrypted() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="o", user_password="u")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="secret")
    with pytest.raises(ParseError, match=r"locked\.pdf: .*encrypted"):
        read_rows(bytes(pdf.output()), "locked.pdf")


def test_a_docx_without_a_table_says_what_it_holds() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("关于公布名单的通知")
    document.add_paragraph("名单见附件。")
    buf = io.BytesIO()
    document.save(buf)
    with pytest.raises(ParseError, match=r"notice\.docx: .*no table found \(2 paragraphs"):
        read_rows(buf.getvalue(), "notice.docx")


def test_a_legacy_word_file_is_named_for_what_it_is() -> None:
    # the first bytes of every Word 97-2003 file, and the name of its main stream
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    data = head + "WordDocument".encode("utf-16-le") + b"\x00" * 1024
    with pytest.raises(ParseError, match=r"名单\.doc: .*a Word 97-2003 document \(\.doc\).*\.docx"):
        read_rows(data, "名单.doc")
