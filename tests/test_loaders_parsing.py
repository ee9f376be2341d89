"""Loader building blocks on real and hand-built inputs; no database needed."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from loaders.columns import map_headers, parse_map_option
from loaders.dates import parse_date
from loaders.demo import DemoSize, write_demo
from loaders.errors import ParseError, SourceConfigError
from loaders.formats import Format, read_rows
from loaders.kinds import KINDS, RowContext, guess_org_kind, parse_row
from loaders.normalize import name_key, normalize_doc_number, normalize_standard_code
from loaders.provenance import Provenance
from loaders.records import (
    ConsortiumRecord,
    OrgKind,
    OrgMention,
    RecognitionRecord,
    Reject,
    StandardRecord,
)
from loaders.resolve import Resolver
from loaders.sources import DEFAULT_SOURCES, read_sources
from loaders.taxonomy import TaxonomyMatcher
from loaders.uscc import USCC_CHARS, check_char, is_valid_uscc, uscc_problem

GAZ = TaxonomyMatcher.default()


def rows_of(kind: str, rows: list[tuple[int, dict[str, str]]], **defaults: str) -> list[object]:
    columns = map_headers(list(dict.fromkeys(h for _, r in rows for h in r)))
    ctx = RowContext("test", columns, defaults, GAZ)
    return [o for line, row in rows for o in parse_row(KINDS[kind], ctx, line, row)]


# -- USCC ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "91110000802100433B", "９１３５０１００Ｍ０００１００Ｙ４３"]
)
def test_real_usccs_are_valid(code: str) -> None:
    assert uscc_problem(code) is None


def test_uscc_problems_are_explained() -> None:
    assert uscc_problem("91350100M000100Y44") == "check digit is '4', GB 32100-2015 gives '3'"
    assert "18" in (uscc_problem("9135010") or "")
    assert "alphabet" in (uscc_problem("91350100M000100YI3") or "")


@given(st.text(alphabet=USCC_CHARS, min_size=9, max_size=9), st.integers(0, 999999))
def test_check_char_makes_a_valid_code_and_any_other_last_char_invalid(
    body: str, region: int
) -> None:
    first17 = f"91{region:06d}{body}"
    good = first17 + check_char(first17)
    assert is_valid_uscc(good)
    for c in USCC_CHARS:
        if c != good[-1]:
            assert not is_valid_uscc(first17 + c)


# -- dates and names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2023-12-12",
        "2023年12月12日",
        "2023.12.12",
        "2023/12/12",
        "２０２３年１２月１２日",
        "20231212",
    ],
)
def test_dates_in_the_forms_lists_use(text: str) -> None:
    assert parse_date(text) == date(2023, 12, 12)


def test_bad_dates_name_the_value() -> None:
    with pytest.raises(ValueError, match="'2023-13-01' is not a calendar date"):
        parse_date("2023-13-01")
    with pytest.raises(ValueError, match="'next week'"):
        parse_date("next week")


def test_name_keys_fold_real_variants() -> None:
    # variants that occur in the shared data
    assert name_key("沈阳机床(集团)有限责任公司") == name_key("沈阳机床（集团）有限责任公司")
    assert name_key("阿特斯阳光电力集团有限公司") == name_key("阿特斯阳光电力集团股份有限公司")
    assert name_key("北京鉴衡认证中心") == name_key("北京鉴衡认证中心有限公司")
    assert name_key("中国标准化研究院。") == name_key("中国标准化研究院")
    assert name_key("LONGi Green Energy Technology Co., Ltd.") == name_key(
        "Longi Green Energy Technology"
    )
    assert name_key("陕西众森电能科技有限公司") != name_key("陕西众森科技有限公司")


def test_standard_codes_with_either_dash_are_one_code() -> None:
    assert normalize_standard_code("T/CPIA 0028.2—2024") == "T/CPIA 0028.2-2024"
    assert normalize_standard_code("T/CPIA 0012—2019") == normalize_standard_code(
        "T/CPIA 0012-2019"
    )
    assert normalize_standard_code("GB/T 32100-2015") == "GB/T 32100-2015"
    assert normalize_standard_code("T/SXH2 0002—2021") == "T/SXH2 0002-2021"
    assert normalize_standard_code("光伏支架") is None


# -- formats -------------------------------------------------------------------------------

HEADER = "序号,企业名称,统一社会信用代码,发证日期\n"
ROW = "1,陕西甲科技有限公司,91350100M000100Y43,2023年12月12日\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_lists_use(encoding: str) -> None:
    rows = read_rows((HEADER + ROW).encode(encoding), "list.csv")
    assert rows == [
        (
            2,
            {
                "序号": "1",
                "企业名称": "陕西甲科技有限公司",
                "统一社会信用代码": "91350100M000100Y43",
                "发证日期": "2023年12月12日",
            },
        )
    ]


def test_xlsx_with_a_title_row_above_the_header() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["2023年第一批高新技术企业名单"])
    ws.append(["序号", "企业名称", "发证日期"])
    ws.append([1, "陕西甲科技有限公司", date(2023, 12, 12)])
    buf = io.BytesIO()
    wb.save(buf)
    rows = read_rows(buf.getvalue(), "list.xlsx")
    assert rows == [(3, {"序号": "1", "企业名称": "陕西甲科技有限公司", "发证日期": "2023-12-12"})]


def test_html_table_with_row_spans_fills_them_down() -> None:
    html = (
        "<html><body><table><tr><th>序号</th><th>所在区域</th><th>企业名称</th></tr>"
        "<tr><td>1</td><td rowspan='2'>沣西新城</td><td>甲公司</td></tr>"
        "<tr><td>2</td><td>乙公司</td></tr></table></body></html>"
    ).encode("gbk")
    rows = read_rows(html, "page.html")
    assert [r["所在区域"] for _, r in rows] == ["沣西新城", "沣西新城"]
    assert [r["企业名称"] for _, r in rows] == ["甲公司", "乙公司"]


def test_platform_json_list_api_shape() -> None:
    payload = {
        "code": 200,
        "data": {
            "rows": [
                {
                    "standardNo": "T/CPIA 0028.2—2024",
                    "publishDate": "2024-12-15",
                    "abolishDate": None,
                }
            ]
        },
    }
    rows = read_rows(json.dumps(payload).encode(), "list.json")
    assert rows == [
        (1, {"standardNo": "T/CPIA 0028.2—2024", "publishDate": "2024-12-15", "abolishDate": ""})
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "empty.csv: cannot be parsed: the file is empty"),
        (b"\x00\x01\x02binary" * 20, "blob.csv", "blob.csv: cannot be parsed: binary content"),
        (b'{"data": [', "bad.json", "bad.json: cannot be parsed: JSON"),
        (
            b"<html><p>no table</p></html>",
            "page.html",
            "page.html: cannot be parsed: HTML: no <table>",
        ),
        (b"PK\x03\x04 not really a workbook", "list.xlsx", "list.xlsx: cannot be parsed: XLSX"),
    ],
)
def test_unreadable_files_fail_naming_the_file_and_cause(
    data: bytes, name: str, message: str
) -> None:
    with pytest.raises(ParseError, match=message.replace("(", r"\(")):
        read_rows(data, name)


# -- columns -------------------------------------------------------------------------------


def test_common_headers_map_by_themselves_and_the_rest_are_reported() -> None:
    cm = map_headers(
        ["序号", "企业名称", "统一社会信用代码", "证书编号", "发证日期", "批次", "所在区域", "备注"]
    )
    assert cm.fields == {
        "seq": "序号",
        "name": "企业名称",
        "uscc": "统一社会信用代码",
        "cert_no": "证书编号",
        "granted_on": "发证日期",
        "batch": "批次",
        "region": "所在区域",
    }
    assert cm.unmapped == ("备注",)
    english = map_headers(["No.", "Company Name", "Credit Code", "Issue Date"])
    assert set(english.fields) == {"seq", "name", "uscc", "granted_on"}


def test_map_option_overrides_and_rejects_unknown_fields() -> None:
    cm = map_headers(["公司全称"], parse_map_option(["公司全称=name"]))
    assert cm.fields == {"name": "公司全称"}
    with pytest.raises(SourceConfigError, match="HEADER=FIELD"):
        parse_map_option(["公司全称=company"])


# -- kinds ---------------------------------------------------------------------------------


def test_hightech_certificate_is_valid_three_years_from_issue() -> None:
    (rec,) = rows_of(
        "hightech",
        [
            (
                2,
                {
                    "企业名称": "陕西甲科技有限公司",
                    "统一社会信用代码": "91350100M000100Y43",
                    "发证日期": "2023.12.12",
                    "所在区域": "西咸新区沣西新城",
                    "技术领域": "氢燃料电池",
                },
            )
        ],
    )
    assert isinstance(rec, RecognitionRecord)
    assert (rec.kind, rec.level) == ("national_hightech", "national")
    assert (rec.valid_from, rec.valid_to) == (date(2023, 12, 12), date(2026, 12, 11))
    assert rec.org.area == "fengxi" and rec.org.technologies == ("hydrogen-fuel-cell",)
    assert rec.prov.row == 2 and rec.prov.source == "test"


def test_bad_rows_become_rejects_with_field_value_and_reason() -> None:
    out = rows_of(
        "hightech",
        [
            (2, {"企业名称": "甲公司", "统一社会信用代码": "91350100M000100Y44"}),
            (3, {"企业名称": "乙公司", "发证日期": "2023-02-30"}),
            (4, {"企业名称": "", "发证日期": "2023-02-01"}),
            (5, {"企业名称": "丙公司", "发证日期": "2023-02-01"}),
        ],
    )
    rejects = [o for o in out if isinstance(o, Reject)]
    assert [(r.row, r.field) for r in rejects] == [(2, "uscc"), (3, "granted_on"), (4, "name")]
    assert "check digit" in rejects[0].reason and rejects[0].value == "91350100M000100Y44"
    assert [o.org.name for o in out if isinstance(o, RecognitionRecord)] == ["丙公司"]


def test_category_words_choose_kind_and_level() -> None:
    out = rows_of(
        "recognition",
        [
            (2, {"name": "甲公司", "category": "国家企业技术中心", "year": "2018"}),
            (3, {"name": "乙公司", "category": "陕西省专精特新中小企业(拟认定)", "year": "2025"}),
        ],
    )
    assert [(o.kind, o.level, o.status) for o in out if isinstance(o, RecognitionRecord)] == [
        ("enterprise_tech_centre", "national", None),
        ("specialized_sme", "provincial", "provisional"),
    ]


def test_consortium_lead_and_members_split_and_kinds_guessed() -> None:
    (c,) = rows_of(
        "consortium",
        [
            (
                2,
                {
                    "联合体名称": "西咸新区氢能创新联合体",
                    "牵头单位": "陕西甲氢能科技有限公司",
                    "成员单位": "西安交通大学、陕西乙研究院；丙(西安)能源有限公司",
                    "技术领域": "氢燃料电池;储能",
                    "级别": "市级",
                },
            )
        ],
    )
    assert isinstance(c, ConsortiumRecord)
    assert [m.name for m in c.leads] == ["陕西甲氢能科技有限公司"]
    assert [(m.name, m.kind) for m in c.members] == [
        ("西安交通大学", OrgKind.UNIVERSITY),
        ("陕西乙研究院", OrgKind.RD_INSTITUTION),
        ("丙(西安)能源有限公司", OrgKind.FIRM),
    ]
    assert c.technologies == ("hydrogen-fuel-cell", "energy-storage") and c.level == "municipal"


def test_org_kind_guesses() -> None:
    assert guess_org_kind("中国光伏行业协会") is OrgKind.SOCIETY
    assert guess_org_kind("暨南大学") is OrgKind.UNIVERSITY
    assert guess_org_kind("中国电子技术标准化研究院") is OrgKind.RD_INSTITUTION
    assert guess_org_kind("中国汽车工程研究院股份有限公司") is OrgKind.FIRM
    assert guess_org_kind("西安市科学技术局") is OrgKind.AGENCY


# -- the real registry files the repository ships (loaders/data/real) ----------------------


def parse_real(name: str) -> tuple[list[object], list[Reject]]:
    (spec,) = [s for s in read_sources(DEFAULT_SOURCES, Path("var")) if s.name == name]
    path = Path(spec.uri)
    assert path.is_relative_to(DEFAULT_SOURCES.parent.resolve()), spec.uri
    rows = read_rows(path.read_bytes(), path.name, spec.format)
    columns = map_headers(list(dict.fromkeys(h for _, r in rows for h in r)), spec.columns)
    ctx = RowContext(spec.name, columns, spec.defaults, GAZ)
    out = [o for line, row in rows for o in parse_row(KINDS[spec.kind], ctx, line, row)]
    return [o for o in out if not isinstance(o, Reject)], [o for o in out if isinstance(o, Reject)]


def test_real_enterprise_lists_csv() -> None:
    records, rejects = parse_real("real.enterprise-lists")
    assert len(records) == 22 and rejects == []
    kinds = {(r.kind, r.level) for r in records if isinstance(r, RecognitionRecord)}
    assert kinds == {
        ("tech_innovation_demo", "national"),
        ("enterprise_tech_centre", "national"),
        ("specialized_sme", "provincial"),
    }
    konggang = [
        r.org.name for r in records if isinstance(r, RecognitionRecord) and r.org.area == "konggang"
    ]
    assert len(konggang) == 8 and "西安太乙电子有限公司" in konggang


def test_real_flattened_govcn_table() -> None:
    records, rejects = parse_real("real.govcn-2011-demo-enterprises")
    names = [r.org.name for r in records if isinstance(r, RecognitionRecord)]
    assert names[0] == "北京江河幕墙股份有限公司" and "沈阳机床(集团)有限责任公司" in names
    assert len(names) == 8
    regions = {r.org.name: r.org.region for r in records if isinstance(r, RecognitionRecord)}
    assert regions["天津海鸥表业集团有限公司"] == "天津市"  # a region cell spanning two rows
    (reject,) = rejects
    assert (reject.field, reject.row) == ("name", 83) and "truncated" in reject.reason


def test_real_group_standards_csv() -> None:
    records, rejects = parse_real("real.group-standards")
    standards = [r for r in records if isinstance(r, StandardRecord)]
    assert len(standards) == 29
    codes = [s.code for s in standards]
    assert codes.count("T/CPIA 0012-2019") == 2  # printed with '—' once and '-' once
    fuel_cell = next(s for s in standards if s.code == "T/CSTE 0121-2021")
    assert "hydrogen-fuel-cell" in fuel_cell.technologies
    assert "中国标准化研究院" in [d.name for d in fuel_cell.drafters]
    assert [(r.field, r.value) for r in rejects] == [("drafters", "正...(truncated)")]


# -- entity resolution ---------------------------------------------------------------------

P = Provenance("test", "unit", row=1)


def m(name: str, uscc: str | None = None, former: tuple[str, ...] = ()) -> OrgMention:
    return OrgMention(name, OrgKind.FIRM, P, uscc=uscc, former_names=former)


def test_resolution_merges_real_variants_and_sends_near_names_to_review() -> None:
    r = Resolver()
    a = r.resolve(m("阿特斯阳光电力集团有限公司"))
    assert r.resolve(m("阿特斯阳光电力集团股份有限公司")).id == a.id
    b = r.resolve(m("陕西众森电能科技有限公司"))
    c = r.resolve(m("陕西众森科技有限公司"))
    assert c.id != b.id and c.method == "new"
    (pair,) = r.reviews
    assert (pair.name, pair.candidate_name) == ("陕西众森科技有限公司", "陕西众森电能科技有限公司")
    assert 85 <= pair.score < 95


def test_uscc_comes_first_and_different_usccs_never_merge() -> None:
    r = Resolver()
    first = r.resolve(m("陕西甲科技有限公司", "91350100M000100Y43"))
    renamed = r.resolve(m("陕西甲新材料科技有限公司", "91350100M000100Y43"))
    assert renamed.id == first.id and renamed.method == "uscc"
    other = r.resolve(m("陕西甲科技有限公司", "91110000802100433B"))
    assert other.id != first.id
    assert r.orgs[first.id].names == {"陕西甲科技有限公司", "陕西甲新材料科技有限公司"}


def test_a_name_first_seen_without_uscc_takes_the_uscc_later() -> None:
    r = Resolver()
    a = r.resolve(m("西安太乙电子有限公司"))
    b = r.resolve(m("西安太乙电子有限公司", "91350100M000100Y43"))
    assert a.id == b.id and r.orgs[a.id].uscc == "91350100M000100Y43"


def test_former_names_become_aliases_or_successor_links() -> None:
    r = Resolver()
    old = r.resolve(m("隆基乐叶光伏科技有限公司", "91110000802100433B"))
    new = r.resolve(
        m("隆基绿能科技股份有限公司", "91350100M000100Y43", former=("隆基乐叶光伏科技有限公司",))
    )
    assert r.successors == {(new.id, old.id)}
    r2 = Resolver()
    x = r2.resolve(m("陕西新名科技有限公司", former=("陕西旧名科技有限公司",)))
    assert r2.resolve(m("陕西旧名科技有限公司")).id == x.id
    assert r2.orgs[x.id].former_names == {"陕西旧名科技有限公司"}


# -- sources and demo ----------------------------------------------------------------------


def test_sources_file_errors_name_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "s.toml"
    bad.write_text('[[source]]\nname = "x"\nkind = "people"\nuri = "a.csv"\n', encoding="utf-8")
    with pytest.raises(SourceConfigError, match="kind 'people' is not one of"):
        read_sources(bad, tmp_path)
    bad.write_text('[[source]]\nname = "x"\nkind = "area"\nuri = "a.csv"\n' * 2, encoding="utf-8")
    with pytest.raises(SourceConfigError, match="declared twice"):
        read_sources(bad, tmp_path)
    specs = read_sources(DEFAULT_SOURCES, tmp_path)
    # a relative data directory is the working directory's, not the sources file's
    relative = {s.name: s.uri for s in read_sources(DEFAULT_SOURCES, Path("var"))}
    assert relative["demo.hightech"] == str(
        Path("var").resolve() / "demo" / "hightech_enterprises.xlsx"
    )
    assert {s.name for s in specs if s.synthetic} == {
        s.name for s in specs if s.name.startswith("demo.")
    }
    assert all(s.format in (None, *Format) for s in specs)


def test_demo_is_deterministic_valid_and_marked_synthetic(tmp_path: Path) -> None:
    size = DemoSize(
        firms=200, rd_institutions=10, consortia=6, standards=30, tech_centres=20, rd_centres=8
    )
    write_demo(tmp_path / "a", seed=7, size=size)
    write_demo(tmp_path / "b", seed=7, size=size)

    def digest(folder: Path) -> dict[str, str]:
        return {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.iterdir()
            if p.suffix != ".xlsx"
        }

    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    rows = read_rows((tmp_path / "a" / "hightech_enterprises.xlsx").read_bytes(), "h.xlsx")
    usccs = {r["统一社会信用代码"] for _, r in rows}
    assert len(usccs) > 150 and all(is_valid_uscc(u) for u in usccs)
    assert "合成" in (tmp_path / "a" / "group_standards.json").read_text(encoding="utf-8")
    gbk = (tmp_path / "a" / "rd_centres_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("国科发火〔2016〕32号", "国科发火〔2016〕32号"),
        ("国科发火(2016)32号", "国科发火〔2016〕32号"),
        ("陕科高发（2023）5号", "陕科高发〔2023〕5号"),
        ("西咸科发[2024] 17号", "西咸科发〔2024〕17号"),
        ("工信厅科【2019】8号", "工信厅科〔2019〕8号"),
        ("市科字〔2021]3号", "市科字〔2021〕3号"),  # mismatched, as OCR reads 〕
        ("第(3)批", "第(3)批"),  # not a year: left alone
    ],
)
def test_a_document_number_writes_its_year_as_the_standard_does(typed: str, canonical: str) -> None:
    assert normalize_doc_number(typed) == canonical
