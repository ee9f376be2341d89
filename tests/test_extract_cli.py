"""`innograph extract` and `eval-extraction` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import neo4j
import pytest
from typer.testing import CliRunner, Result

from api.cli import app
from api.settings import Settings
from loaders.demo import demo_plan


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
    lines = [r for r in lines if r["type"] == "quantity"]
    assert [(r["doc"], r["value"], r["unit"], r["year"]) for r in lines] == [
        ("plan.txt", 12000.0, "count", 2027)
    ]
    assert good.read_bytes().decode("gbk")[lines[0]["start"] : lines[0]["end"]] == "1.2万家"
    assert (
        "empty.txt: the file is empty" in result.output
        and "blob.txt: binary content" in result.output
    )
    assert "missing.txt: cannot be read (No such file or directory)" in result.output


def _eval(shared: Path, flag: str) -> Result:
    """`innograph eval-extraction` on the shared dev gold, with ``flag``."""
    gold, texts = str(shared / "data" / "gold"), str(shared / "data")
    return CliRunner().invoke(app, ["eval-extraction", "--gold", gold, "--texts", texts, flag])


def test_eval_extraction_prints_scores(shared: Path) -> None:
    result = _eval(shared, "--json")
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["quantities"]["gold"] == 77 and scores["quantities"]["f1"] >= 0.9
    entities = scores["entities"]
    assert set(entities["lenient"]) == {"AREA", "ORG", "TECH", "micro"}
    assert entities["lenient"]["micro"]["gold"] == 103
    assert entities["lenient"]["micro"]["f1"] >= 0.85  # the dev score when this was written
    # every error listed once: as many missed rows as the count says
    listed = scores["error_rows"]["quantities"]
    assert sum(r["error"] == "missed" for r in listed) == scores["errors"]["quantities"]["missed"]
    text = _eval(shared, "--errors")
    assert text.exit_code == 0, text.output
    lines = [line for line in text.stdout.splitlines() if line.startswith(("quantity ", "entity "))]
    errors = [line for line in lines if " errors " not in line]
    assert len(errors) == len(listed) + len(scores["error_rows"]["entities"])
    assert all(" | got " in line for line in errors)


def _env(settings: Settings) -> dict[str, str]:
    """The CLI's environment for the test server."""
    return {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
    }


@pytest.mark.neo4j
def test_extract_write_creates_targets_the_ledger_reads(
    db: neo4j.Driver, settings: Settings
) -> None:
    env = _env(settings)
    seed = demo_plan("en")
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


MIXED = (
    "西咸新区光伏产业创新联合体成立，牵头单位为陕西秦创碲化镉新能源有限公司，成员单位包括西北工业大学。\n\n"
    "陕西秦创碲化镉新能源有限公司主要研发碲化镉薄膜电池，参与起草团体标准T/CPIA 0028.2—2024。\n\n"
    "By 2025, Fengxi New City will host 30 enterprise R&D centres working on energy storage.\n"
)


