"""Issue 14, point 1: the demo at another size (`innograph demo --firms N`), with the district
demo's proportions, in its real formats (the recognitions split into XLSX parts past a
sheet's rows), deterministic per seed, and the district demo itself unchanged."""

from __future__ import annotations

import hashlib
import json
import random
import re
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import neo4j
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from api.usecases.load import declared_sources, load_sources
from graph.cypher import delete_all
from graph.driver import local_server
from loaders.demo import DemoSize, write_demo
from loaders.demo_firms import DISTRICT_MAX_FIRMS, NAMES_PER_FIRM, FirmTable, NameSpace
from loaders.demo_names import FORMS
from loaders.errors import SourceConfigError
from loaders.formats import read_rows
from loaders.parts import PartedXlsx, part_path
from loaders.sources import DEFAULT_SOURCES, read_sources
from loaders.uscc import is_valid_uscc

# -- the district demo, as it was before the scaled demo existed -------------------------

_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)")


def content_digest(folder: Path) -> dict[str, str]:
    """Each file's sha256; for XLSX, of its members' contents without the created/modified
    stamps (openpyxl wrote the clock's time there, so the old files never had stable bytes)."""
    out = {}
    for p in sorted(folder.iterdir()):
        h = hashlib.sha256()
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                for info in sorted(z.infolist(), key=lambda i: i.filename):
                    data = z.read(info)
                    if info.filename == "docProps/core.xml":
                        data = _STAMP.sub(rb"\1\3", data)
                    h.update(info.filename.encode() + b"\0" + hashlib.sha256(data).digest())
        else:
            h.update(p.read_bytes())
        out[p.name] = h.hexdigest()
    return out


# computed with the generator of commit ac1873a, before this change
DEFAULT_DIGEST = {
    "consortia.csv": "800cbb3e3d85bf2143a47f86a5ee4e5677b656699c8b633f838487f5b36dee15",
    "group_standards.json": "9998063bd462c86186da1c5f6c97df4d97db311d307fa9c500086a9c880c91aa",
    "hightech_enterprises.xlsx": "5fc09c807e6d11de0c8e76da55f6579331175337414719cff4b7fdbdda9efee2",
    "rd_centres_gbk.csv": "5ccf77d6026f0007717cb41479efc2d1d1f5930c672b84fb6f1f79be4d0e054e",
    "rd_institutions.csv": "19345fbd673c6fab60bf02a9fd88d405ddd196f3760f61c88cb8aca96277d5c9",
    "tech_centres.html": "c7eaeeb534f7f72af7aa9952dc6840d84de133c48b099d3748c91668aa3f3d9d",
}
# tests/test_database_down.py's demo (seed 7, 3,000 firms), also from ac1873a
SEED7_3000_DIGEST = {
    "consortia.csv": "5683c38c8b5c913d422a62063735082abc0e34e803d0d11baa32f8be911c3064",
    "group_standards.json": "276df73732e4ba20d9108a769fc57d9220fdfe41ca25ebc39c68fb919e5b6ea0",
    "hightech_enterprises.xlsx": "2865f4b7f6e95a9d4cd657022da29c99dcf418c4f113b3d1a588e7fe389d5d56",
    "rd_centres_gbk.csv": "216d9b8184fc39aa6893cbce4c16bc729726b7b43d2464e79a45cae31f1b4446",
    "rd_institutions.csv": "f32194cafd27ff1e40f1e31083b309eef95cdc55bc6bd905ec06c90cbfe94696",
    "tech_centres.html": "b0b529c385f51b443f2dcd6a8bc7921e5242da88971fecc115abffd06f448691",
}


def test_the_district_demo_is_the_same_as_before(tmp_path: Path) -> None:
    counts = write_demo(tmp_path / "default")
    assert content_digest(tmp_path / "default") == DEFAULT_DIGEST
    assert counts["firms"] == 4000 and counts["hightech_files"] == 1
    assert DemoSize.scaled(4000) == DemoSize()  # --firms 4000 is the district demo
    write_demo(tmp_path / "seed7", seed=7, size=DemoSize(firms=3000))
    assert content_digest(tmp_path / "seed7") == SEED7_3000_DIGEST


def _bytes_digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_the_same_seed_writes_the_same_bytes_and_another_seed_other_files(
    tmp_path: Path,
) -> None:
    size = DemoSize.scaled(DISTRICT_MAX_FIRMS + 800)  # the larger name space
    write_demo(tmp_path / "a", seed=5, size=size)
    write_demo(tmp_path / "b", seed=5, size=size)
    write_demo(tmp_path / "c", seed=6, size=size)
    a, b, c = (_bytes_digest(tmp_path / x) for x in "abc")
    assert a == b  # XLSX included: fixed document and ZIP timestamps
    assert a.keys() == c.keys() and all(a[k] != c[k] for k in a)


