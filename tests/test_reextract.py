"""Re-extracting a document replaces what its earlier version stated; the same text writes
nothing (issue 13, point 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import neo4j
import pytest

from api.settings import Settings
from api.usecases.demo import write_plan_targets
from api.usecases.extract import ExtractRun, extract_texts
from graph.cypher import delete_all
from graph.ingest import load_source
from loaders.demo import demo_plan
from loaders.sources import SourceSpec
from tests.graph_digest import graph_digest

pytestmark = pytest.mark.neo4j

CONSORTIA = (
    "联合体名称,牵头单位,成员单位,技术领域,级别,成立时间,所在区域\n"
    "西咸新区光伏产业创新联合体,陕西秦创碲化镉新能源有限公司,西北工业大学,光伏,省级,2023-05-01,沣西新城\n"
)
FIRMS = (
    "企业名称,统一社会信用代码,认定年份,所在区域\n"
    "陕西秦创碲化镉新能源有限公司,,2023,沣西新城\n"
    "西北工业大学,,2023,沣西新城\n"
)
V1 = (
    "西咸新区光伏产业创新联合体成立，牵头单位为陕西秦创碲化镉新能源有限公司，成员单位包括西北工业大学。\n\n"
    "陕西秦创碲化镉新能源有限公司主要研发碲化镉薄膜电池，参与起草团体标准T/CPIA 0028.2—2024。\n\n"
    "到2025年，全区高新技术企业达到3500家，非化石能源消费比重达到16%。\n"
)
# same length up to the first target, so one Target keeps its key (offset) with new values
V2 = (
    "西北工业大学在沣西新城建设新型研发机构，陕西秦创碲化镉新能源有限公司落户沣西新城，两家单位合作开展研究。\n\n"
    "陕西秦创碲化镉新能源有限公司负责人表示，公司将继续扩大产能，服务西咸新区的绿色转型。\n\n"
    "到2030年，全区高新技术企业达到5000家。\n"
)
STANDARD = "CREATE (:GroupStandard {code: 'T/CPIA 0028.2—2024'})"


def _load(db: neo4j.Driver, settings: Settings, tmp: Path, name: str, kind: str, text: str) -> None:
    path = tmp / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    spec = SourceSpec(name=name, kind=kind, uri=str(path))
    load_source(db, spec, path.read_bytes(), reports_dir=tmp / "reports", force=True)


def _registry(db: neo4j.Driver, settings: Settings, tmp: Path) -> None:
    _load(db, settings, tmp, "t.consortia", "consortium", CONSORTIA)
    db.execute_query(STANDARD)


def _extract(settings: Settings, path: Path, text: str, **kw: Any) -> ExtractRun:
    path.write_text(text, encoding="utf-8")
    return extract_texts(settings, [path], write=True, **kw)


def _reset(db: neo4j.Driver) -> None:
    query, params = delete_all()
    with db.session() as session:
        session.run(query, params).consume()  # type: ignore[arg-type]


def _stated(db: neo4j.Driver) -> dict[str, int]:
    records, _, _ = db.execute_query(
        "RETURN COUNT { (:Target)-[:STATED_IN]->(:Document) } AS targets, "
        "COUNT { (:Document)-[:MENTIONS]->() } AS mentions, "
        "COUNT { ()-[r:MEMBER_OF|DRAFTED|WORKS_ON]->() WHERE 'doc:news.txt' IN r.prov_sources } "
        "AS relations"
    )
    return dict(records[0])


def _last_write(db: neo4j.Driver) -> object:
    records, _, _ = db.execute_query(
        "CALL () { MATCH (n) RETURN max(n.updated_at) AS t UNION ALL "
        "MATCH ()-[r]->() RETURN max(r.updated_at) AS t } RETURN max(t) AS t"
    )
    return records[0]["t"]


def test_a_changed_document_replaces_its_old_version(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    doc = tmp_path / "news.txt"
    _registry(db, settings, tmp_path)
    registry_only = graph_digest(db)
    _extract(settings, doc, V1)
    first = _stated(db)
    # v1 states 2 targets, MENTIONS, and MEMBER_OF (shared with the list), WORKS_ON, DRAFTED
    assert first["targets"] == 2 and first["mentions"] >= 6 and first["relations"] == 4
    _extract(settings, doc, V2)
    replaced = graph_digest(db)
    assert _stated(db) == {"targets": 1, "mentions": _stated(db)["mentions"], "relations": 0}
    # the list's memberships stay, with the list as their only source again
    records, _, _ = db.execute_query(
        "MATCH ()-[r:MEMBER_OF]->() RETURN r.prov_sources AS s, r.prov_source AS o"
    )
    assert [(r["s"], r["o"]) for r in records] == [(["t.consortia"], "t.consortia")] * 2
    # the same graph as extracting only v2 into the same registry: nothing of v1 is left
    _reset(db)
    _registry(db, settings, tmp_path)
    assert graph_digest(db) == registry_only
    _extract(settings, doc, V2)
    assert graph_digest(db) == replaced
    # and going back to v1 gives v1's graph again
    _extract(settings, doc, V1)
    assert _stated(db) == first


def test_the_same_text_writes_nothing(db: neo4j.Driver, settings: Settings, tmp_path: Path) -> None:
    doc = tmp_path / "news.txt"
    _registry(db, settings, tmp_path)
    run = _extract(settings, doc, V1)
    assert run.written["news.txt"].rels_created > 0 and run.unchanged == []
    before, stamp = graph_digest(db), _last_write(db)
    records, _, _ = db.execute_query("MATCH (d:Document) RETURN d.updated_at AS t")
    (doc_stamp,) = [r["t"] for r in records]
    shown: list[dict[str, Any]] = []
    again = _extract(settings, doc, V1, emit=shown.append)
    assert again.written == {} and again.unchanged == ["news.txt"]
    assert again.records == len(shown) > 0  # still read: its items are shown
    assert graph_digest(db) == before and _last_write(db) == stamp
    records, _, _ = db.execute_query("MATCH (d:Document) RETURN d.updated_at AS t")
    assert [r["t"] for r in records] == [doc_stamp]
    # without emit the file is not even read again
    quiet = extract_texts(settings, [doc], write=True)
    assert quiet.unchanged == ["news.txt"] and quiet.records == 0
    # --force rewrites it (a registry that learnt names): the same graph again
    forced = extract_texts(settings, [doc], write=True, force=True)
    assert forced.written["news.txt"].nodes_created == 2  # the two targets, anew
    assert graph_digest(db) == before and str(_last_write(db)) > str(stamp)


def test_a_relation_the_document_stated_first_is_handed_to_the_list(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    """The document owned the memberships (it stated them before the consortium list did):
    when its new version no longer states them, the list keeps them, and the list's next
    load writes its own values and provenance on them."""
    _load(db, settings, tmp_path, "t.firms", "hightech", FIRMS)
    # the consortium exists (another lead) before the document names its members
    other_lead = CONSORTIA.replace(
        ",陕西秦创碲化镉新能源有限公司,西北工业大学,", ",陕西甲乙科技有限公司,,"
    )
    _load(db, settings, tmp_path, "t.consortia", "consortium", other_lead)
    doc = tmp_path / "news.txt"
    _extract(settings, doc, V1)
    _load(db, settings, tmp_path, "t.consortia", "consortium", CONSORTIA)
    query = (
        "MATCH (o:Organization)-[r:MEMBER_OF]->(:Consortium) WHERE o.name <> '陕西甲乙科技有限公司' "
        "RETURN properties(r) AS p ORDER BY r.role"
    )
    records, _, _ = db.execute_query(query)
    assert [(r["p"]["prov_source"], r["p"]["prov_sources"]) for r in records] == [
        ("doc:news.txt", ["doc:news.txt", "t.consortia"])
    ] * 2
    _extract(settings, doc, V2)
    records, _, _ = db.execute_query(query)
    assert len(records) == 2, "the list's memberships stay"
    for r in records:
        props = r["p"]
        assert props["prov_sources"] == ["t.consortia"] and props["prov_source"] == "t.consortia"
        assert not any("doc:" in str(v) for v in props.values()), props
    _load(db, settings, tmp_path, "t.consortia", "consortium", CONSORTIA)  # forced
    records, _, _ = db.execute_query(query)
    assert [(r["p"]["role"], r["p"]["prov_row"]) for r in records] == [("lead", 2), ("member", 2)]
    assert all(r["p"]["prov_load"].startswith("t.consortia@") for r in records)


def test_the_demo_plan_is_replaced_when_its_text_changes(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    plan = tmp_path / demo_plan("en").name
    text = demo_plan("en").read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")
    assert write_plan_targets(settings, plan) == 9
    stamp = _last_write(db)
    write_plan_targets(settings, plan)
    assert _last_write(db) == stamp  # the same plan writes nothing
    # the plan drops its last paragraph: its targets go with it
    cut = text[: text.rstrip().rfind("\n\n")]
    plan.write_text(cut, encoding="utf-8")
    kept = write_plan_targets(settings, plan)
    records, _, _ = db.execute_query("MATCH (t:Target) RETURN count(t) AS n")
    assert records[0]["n"] == kept and kept is not None and kept < 9
