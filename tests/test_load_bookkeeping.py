"""The loader's bookkeeping is exact: the load report, the Source node, `innograph sources`
and the rows of the report files give the same counts; overlapping certificates of one
kind for one organisation are listed for review, both kept (issue 13, point 10)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import neo4j
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from api.usecases.load import file_source, list_sources, load_sources
from graph.ingest import HELD_AT_ONCE, OVERLAP_HEADER, RENEWED_EARLY, LoadReport, load_source
from loaders.sources import SourceSpec
from loaders.uscc import check_char

pytestmark = pytest.mark.neo4j


def _uscc(body: str) -> str:
    return body + check_char(body)


A, B, C = _uscc("91610000MA6T00010"), _uscc("91610000MA6T00020"), _uscc("91610000MA6T00030")
BAD_USCC = A[:-1] + ("0" if A[-1] != "0" else "1")

HEADER = "企业名称,统一社会信用代码,证书编号,发证日期,所在区域\n"
# rows 3 and 4 are rejected whole (check digit, impossible date); A holds two overlapping
# certificates (2021 and 2022), B a renewal the day after its first ends (no overlap)
HIGHTECH = HEADER + (
    f"陕西甲科技有限公司,{A},GR202161000001,2021-03-01,沣西新城\n"
    f"陕西乙科技有限公司,{BAD_USCC},GR202161000002,2021-03-01,沣西新城\n"
    f"陕西丙科技有限公司,{C},GR202161000003,2021-02-30,沣西新城\n"
    f"陕西甲科技有限公司,{A},GR202261000004,2022-06-01,沣西新城\n"
    f"陕西丁科技有限公司,{B},GR201961000005,2019-11-01,沣东新城\n"
    f"陕西丁科技有限公司,{B},GR202261000006,2022-11-01,沣东新城\n"
)
# row 2 gives a consortium and a reject (a truncated member name): 1 reject, 0 rows rejected
CONSORTIA = (
    "联合体名称,牵头单位,成员单位,技术领域,级别,成立时间\n"
    "西咸新区光伏产业创新联合体,陕西甲科技有限公司,陕西丁科技有限公司、陕西某某...(truncated),光伏,省级,2023-05-01\n"
    "西咸新区氢能产业创新联合体,,陕西丁科技有限公司,氢能,省级,2023-06-01\n"
)


def _csv_rows(path: str | None) -> list[dict[str, str]]:
    if path is None:
        return []
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _source_node(db: neo4j.Driver, name: str) -> dict[str, object]:
    records, _, _ = db.execute_query(
        "MATCH (s:Source {id: $id}) RETURN properties(s) AS p", id=name
    )
    return dict(records[0]["p"])


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def _load(db: neo4j.Driver, tmp: Path, spec: SourceSpec, **kw: bool) -> LoadReport:
    data = Path(spec.uri).read_bytes()
    return load_source(db, spec, data, reports_dir=tmp / "reports", **kw)


def _assert_exact(db: neo4j.Driver, report: LoadReport) -> None:
    rejects = _csv_rows(report.rejects_file)
    node = _source_node(db, report.source)
    # every figure of the report, the Source node and the rejects file agree
    assert report.rejects == len(rejects) == node["rejects"]
    assert report.rows_ok == node["rows_ok"]
    assert report.rows_rejected == node["rows_rejected"]
    assert report.review == len(_csv_rows(report.review_file)) == node["review"]
    assert report.overlaps == len(_csv_rows(report.overlaps_file)) == node["overlaps"]
    # a row rejected whole is a row of the file that gave no record
    assert report.rows == report.rows_ok + report.rows_rejected


def test_counts_are_the_rows_of_the_reports(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    firms = SourceSpec("t.firms", "hightech", str(_write(tmp_path, "firms.csv", HIGHTECH)))
    cons = SourceSpec("t.cons", "consortium", str(_write(tmp_path, "cons.csv", CONSORTIA)))
    report = _load(db, tmp_path, firms)
    assert (report.rows, report.rows_ok, report.rows_rejected, report.rejects) == (6, 4, 2, 2)
    assert [(r["row"], r["field"]) for r in _csv_rows(report.rejects_file)] == [
        ("3", "uscc"),
        ("4", "granted_on"),
    ]
    _assert_exact(db, report)
    mixed = _load(db, tmp_path, cons)
    # one row gave a record and a reject, one was rejected whole (no lead)
    assert (mixed.rows, mixed.rows_ok, mixed.rows_rejected, mixed.rejects) == (2, 1, 1, 2)
    _assert_exact(db, mixed)
    # an unchanged source is skipped, and its report still tells its last load's figures
    again = _load(db, tmp_path, cons)
    assert again.skipped
    assert (again.rows, again.rows_ok, again.rows_rejected, again.rejects) == (2, 1, 1, 2)
    _assert_exact(db, again)
    # the same figures in `innograph sources`, from the Source nodes
    toml = tmp_path / "sources.toml"
    toml.write_text(
        "".join(
            f'[[source]]\nname = "{s.name}"\nkind = "{s.kind}"\nuri = "{s.uri}"\n\n'
            for s in (firms, cons)
        ),
        encoding="utf-8",
    )
    status = {s.name: s for s in list_sources(settings, toml)}
    assert (status["t.cons"].rows_ok, status["t.cons"].rows_rejected) == (1, 1)
    assert status["t.cons"].rejects == 2 == len(_csv_rows(mixed.rejects_file))
    assert (status["t.firms"].rejects, status["t.firms"].overlaps) == (2, 1)
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
    }
    result = CliRunner().invoke(app, ["sources", "--sources", str(toml), "--json"], env=env)
    assert result.exit_code == 0, result.output
    shown = {r["name"]: r for r in json.loads(result.stdout)}
    assert (shown["t.cons"]["rejects"], shown["t.cons"]["rows_rejected"]) == (2, 1)


def test_overlapping_certificates_are_listed_and_both_kept(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    firms = SourceSpec("t.firms", "hightech", str(_write(tmp_path, "firms.csv", HIGHTECH)))
    report = _load(db, tmp_path, firms)
    (row,) = _csv_rows(report.overlaps_file)
    assert list(row) == list(OVERLAP_HEADER)
    assert (row["organization_name"], row["kind"]) == ("陕西甲科技有限公司", "national_hightech")
    assert (row["cert_no"], row["valid_from"], row["valid_to"]) == (
        "GR202161000001",
        "2021-03-01",
        "2024-02-29",
    )
    assert (row["other_cert_no"], row["other_valid_from"]) == ("GR202261000004", "2022-06-01")
    assert (row["source"], row["row"], row["other_row"]) == ("t.firms", "2", "5")
    assert row["overlap_days"] == str((date(2024, 2, 29) - date(2022, 6, 1)).days + 1)
    assert row["reading"] == HELD_AT_ONCE
    assert Path(report.overlaps_file or "").parent.name == "review"
    records, _, _ = db.execute_query(
        "MATCH (o:Organization {uscc: $a})-[:HOLDS]->(r:Recognition) RETURN r.cert_no AS c "
        "ORDER BY c",
        a=A,
    )
    assert [r["c"] for r in records] == ["GR202161000001", "GR202261000004"]  # both kept
    # another list naming a third certificate of A, overlapping both: its own review lists it
    other = SourceSpec(
        "t.more",
        "hightech",
        str(
            _write(
                tmp_path,
                "more.csv",
                HEADER + f"陕西甲科技有限公司,{A},GR202361000007,2023-06-10,\n",
            )
        ),
    )
    more = _load(db, tmp_path, other)
    pairs = {(r["cert_no"], r["other_cert_no"]) for r in _csv_rows(more.overlaps_file)}
    assert pairs == {("GR202161000001", "GR202361000007"), ("GR202261000004", "GR202361000007")}
    # 2023-06-10 is in the last year of the 2021 certificate (to 2024-02-29): an early renewal
    readings = {r["cert_no"]: r["reading"] for r in _csv_rows(more.overlaps_file)}
    assert readings == {"GR202161000001": RENEWED_EARLY, "GR202261000004": HELD_AT_ONCE}
    assert more.overlaps == 2 == _source_node(db, "t.more")["overlaps"]


def test_the_load_summary_names_the_overlaps_and_their_file(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    path = _write(tmp_path, "firms.csv", HIGHTECH)
    run = load_sources(settings, [file_source(path, "hightech")])
    (report,) = run.reports
    assert report.overlaps == 1 and report.overlaps_file is not None
    assert report.overlaps_file == str(
        settings.data_dir / "reports" / "review" / f"{report.source}.overlaps.csv"
    )
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
        "COLUMNS": "250",
    }
    result = CliRunner().invoke(
        app, ["load", "--file", str(path), "--kind", "hightech", "--force"], env=env
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "1 overlapping certificates of one kind for one organisation (both kept)" in text
    assert "firms.overlaps.csv" in text and "2 rejects in" in text