# -- proportions ---------------------------------------------------------------------------


def _shape(folder: Path, n: int) -> dict[str, float]:
    """What the demo of ``n`` firms is made of, per firm (or as shares), read back from its
    files (a firm whose certificate lapsed before 2019 is in no list)."""
    rows = [
        r
        for p in sorted(folder.glob("hightech_enterprises*.xlsx"))
        for _, r in read_rows(p.read_bytes(), p.name)
    ]
    firms = {r["统一社会信用代码"]: r for r in rows}
    fields = Counter(r["技术领域"] for r in firms.values())
    institutes = read_rows((folder / "rd_institutions.csv").read_bytes(), "i.csv")
    centres = read_rows((folder / "tech_centres.html").read_bytes(), "t.html")
    levels = Counter(r["级别"] for _, r in centres)
    standards = json.loads((folder / "group_standards.json").read_text(encoding="utf-8"))
    consortia = read_rows((folder / "consortia.csv").read_bytes(), "c.csv")
    rd = read_rows((folder / "rd_centres_gbk.csv").read_bytes(), "r.csv")
    return {
        "recognitions": len(rows) / n,
        "english": sum(bool(r["英文名称"]) for r in firms.values()) / n,
        "former": sum(bool(r["曾用名"]) for r in firms.values()) / n,
        "listed": len(firms) / n,
        "names": len({r["企业名称"] for r in firms.values()}) / len(firms),
        "rd_institutions": len(institutes) / n,
        "tech_centres": len(centres) / n,
        "national_centres": levels["国家级"] / len(centres),
        "rd_centres": len(rd) / n,
        "consortia": len(consortia) / n,
        "standards": standards["data"]["total"] / n,
        **{f"field {f}": k / n for f, k in fields.items()},
    }


def test_the_proportions_hold_at_two_sizes(tmp_path: Path) -> None:
    """Counts of institutions, consortia, standards and centres are proportional by
    construction (rounded: 1/n per firm at most); the rest are draws, so the tolerance is
    about four standard deviations of a difference of two samples (the district demo's
    4,000 firms and the larger one): recognitions per firm (mean 1.7, sd about 0.8) 0.05;
    a share near 1/3 (English names) 0.035; near 1/12 (former names, each field) or 0.97
    (firms in the list) 0.02; national tech centres are every 15th by construction."""
    write_demo(tmp_path / "district")
    base = _shape(tmp_path / "district", 4000)
    for n in (DISTRICT_MAX_FIRMS + 800, 16_000):
        write_demo(tmp_path / str(n), seed=n, size=DemoSize.scaled(n))
        shape = _shape(tmp_path / str(n), n)
        assert shape.keys() == base.keys()
        assert shape["names"] == 1.0
        for key in ("rd_institutions", "tech_centres", "rd_centres", "consortia", "standards"):
            assert shape[key] == pytest.approx(base[key], abs=1 / n), key
        assert shape["recognitions"] == pytest.approx(base["recognitions"], abs=0.05)
        assert shape["listed"] == pytest.approx(base["listed"], abs=0.02)
        assert shape["english"] == pytest.approx(base["english"], abs=0.035)
        assert shape["former"] == pytest.approx(base["former"], abs=0.02)
        assert shape["national_centres"] == pytest.approx(base["national_centres"], abs=0.01)
        for key in (k for k in base if k.startswith("field ")):
            assert shape[key] == pytest.approx(base[key], abs=0.02), key


def test_scaled_sizes_round_the_district_proportions() -> None:
    assert DemoSize.scaled(1_000_000) == DemoSize(1_000_000, 10_000, 7_500, 75_000, 22_500, 9_000)
    assert DemoSize.scaled(1_000) == DemoSize(1_000, 10, 8, 75, 23, 9)  # 7.5 rounds up
    for bad in (999, 0, -5, 2_000_001):
        with pytest.raises(ValueError, match="choose between 1,000 and 2,000,000"):
            DemoSize.scaled(bad)


# -- names and USCCs --------------------------------------------------------------------


def test_the_name_space_holds_a_million_firms() -> None:
    district = NameSpace.for_firms(4000)
    assert not district.unique_stems and district.names == 720_300
    space = NameSpace.for_firms(1_000_000)
    assert space.unique_stems and space.names >= NAMES_PER_FIRM * 1_000_000
    assert len(set(space.cores)) == len(space.cores)
    assert all(len(c) == 2 for c in space.cores)  # so a name splits into its parts one way
    pinyin = [space.pinyin[c] for c in space.cores]
    assert len(set(pinyin)) == len(pinyin)  # distinct English trade names too
    assert NameSpace.for_firms(2_000_000).names >= NAMES_PER_FIRM * 2_000_000


