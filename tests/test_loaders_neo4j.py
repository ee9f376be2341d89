"""Loading into the real Neo4j: idempotent, crash-safe, provenance-tracked."""

from __future__ import annotations

import csv
import gc
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import neo4j
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from graph.ingest import LoadReport, load_source
from loaders.demo import DemoSize, write_demo
from loaders.errors import ParseError
from loaders.sources import DEFAULT_SOURCES, SourceSpec, read_sources
from tests.graph_digest import graph_digest

pytestmark = pytest.mark.neo4j

SMALL = DemoSize(
    firms=400, rd_institutions=12, consortia=8, standards=40, tech_centres=25, rd_centres=10
)


@pytest.fixture(scope="module")
def sources_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default sources, with a small demo in a folder of its own."""
    folder = tmp_path_factory.mktemp("sources")
    write_demo(folder / "demo", seed=11, size=SMALL)
    text = DEFAULT_SOURCES.read_text(encoding="utf-8")
    # the copy lives elsewhere: the repository's real rows by their absolute path
    text = text.replace('uri = "data/', f'uri = "{DEFAULT_SOURCES.parent / "data"}/')
    text = text.replace("{data_dir}", str(folder))
    path = folder / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def specs(sources_file: Path, settings: Settings) -> list[SourceSpec]:
    return read_sources(sources_file, settings.data_dir)


def load_all(
    driver: neo4j.Driver, specs: list[SourceSpec], settings: Settings, **kw: object
) -> list[LoadReport]:
    return [
        load_source(
            driver, s, Path(s.uri).read_bytes(), reports_dir=settings.data_dir / "reports", **kw
        )  # type: ignore[arg-type]
        for s in specs
    ]


def test_real_and_demo_sources_load_with_provenance(
    db: neo4j.Driver, specs: list[SourceSpec], settings: Settings
) -> None:
    reports = {r.source: r for r in load_all(db, specs, settings, batch_size=200)}
    assert reports["real.enterprise-lists"].rows_ok == 22
    govcn = reports["real.govcn-2011-demo-enterprises"]
    assert (govcn.rows, govcn.rows_ok, govcn.rows_rejected) == (9, 8, 1)
    with Path(govcn.rejects_file or "").open(encoding="utf-8-sig") as f:
        rejects = list(csv.DictReader(f))
    assert rejects == [
        {
            "source": "real.govcn-2011-demo-enterprises",
            "row": "83",
            "field": "name",
            "value": "沈阳鼓风机集团[excerpt truncated here]",
            "reason": "name is truncated in the source; complete it and load again",
        }
    ]
    # one node per real organisation: the 2011 firms appear in two sources
    records, _, _ = db.execute_query(
        "MATCH (o:Organization {name: '北京江河幕墙股份有限公司'})-[:HOLDS]->(r:Recognition) "
        "RETURN o.prov_sources AS sources, count(r) AS recognitions"
    )
    assert len(records) == 1
    assert records[0]["sources"] == ["real.enterprise-lists", "real.govcn-2011-demo-enterprises"]
    assert records[0]["recognitions"] == 1
    # same standard printed with '—' and '-': one node, the fuller record kept
    records, _, _ = db.execute_query(
        "MATCH (s:GroupStandard {code: 'T/CPIA 0012-2019'}) OPTIONAL MATCH (o)-[d:DRAFTED]->(s) "
        "RETURN s.title_zh AS title, count(d) AS drafters"
    )
    assert (
        records[0]["title"] == "晶体硅标准光伏组件制作和使用指南" and records[0]["drafters"] == 17
    )
    # every node and relationship carries its source and row
    records, _, _ = db.execute_query(
        "MATCH (n) WHERE n.prov_source IS NULL RETURN count(n) AS n UNION ALL "
        "MATCH ()-[r]->() WHERE r.prov_source IS NULL RETURN count(r) AS n"
    )
    assert [r["n"] for r in records] == [0, 0]
    records, _, _ = db.execute_query(
        "MATCH (s:Source {id: 'demo.hightech'}) RETURN s.sha256 AS sha, s.rows_ok AS ok, "
        "s.rows_rejected AS rejected, s.synthetic AS synthetic, s.uri AS uri"
    )
    src = records[0]
    assert (
        len(src["sha"]) == 64
        and src["ok"] == reports["demo.hightech"].rows
        and src["rejected"] == 0
    )
    assert src["synthetic"] is True and src["uri"].endswith("hightech_enterprises.xlsx")
    records, _, _ = db.execute_query(
        "MATCH (o:Organization) WHERE o.synthetic AND 'real.enterprise-lists' IN o.prov_sources "
        "RETURN count(o) AS n"
    )
    assert records[0]["n"] == 0  # real firms are never marked synthetic


def test_hightech_recognitions_are_valid_for_three_years(
    db: neo4j.Driver, specs: list[SourceSpec], settings: Settings
) -> None:
    load_all(db, [s for s in specs if s.name == "demo.hightech"], settings)
    records, _, _ = db.execute_query(
        "MATCH (r:Recognition {kind: 'national_hightech'}) "
        "RETURN count(r) AS n, "
        "count(CASE WHEN r.valid_to = date({year: r.granted_on.year + 3, month: r.granted_on.month, "
        "day: r.granted_on.day}) - duration('P1D') THEN 1 END) AS three_years, "
        "count(CASE WHEN r.valid_from <= $d AND r.valid_to >= $d THEN 1 END) AS valid_on_d",
        d=date(2024, 6, 30),
    )
    row = records[0]
    assert row["n"] > 400 and row["three_years"] == row["n"]
    assert 0 < row["valid_on_d"] < row["n"]


def test_loading_twice_leaves_the_graph_identical(
    db: neo4j.Driver, specs: list[SourceSpec], settings: Settings
) -> None:
    load_all(db, specs, settings, batch_size=150)
    first = graph_digest(db)
    again = load_all(db, specs, settings, batch_size=150)
    assert all(r.skipped for r in again)  # unchanged sources are not re-loaded
    assert graph_digest(db) == first
    forced = load_all(db, specs, settings, batch_size=70, force=True)
    assert graph_digest(db) == first
    assert sum(r.counts.nodes_created + r.counts.rels_created for r in forced) == 0
    assert sum(r.counts.nodes_updated + r.counts.rels_updated for r in forced) == 0


def test_load_file_with_chinese_headers_and_map(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "2023年高新技术企业名单.csv"
    path.write_bytes(
        "序号,公司全称,统一社会信用代码,发证时间,所在区域\n"
        "1,陕西甲氢能科技有限公司,91350100M000100Y43,2023年12月12日,西咸新区沣西新城\n"
        "2,陕西乙科技有限公司,91350100M000100Y44,2023年12月12日,西咸新区沣东新城\n".encode("gbk")
    )
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
    }
    runner = CliRunner()
    missing = runner.invoke(
        app, ["load", "--file", str(path), "--kind", "hightech", "--json"], env=env
    )
    assert (
        missing.exit_code == 1
        and "no column for name" in missing.output
        and "--map" in missing.output
    )
    result = runner.invoke(
        app,
        ["load", "--file", str(path), "--kind", "hightech", "--map", "公司全称=name", "--json"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["rows"], report["rows_ok"], report["rows_rejected"]) == (2, 1, 1)
    records, _, _ = db.execute_query(
        "MATCH (o:Firm {uscc: '91350100M000100Y43'})-[:HOLDS]->(r:Recognition), (o)-[:LOCATED_IN]->(a:Area) "
        "RETURN o.name AS name, r.valid_to AS valid_to, a.id AS area"
    )
    assert [(r["name"], r["valid_to"].to_native(), r["area"]) for r in records] == [
        ("陕西甲氢能科技有限公司", date(2026, 12, 11), "fengxi")
    ]


def _loader(sources: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "api.cli",
        "load",
        "--quiet",
        "--batch-size",
        "40",
        "--sources",
        str(sources),
    ]


def _env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "INNOGRAPH_DATA_DIR": str(settings.data_dir),
            "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
        }
    )
    return env


def _node_count(driver: neo4j.Driver) -> int:
    records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n")
    return int(records[0]["n"])


def test_a_load_killed_anywhere_and_run_again_gives_the_same_graph(
    db: neo4j.Driver, sources_file: Path, settings: Settings
) -> None:
    root = Path(__file__).resolve().parents[1]
    subprocess.run(_loader(sources_file), env=_env(settings), cwd=root, check=True)
    clean = graph_digest(db)
    final_nodes = clean[0]
    kills = 0
    # Kill points are read off the graph itself (a share of the final node count), so each
    # SIGKILL lands while the load is writing, whatever the machine's speed.
    for shares in ((0.2,), (0.4, 0.6), (0.75,), (0.9,)):
        db.execute_query("MATCH (n) DETACH DELETE n")
        for share in shares:
            proc = subprocess.Popen(_loader(sources_file), env=_env(settings), cwd=root)
            while proc.poll() is None and _node_count(db) < share * final_nodes:
                time.sleep(0.02)
            proc.send_signal(signal.SIGKILL)
            kills += proc.wait() == -signal.SIGKILL
        subprocess.run(_loader(sources_file), env=_env(settings), cwd=root, check=True)
        assert graph_digest(db) == clean, f"killed at {shares} of the nodes"
    assert kills >= 4  # the kills landed while loading, not after


def test_remote_source_unchanged_is_not_downloaded_or_loaded_again(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    from tests.http_files import serving_files

    listing = DEFAULT_SOURCES.parent / "data" / "real" / "enterprise_lists_transcribed.csv"
    with serving_files(listing.parent) as (base, log):
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "web.lists"\nkind = "recognition"\nuri = "{base}/{listing.name}"\n',
            encoding="utf-8",
        )
        env = {
            "INNOGRAPH_DATA_DIR": str(settings.data_dir),
            "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
        }
        runner = CliRunner()
        first = runner.invoke(app, ["load", "--sources", str(sources), "--json"], env=env)
        assert first.exit_code == 0, first.output
        assert json.loads(first.stdout)["rows_ok"] == 22
        second = runner.invoke(app, ["load", "--sources", str(sources), "--json"], env=env)
        assert json.loads(second.stdout)["skipped"] is True
        assert log == [200, 304]  # the second request was conditional and answered 304
        listed = runner.invoke(app, ["sources", "--sources", str(sources), "--json"], env=env)
        (row,) = json.loads(listed.stdout)
        assert (row["name"], row["rows_ok"], row["rows_rejected"]) == ("web.lists", 22, 0)
        assert row["loaded_at"].startswith("20")


def test_a_load_leaves_the_cyclic_collector_as_it_found_it(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    """The collector is off during a load only (records are acyclic), also when it fails."""
    good = tmp_path / "list.csv"
    good.write_text(
        "企业名称,统一社会信用代码,发证日期\n陕西甲氢能科技有限公司,91350100M000100Y43,2023-12-12\n",
        encoding="utf-8",
    )
    bad = tmp_path / "broken.csv"
    bad.write_text("序号,备注\n1,无名称\n", encoding="utf-8")
    reports = settings.data_dir / "reports"
    assert gc.isenabled()
    report = load_source(
        db, SourceSpec("t.good", "hightech", str(good)), good.read_bytes(), reports_dir=reports
    )
    assert report.rows_ok == 1 and gc.isenabled()
    with pytest.raises(ParseError):
        load_source(
            db, SourceSpec("t.bad", "hightech", str(bad)), bad.read_bytes(), reports_dir=reports
        )
    assert gc.isenabled()
    gc.disable()
    try:
        load_source(
            db,
            SourceSpec("t.good", "hightech", str(good)),
            good.read_bytes(),
            reports_dir=reports,
            force=True,
        )
        assert not gc.isenabled()
    finally:
        gc.enable()
