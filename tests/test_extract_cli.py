"""`innograph extract` and `eval-extraction` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import neo4j
import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.settings import Settings


def test_extract_jsonl_keeps_going_past_bad_files(tmp_path: Path) -> None:
    good = tmp_path / "plan.txt"
    good.write_bytes("到2027年,全市高新技术企业数量力争达到1.2万家以上。".encode("gbk"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    result = CliRunner().invoke(
        app, ["extract", str(empty), str(good), str(binary), str(tmp_path / "missing.txt")]
    )
    assert result.exit_code == 1  # failures are reported in the exit code
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["doc"], r["value"], r["unit"], r["year"]) for r in lines] == [
        ("plan.txt", 12000.0, "count", 2027)
    ]
    assert good.read_bytes().decode("gbk")[lines[0]["start"] : lines[0]["end"]] == "1.2万家"
    assert (
        "empty.txt: the file is empty" in result.output
        and "blob.txt: binary content" in result.output
    )
    assert "missing.txt: cannot be read (No such file or directory)" in result.output


def test_eval_extraction_prints_scores(shared: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "eval-extraction",
            "--gold",
            str(shared / "data" / "gold"),
            "--texts",
            str(shared / "data"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["quantities"]["gold"] == 77 and scores["quantities"]["f1"] >= 0.9


@pytest.mark.neo4j
def test_extract_write_creates_targets_the_ledger_reads(
    db: neo4j.Driver, settings: Settings, shared: Path
) -> None:
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
    }
    seed = shared / "data" / "seed" / "xixian-carbon-peak-plan-news.en.txt"
    for _ in range(2):  # idempotent
        result = CliRunner().invoke(app, ["extract", str(seed), "--write"], env=env)
        assert result.exit_code == 0, result.output
    records, _, _ = db.execute_query(
        "MATCH (t:Target)-[s:STATED_IN]->(d:Document) RETURN t.indicator_key AS key, t.value AS v, t.deadline AS y, "
        "t.prov_extractor AS ex, s.start AS start, d.sha256 AS sha ORDER BY start"
    )
    assert len(records) == 9
    assert [(r["key"], r["v"], r["y"]) for r in records][:4] == [
        ("non_fossil_share", 16.0, 2025),
        ("non_fossil_share", 20.0, 2030),
        ("rd_activity_share", 50.0, 2030),
        ("national_hightech_enterprises", 3500.0, 2025),
    ]
    assert all(r["ex"] == "nlp:quantities@1" and len(r["sha"]) == 64 for r in records)