def test_firm_names_stay_unique_and_plausible_beyond_the_district() -> None:
    firms = FirmTable.draw(random.Random(1), 60_000)
    names = [f.name for f in firms]
    assert len(set(names)) == len(names) == 60_000
    stems = {n.removesuffix(next(f for f in FORMS if n.endswith(f))) for n in names}
    assert len(stems) == len(names)  # no two firms differ by their legal form only
    formers = {f.former_name for f in firms if f.former_name}
    assert not formers & set(names)  # a former name is never another firm's name
    english = [f.name_en for f in firms if f.name_en]
    assert len(set(english)) == len(english) and 0.3 < len(english) / len(names) < 0.37
    usccs = [f.uscc for f in firms]
    assert len(set(usccs)) == len(usccs) and all(is_valid_uscc(u) for u in usccs)
    assert all(
        re.fullmatch(r"(陕西|西安|西咸新区|陕西西咸|西安西咸)\w{4}\w+有限公司", n) for n in names
    )


# -- XLSX parts and the sources that load them ---------------------------------------------


def test_a_list_past_the_sheet_rows_is_split_into_parts(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    headers = [("示例",), ("序号", "名称", "日期")]
    with PartedXlsx(path, "名单", headers, max_rows=5) as ws:
        for i in range(1, 11):
            ws.append([i, f"单位{i}", date(2024, 1, i)])
    assert ws.parts == [part_path(path, k) for k in (1, 2, 3, 4)] and not path.exists()
    read = [read_rows(p.read_bytes(), p.name) for p in ws.parts]
    assert [len(rows) for rows in read] == [3, 3, 3, 1]  # 5 rows a sheet, 2 of them headers
    assert [r["序号"] for rows in read for _, r in rows] == [str(i) for i in range(1, 11)]
    sheet = load_workbook(ws.parts[0], read_only=True).active
    assert list(sheet.iter_rows(min_row=3, max_row=3, values_only=True)) == [
        (1, "单位1", datetime(2024, 1, 1))  # a number, text, a date (as openpyxl writes them)
    ]
    # rows that fit: one file under the list's own name, the old parts gone
    with PartedXlsx(path, "名单", headers, max_rows=5) as ws:
        ws.append([1, "单位1", date(2024, 1, 1)])
    assert ws.parts == [path] and sorted(tmp_path.iterdir()) == [path]
    with pytest.raises(ValueError, match="no room"):
        PartedXlsx(path, "名单", headers, max_rows=2)


def test_the_declared_sources_pick_up_the_parts(tmp_path: Path) -> None:
    counts = write_demo(tmp_path / "demo", seed=2, size=DemoSize.scaled(1000), xlsx_max_rows=600)
    assert counts["hightech_files"] == -(-counts["hightech_rows"] // 598)
    specs = [s for s in read_sources(DEFAULT_SOURCES, tmp_path) if "hightech" in s.name]
    k = counts["hightech_files"]
    assert [s.name for s in specs] == [f"demo.hightech.part-{i}" for i in range(1, k + 1)]
    assert [Path(s.uri).name for s in specs] == [
        f"hightech_enterprises-{i}.xlsx" for i in range(1, k + 1)
    ]
    assert all(s.declared_as == "demo.hightech" and s.synthetic for s in specs)
    chosen = declared_sources(
        Settings.from_env({}, data_dir=tmp_path), DEFAULT_SOURCES, ["demo.hightech"]
    )
    assert [s.name for s in chosen] == [s.name for s in specs]
    # a list and its parts side by side: which one is meant is not guessed
    (tmp_path / "demo" / "hightech_enterprises.xlsx").write_bytes(b"stale")
    with pytest.raises(SourceConfigError, match=r"both hightech_enterprises\.xlsx and its parts"):
        read_sources(DEFAULT_SOURCES, tmp_path)


def _at(settings: Settings, data_dir: Path) -> Settings:
    """The test server, from another data directory (as tests/test_usecases.py does)."""
    if settings.local:
        password = local_server(settings).password()
        return replace(
            settings, data_dir=data_dir, neo4j_uri=settings.bolt_uri, neo4j_password=password
        )
    return replace(settings, data_dir=data_dir)


# -- the CLI -------------------------------------------------------------------------------


def test_demo_help_names_the_size_and_seed() -> None:
    result = CliRunner().invoke(app, ["demo", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--firms" in result.output and "--seed" in result.output
    assert "proportions" in result.output and "1,048,576" in result.output


def test_demo_refuses_a_size_below_the_minimum_before_starting_anything(tmp_path: Path) -> None:
    env = {"INNOGRAPH_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    result = CliRunner().invoke(app, ["demo", "--firms", "500", "--no-serve"], env=env)
    assert result.exit_code == 2
    assert "--firms" in result.output and "choose between 1,000 and 2,000,000" in result.output
    assert not (tmp_path / "neo4j").exists() and not (tmp_path / "demo").exists()


# -- loaded through the real loaders -------------------------------------------------------


@pytest.mark.neo4j
def test_a_scaled_demo_in_parts_loads_with_its_proportions(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    """A 2,000-firm demo whose recognitions are cut into parts of 1,200 rows: each part is a
    source, each fact names its part and row, and the graph has the demo's proportions.
    (`innograph demo --firms 20000 --no-serve`, run once for the README, shows the same.)"""
    text, params = delete_all()
    db.execute_query(text, params)
    n = 2_000
    size = DemoSize.scaled(n)
    counts = write_demo(tmp_path / "demo", seed=9, size=size, xlsx_max_rows=1_200)
    assert counts["hightech_files"] == 3
    here = _at(settings, tmp_path)
    specs = [s for s in declared_sources(here, DEFAULT_SOURCES) if s.name.startswith("demo.")]
    run = load_sources(here, specs)
    assert run.failed == []
    records, _, _ = db.execute_query(
        "MATCH (o:Organization)-[:HOLDS]->(r:Recognition {kind: 'national_hightech'}) "
        "RETURN r.prov_source AS source, count(r) AS rows, min(r.prov_row) AS first, "
        "max(r.prov_row) AS last, count(DISTINCT o) AS firms ORDER BY source"
    )
    parts = {r["source"]: (r["rows"], r["first"], r["last"]) for r in records}
    assert list(parts) == [f"demo.hightech.part-{k}" for k in (1, 2, 3)]
    assert sum(rows for rows, _, _ in parts.values()) == counts["hightech_rows"]
    assert all(last - first < 1_200 for _, first, last in parts.values())  # rows of its file
    records, _, _ = db.execute_query(
        "MATCH (s:Source) WHERE s.id STARTS WITH 'demo.hightech' RETURN s.id AS id, s.uri AS uri"
    )
    assert {r["id"]: Path(r["uri"]).name for r in records} == {
        f"demo.hightech.part-{k}": f"hightech_enterprises-{k}.xlsx" for k in (1, 2, 3)
    }
    listed = {
        r["统一社会信用代码"]
        for k in (1, 2, 3)
        for p in [tmp_path / "demo" / f"hightech_enterprises-{k}.xlsx"]
        for _, r in read_rows(p.read_bytes(), p.name)
    }
    records, _, _ = db.execute_query(
        "MATCH (f:Firm)-[:HOLDS]->(:Recognition {kind: 'national_hightech'}) "
        "RETURN count(DISTINCT f) AS firms, count(DISTINCT f.uscc) AS usccs"
    )
    # one firm per listed USCC, even when its certificates straddle two parts
    assert records[0]["firms"] == records[0]["usccs"] == len(listed)
    records, _, _ = db.execute_query(
        "MATCH (r:Recognition) RETURN r.kind AS kind, count(r) AS n ORDER BY kind"
    )
    kinds = {r["kind"]: r["n"] for r in records}
    assert kinds["national_hightech"] == counts["hightech_rows"]
    assert kinds["new_rd_institution"] == counts["rd_institutions"] == size.rd_institutions
    assert kinds["enterprise_tech_centre"] == size.tech_centres
    assert kinds["enterprise_rd_centre"] == size.rd_centres
    records, _, _ = db.execute_query(
        "MATCH (c:Consortium) WITH count(c) AS consortia "
        "MATCH (s:GroupStandard) RETURN consortia, count(s) AS standards"
    )
    assert (records[0]["consortia"], records[0]["standards"]) == (size.consortia, size.standards)
    records, _, _ = db.execute_query(
        "MATCH (f:Firm)-[:WORKS_ON]->(t:Technology) RETURN t.id AS t, count(DISTINCT f) AS n"
    )
    # the nine fields of the plan's taxonomy (of the twelve), each about 1/12 of the listed
    # firms (four standard deviations of a binomial share at 2,000: 0.025)
    shares = [r["n"] / len(listed) for r in records]
    assert len(shares) == 9 and all(abs(s - 1 / 12) < 0.025 for s in shares), shares