def test_extract_jsonl_contract_for_entities_and_relations(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_bytes(MIXED.encode("gb18030"))
    result = CliRunner().invoke(
        app,
        ["--data-dir", str(tmp_path), "extract", str(path), "--no-refresh"],
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    entities = [r for r in rows if r["type"] == "entity"]
    assert all(
        {"doc", "label", "text", "start", "end", "link"} <= set(r) and r["doc"] == "news.txt"
        for r in entities
    )
    assert all(MIXED[r["start"] : r["end"]] == r["text"] for r in entities)
    assert ("TECH", "碲化镉薄膜电池", "cdte-thin-film") in {
        (r["label"], r["text"], r["link"]) for r in entities
    }
    assert ("AREA", "Fengxi New City", "fengxi") in {
        (r["label"], r["text"], r["link"]) for r in entities
    }
    relations = {
        (r["relation"], r["role"], r["head"]["text"], r["tail"]["text"])
        for r in rows
        if r["type"] == "relation"
    }
    assert relations == {
        ("MEMBER_OF", "lead", "陕西秦创碲化镉新能源有限公司", "西咸新区光伏产业创新联合体"),
        ("MEMBER_OF", "member", "西北工业大学", "西咸新区光伏产业创新联合体"),
        ("WORKS_ON", None, "陕西秦创碲化镉新能源有限公司", "碲化镉薄膜电池"),
        ("DRAFTED", "drafter", "陕西秦创碲化镉新能源有限公司", "T/CPIA 0028.2—2024"),
    }
    quantity = next(r for r in rows if r["type"] == "quantity")
    assert MIXED[quantity["start"] : quantity["end"]] == quantity["evidence"]
    assert {r["lang"] for r in entities if r["text"] == "Fengxi New City"} == {"en"}
    # --lang forces one pipeline for every paragraph
    forced = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path), "extract", str(path), "--no-refresh", "--lang", "zh"]
    )
    forced_rows = [json.loads(line) for line in forced.stdout.splitlines()]
    assert {r["lang"] for r in forced_rows if r["type"] == "entity"} == {"zh"}
    bad = CliRunner().invoke(app, ["extract", str(path), "--no-refresh", "--lang", "fr"])
    assert bad.exit_code == 1 and "--lang 'fr': use auto, zh or en" in bad.output


