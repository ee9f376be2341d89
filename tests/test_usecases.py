"""The use cases below the CLI, called as plain functions (no typer, no rich), on the real
Neo4j where they need one."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field, replace
from pathlib import Path

import neo4j
import pytest

from api.settings import Settings
from api.usecases import demo
from api.usecases.evaluate import evaluate_extraction
from api.usecases.events import Events
from api.usecases.extract import extract_texts
from api.usecases.lexicon import lexicon_cache, refresh_lexicon
from api.usecases.load import load_sources
from api.usecases.prepare import start_local
from graph.driver import local_server
from graph.errors import LocalNeo4jError
from graph.ingest import LoadReport
from loaders.demo import DemoSize
from loaders.sources import SourceSpec
from nlp.errors import ExtractionError


@dataclass
class Recorded:
    """Every event a use case reports, in order."""

    seen: list[tuple[str, object]] = field(default_factory=list)

    def events(self) -> Events:
        def note(kind: str) -> object:
            return lambda *args: self.seen.append((kind, args[0] if len(args) == 1 else args))

        return Events(**{name: note(name) for name in Events.__dataclass_fields__})  # type: ignore[arg-type]

    def of(self, kind: str) -> list[object]:
        return [value for k, value in self.seen if k == kind]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _at(settings: Settings, data_dir: Path) -> Settings:
    """The test server, from another data directory (given as a server by URI, so that its
    password is not looked for in that directory)."""
    if settings.local:
        password = local_server(settings).password()
        return replace(
            settings, data_dir=data_dir, neo4j_uri=settings.bolt_uri, neo4j_password=password
        )
    return replace(settings, data_dir=data_dir)


LIST = "企业名称,统一社会信用代码,发证日期\n陕西甲氢能科技有限公司,91350100M000100Y43,2023-12-12\n"


@pytest.mark.neo4j
def test_load_reports_a_failing_source_and_loads_the_rest(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    good = tmp_path / "list.csv"
    good.write_text(LIST, encoding="utf-8")
    missing = tmp_path / "gone.csv"
    specs = [
        SourceSpec("t.missing", "hightech", str(missing)),
        SourceSpec("t.good", "hightech", str(good)),
    ]
    recorded = Recorded()
    run = load_sources(_at(settings, tmp_path), specs, events=recorded.events())
    assert [r.source for r in run.reports] == ["t.good"]
    assert run.reports[0].rows_ok == 1
    ((name, message),) = run.failed
    assert name == "t.missing" and str(missing) in message and "cannot be read" in message
    assert recorded.of("on_source_start") == ["t.missing", "t.good"]
    assert recorded.of("on_source_failed") == [("t.missing", message)]
    (done,) = recorded.of("on_source_done")
    assert isinstance(done, LoadReport) and done.source == "t.good"
    assert recorded.of("on_rows")[-1] == ("t.good", 1, 1)
    assert recorded.seen[0] == ("on_load_start", ()) and recorded.seen[-1] == ("on_load_end", ())
    records, _, _ = db.execute_query(
        "MATCH (o:Firm {uscc: '91350100M000100Y43'}) RETURN o.name AS n"
    )
    assert [r["n"] for r in records] == ["陕西甲氢能科技有限公司"]


@pytest.mark.neo4j
def test_lexicon_is_kept_and_used_when_the_graph_does_not_answer(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    db.execute_query("CREATE (:Organization {id: 'org-qc', name: '陕西秦创碲化镉新能源有限公司'})")
    here = _at(settings, tmp_path)
    recorded = Recorded()
    fresh = refresh_lexicon(here, events=recorded.events())
    assert fresh.source == "graph" and fresh.registry_names >= 1
    assert recorded.of("on_message") == [
        f"gazetteer: {fresh.registry_names:,} registry names from the graph"
    ]
    cache = lexicon_cache(here)
    assert "陕西秦创碲化镉新能源有限公司" in cache.read_text(encoding="utf-8")

    down = replace(here, neo4j_uri=f"bolt://127.0.0.1:{_closed_port()}")
    recorded = Recorded()
    kept = refresh_lexicon(down, events=recorded.events())
    assert kept.source == "cache" and kept.registry_names == fresh.registry_names
    assert kept.gazetteer.link("ORG", "陕西秦创碲化镉新能源有限公司").node == "org-qc"
    (warning,) = recorded.of("on_warning")
    assert "the graph did not answer" in str(warning) and "using the cached names" in str(warning)

    nothing = refresh_lexicon(replace(down, data_dir=tmp_path / "empty"))
    assert nothing.source == "seed" and nothing.registry_names == 0


PLAN = (
    "Xixian carbon peak plan\n\nBy 2025, the share of non-fossil energy in Xixian New Area "
    "will reach 16%, and the number of national high-tech enterprises will reach 3,500.\n"
)
SMALL = DemoSize(
    firms=150, rd_institutions=5, consortia=4, standards=12, tech_centres=8, rd_centres=5
)


@pytest.mark.neo4j
def test_demo_loads_the_sources_and_the_plan_targets(
    db: neo4j.Driver, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.en.txt"
    plan.write_text(PLAN, encoding="utf-8")
    monkeypatch.setattr(demo, "demo_plan", lambda lang: plan)
    recorded = Recorded()
    run = demo.run_demo(_at(settings, tmp_path), size=SMALL, events=recorded.events())
    assert run.load.failed == [] and len(run.load.reports) == 9
    assert run.files["firms"] == 150 and (tmp_path / "demo" / "hightech_enterprises.xlsx").is_file()
    assert run.targets == 2
    assert "plan targets: 2 read from plan.en.txt" in recorded.of("on_message")
    records, _, _ = db.execute_query(
        "MATCH (t:Target)-[:STATED_IN]->(d:Document) RETURN t.value AS v, d.id AS doc ORDER BY v"
    )
    assert [(r["v"], r["doc"]) for r in records] == [(16.0, "plan.en.txt"), (3500.0, "plan.en.txt")]
    records, _, _ = db.execute_query("MATCH (f:Firm) RETURN count(f) AS n")
    assert 100 <= records[0]["n"] <= 300


@pytest.mark.neo4j
def test_demo_without_plan_text_says_so_and_goes_on(
    db: neo4j.Driver, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-plan.en.txt"
    monkeypatch.setattr(demo, "demo_plan", lambda lang: missing)
    recorded = Recorded()
    run = demo.run_demo(_at(settings, tmp_path), size=SMALL, events=recorded.events())
    assert run.targets is None and run.load.failed == []
    assert recorded.of("on_warning") == [f"no plan text at {missing}: the ledger starts empty"]
    records, _, _ = db.execute_query("MATCH (t:Target) RETURN count(t) AS n")
    assert records[0]["n"] == 0


def _jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def test_evaluate_scores_a_tiny_gold(tmp_path: Path) -> None:
    texts, gold = tmp_path / "texts", tmp_path / "gold"
    (texts / "news").mkdir(parents=True)
    gold.mkdir()
    body = "到2027年,全市高新技术企业数量力争达到1.2万家以上。"
    # the gold's offsets count from after the source-URL line
    (texts / "news" / "plan.txt").write_text("https://example.org/plan\n" + body, "utf-8")
    start = body.index("1.2万家")
    quantity = {"doc": "plan.txt", "value": 12000, "unit": "count", "kind": "target"}
    _jsonl(gold / "quantities.jsonl", [{**quantity, "start": start, "end": start + 5}])
    run = evaluate_extraction(gold, texts)
    assert run.quantity_gold == 1 and run.entities == {}
    overall = run.quantities.overall.as_dict()
    assert (overall["tp"], overall["predicted"], overall["gold"]) == (1, 1, 1)
    assert run.quantities.attributes["kind"] == 1.0
    assert run.as_dict()["quantities"]["f1"] == 1.0

    _jsonl(gold / "quantities.jsonl", [{**quantity, "doc": "elsewhere.txt", "start": 0, "end": 1}])
    with pytest.raises(ExtractionError, match=r"elsewhere\.txt \(named in the gold\) is not under"):
        evaluate_extraction(gold, texts)
    with pytest.raises(ExtractionError, match=r"neither quantities\.jsonl nor entities\.jsonl"):
        evaluate_extraction(tmp_path / "nothing", texts)


def test_extract_emits_records_and_reports_unreadable_files(tmp_path: Path) -> None:
    good = tmp_path / "plan.txt"
    good.write_bytes("到2027年,全市高新技术企业数量力争达到1.2万家以上。".encode("gbk"))
    missing = tmp_path / "missing.txt"
    rows: list[dict[str, object]] = []
    recorded = Recorded()
    run = extract_texts(
        Settings(data_dir=tmp_path),
        [missing, good],
        refresh=False,
        emit=rows.append,
        events=recorded.events(),
    )
    ((path, message),) = run.failed
    assert path == str(missing) and "cannot be read" in message
    assert recorded.of("on_file_failed") == [(path, message)]
    assert run.files == 2 and run.records == len(rows) and run.written == {}
    assert [(r["doc"], r["value"]) for r in rows if r["type"] == "quantity"] == [
        ("plan.txt", 12000.0)
    ]
    assert recorded.of("on_bytes")[-1] == (good.stat().st_size,) * 2
    with pytest.raises(ExtractionError, match="--lang 'fr'"):
        extract_texts(Settings(data_dir=tmp_path), [good], lang="fr", refresh=False)


def test_start_local_refuses_a_server_given_by_uri() -> None:
    given = Settings(neo4j_uri="neo4j://db.example:7687", neo4j_password="x")
    with pytest.raises(LocalNeo4jError, match=r"NEO4J_URI=neo4j://db\.example:7687 is set"):
        start_local(given)
