"""A streamed load (chunks of rows parsed, resolved and written in turn) gives the graph
and the reports of a load of the whole file at once, however the rows are cut."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import neo4j
import pytest

from api.settings import Settings
from graph.ingest import LoadReport, load_source
from loaders.demo import DemoSize, write_demo
from loaders.formats import read_rows
from loaders.sources import DEFAULT_SOURCES, SourceSpec, read_sources
from loaders.uscc import check_char
from tests.graph_digest import graph_digest

pytestmark = pytest.mark.neo4j

SMALL = DemoSize(
    firms=300, rd_institutions=10, consortia=6, standards=30, tech_centres=20, rd_centres=8
)
WHOLE = 10**9  # one chunk: the whole file at once, as the loader did before it streamed


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> list[SourceSpec]:
    folder = tmp_path_factory.mktemp("stream")
    write_demo(folder / "demo", seed=5, size=SMALL)
    text = DEFAULT_SOURCES.read_text(encoding="utf-8")
    text = text.replace('uri = "data/', f'uri = "{DEFAULT_SOURCES.parent / "data"}/')
    text = text.replace("{data_dir}", str(folder))
    path = folder / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return read_sources(path, settings.data_dir)


def _load(
    db: neo4j.Driver, specs: list[SourceSpec], reports: Path, chunk_rows: int
) -> list[LoadReport]:
    return [
        load_source(db, s, Path(s.uri).read_bytes(), reports_dir=reports, chunk_rows=chunk_rows)
        for s in specs
    ]


def _files(report: LoadReport) -> dict[str, list[list[str]]]:
    out = {}
    for name in ("rejects_file", "review_file", "flags_file", "overlaps_file"):
        path = getattr(report, name)
        if path:
            with Path(path).open(encoding="utf-8-sig", newline="") as f:
                out[name] = list(csv.reader(f))
    return out


def _figures(report: LoadReport) -> tuple[object, ...]:
    return (
        report.rows,
        report.rows_ok,
        report.rows_rejected,
        report.rejects,
        report.merged,
        report.review,
        report.flagged,
        report.overlaps,
        report.unmapped,
    )


def test_orgs_are_named_in_several_chunks(specs: list[SourceSpec]) -> None:
    """The cut below splits an organisation's rows: the check can fail."""
    hightech = next(s for s in specs if s.name == "demo.hightech")
    chunks: dict[str, set[int]] = defaultdict(set)
    for i, (_, row) in enumerate(read_rows(Path(hightech.uri).read_bytes(), "h.xlsx")):
        chunks[row["统一社会信用代码"]].add(i // 7)
    assert sum(len(c) > 1 for c in chunks.values()) > 20


def test_a_streamed_load_gives_the_whole_files_graph_and_reports(
    db: neo4j.Driver, specs: list[SourceSpec], settings: Settings, tmp_path: Path
) -> None:
    whole = _load(db, specs, tmp_path / "whole", WHOLE)
    expected = graph_digest(db)
    assert expected[0] > 1000
    for chunk_rows in (7, 64):
        db.execute_query("MATCH (n) DETACH DELETE n")
        streamed = _load(db, specs, tmp_path / f"chunks{chunk_rows}", chunk_rows)
        assert graph_digest(db) == expected, f"chunks of {chunk_rows} rows"
        for a, b in zip(whole, streamed, strict=True):
            assert _figures(a) == _figures(b), a.source
            assert _files(a) == _files(b), a.source
    assert sum(r.rejects + r.review + r.overlaps for r in whole) > 0  # reports to compare


def test_a_later_row_fills_only_the_gaps_of_an_earlier_one(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    """A recognition listed twice, rows far apart: the first row's values stand, the
    second fills what the first left empty, in whichever chunk each falls."""
    path = tmp_path / "twice.csv"
    head = "序号,企业名称,统一社会信用代码,认定类别,证书编号,发证日期,批次,所在区域\n"
    a, b, c = (f"91610000M0002000{i}" for i in "123")
    a, b, c = (code + check_char(code) for code in (a, b, c))
    rows = [
        f"1,陕西甲科技有限公司,{a},国家级技术创新示范企业,GR2021001,,2021年,沣西新城\n",
        f"2,陕西乙科技有限公司,{b},国家级技术创新示范企业,,,2021年,沣东新城\n",
        f"3,陕西丙科技有限公司,{c},国家级技术创新示范企业,,,2021年,沣西新城\n",
        f"4,陕西甲科技股份有限公司,{a},国家级技术创新示范企业,GR2021001,2021-05-01,2021年,沣东新城\n",
    ]
    path.write_text(head + "".join(rows), encoding="utf-8")
    spec = SourceSpec("t.twice", "recognition", str(path))
    digests = []
    for chunk_rows in (WHOLE, 1, 2):
        db.execute_query("MATCH (n) DETACH DELETE n")
        load_source(db, spec, path.read_bytes(), reports_dir=tmp_path / "r", chunk_rows=chunk_rows)
        records, _, _ = db.execute_query(
            "MATCH (o:Organization {uscc: $uscc})-[:HOLDS]->(r:Recognition) "
            "OPTIONAL MATCH (o)-[:LOCATED_IN]->(a:Area) "
            "RETURN o.aliases AS aliases, o.prov_row AS org_row, r.granted_on AS granted, "
            "r.prov_row AS rec_row, collect(a.id) AS areas",
            uscc=a,
        )
        (r,) = records
        assert r["aliases"] == ["陕西甲科技股份有限公司"], chunk_rows  # both names, last row's too
        assert (r["org_row"], r["rec_row"]) == (2, 2)  # the first row's provenance
        assert r["areas"] == ["fengxi"]  # the first row's area
        assert r["granted"].to_native() == date(2021, 5, 1)  # the gap the last row filled
        digests.append(graph_digest(db))
    assert digests[0] == digests[1] == digests[2]