@pytest.mark.neo4j
def test_extract_write_links_mentions_and_relations_to_the_registry(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    db.execute_query(
        "CREATE (:Organization {id: 'org-qc', name: '陕西秦创碲化镉新能源有限公司'}), "
        "(:Consortium {id: 'cons-pv', name: '西咸新区光伏产业创新联合体'}), "
        "(:Technology {id: 'cdte-thin-film', name_zh: '碲化镉薄膜电池', name_en: 'CdTe thin-film solar cells'}), "
        "(:GroupStandard {code: 'T/CPIA 0028.2—2024'}), (:Area {id: 'fengxi', name_zh: '沣西新城', name_en: 'Fengxi New City'})"
    )
    path = tmp_path / "news.txt"
    path.write_text(MIXED, encoding="utf-8")
    env = _env(settings)
    digests = []
    for _ in range(2):  # a second run changes nothing
        result = CliRunner().invoke(app, ["extract", str(path), "--write", "--no-jsonl"], env=env)
        assert result.exit_code == 0, result.output
        assert "registry names from the graph" in result.output
        records, _, _ = db.execute_query(
            "MATCH (a)-[r]->(b) RETURN type(r) AS t, coalesce(a.id, a.code) AS a, "
            "coalesce(b.id, b.code) AS b, properties(r) AS p ORDER BY t, a, b, p.start"
        )
        digests.append([(r["t"], r["a"], r["b"], sorted(r["p"].items())) for r in records])
    assert digests[0] == digests[1]
    rels = {(t, a, b): dict(p) for t, a, b, p in digests[0]}
    assert rels[("MEMBER_OF", "org-qc", "cons-pv")]["role"] == "lead"
    for key in (
        ("WORKS_ON", "org-qc", "cdte-thin-film"),
        ("DRAFTED", "org-qc", "T/CPIA 0028.2—2024"),
    ):
        assert rels[key]["prov_extractor"] == "nlp:relations@1"
        assert 0 < rels[key]["prov_confidence"] <= 0.8
        assert MIXED[rels[key]["prov_start"] : rels[key]["prov_end"]].startswith("陕西秦创")
    mentions = [(a, b, p) for t, a, b, p in digests[0] if t == "MENTIONS"]
    assert {b for _, b, _ in mentions} == {
        "org-qc",
        "cons-pv",
        "cdte-thin-film",
        "T/CPIA 0028.2—2024",
        "fengxi",
    }
    for _, _, p in mentions:
        props = dict(p)
        assert MIXED[props["start"] : props["end"]] == props["text"]
        assert (
            props["prov_extractor"] == "nlp:entities@1" and props["prov_source"] == "doc:news.txt"
        )
    records, _, _ = db.execute_query(
        "MATCH (d:Document {id: 'news.txt'}) RETURN d.sha256 AS sha, d.chars AS n"
    )
    assert len(records[0]["sha"]) == 64 and records[0]["n"] == len(MIXED)


@pytest.mark.neo4j
def test_a_target_to_add_new_ones_counts_from_the_documents_date(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    from datetime import date

    from graph import reads

    path = tmp_path / "notice.txt"
    path.write_text(
        "关于印发行动方案的通知\n发布日期：2024年1月5日\n\n到2025年，全区新增国家高新技术企业2家以上。\n",
        encoding="utf-8",
    )
    db.execute_query(
        # in the district: the ledger counts what lies there
        "MERGE (a:Area {id: 'xixian'}) WITH a UNWIND $rows AS r "
        "CREATE (a)<-[:LOCATED_IN]-(:Organization {id: r[0]})-[:HOLDS]->"
        "(:Recognition {id: r[0] + '-r', kind: 'national_hightech', valid_from: date(r[1]), valid_to: date(r[2])})",
        rows=[
            ["old", "2023-01-01", "2025-12-31"],  # recognised before the plan: not new
            ["new-1", "2024-06-01", "2027-05-31"],
            ["new-2", "2024-09-01", "2027-08-31"],
        ],
    )
    # the registry's lists reach 2025 (an R&D centre list), so a day of 2025 has data
    db.execute_query(
        "MATCH (o:Organization {id: 'old'}) CREATE (o)-[:HOLDS]->(:Recognition "
        "{id: 'old-rd', kind: 'enterprise_rd_centre', valid_from: date('2025-03-01')})"
    )
    env = _env(settings)
    result = CliRunner().invoke(app, ["extract", str(path), "--write", "--no-jsonl"], env=env)
    assert result.exit_code == 0, result.output
    records, _, _ = db.execute_query(
        "MATCH (t:Target) RETURN t.indicator_key AS key, t.new_since AS since, t.value AS v"
    )
    assert [(r["key"], r["since"].to_native(), r["v"]) for r in records] == [
        ("national_hightech_enterprises", date(2024, 1, 5), 2.0)
    ]
    text, params = reads.ledger(as_of=date(2025, 6, 30), area=None)
    (row,) = db.execute_query(text, params).records
    assert row["trend"][-1]["value"] == 2.0  # the firm recognised in 2023 is not new


@pytest.mark.neo4j
def test_each_target_keeps_the_sentence_it_was_read_from(
    db: neo4j.Driver, settings: Settings
) -> None:
    env = _env(settings)
    plan = demo_plan("zh")
    result = CliRunner().invoke(app, ["extract", str(plan), "--write"], env=env)
    assert result.exit_code == 0, result.output
    text = plan.read_text(encoding="utf-8")
    records, _, _ = db.execute_query(
        "MATCH (t:Target) RETURN t.evidence AS figure, t.sentence AS sentence ORDER BY t.prov_start"
    )
    assert len(records) == 9
    for r in records:
        assert r["figure"] in r["sentence"] and r["sentence"] in text
        assert r["sentence"].startswith("到20") and r["sentence"].endswith("。")


def test_extract_date_dates_relative_years_unless_the_text_has_its_own(tmp_path: Path) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text("今年，全区新增科技型企业30家。", encoding="utf-8")
    dated = tmp_path / "dated.txt"
    dated.write_text("某区科技局 2021-06-30\n\n今年，全区新增科技型企业40家。", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["extract", str(undated), str(dated), "--date", "2024-03-01", "--no-refresh"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    got = [(r["doc"], r["evidence"], r["year"]) for r in rows if r["type"] == "quantity"]
    assert got == [("undated.txt", "30家", 2024), ("dated.txt", "40家", 2021)]
    bad = CliRunner().invoke(app, ["extract", str(undated), "--date", "March", "--no-refresh"])
    assert bad.exit_code != 0 and "--date 'March'" in bad.output
