"""The district's numbers are the district's (issue 13, point 7): the ledger without an area
counts what lies in the plan's district (the root area); `counts(groupBy: AREA)` has a bucket
for organisations with no area, so that the views reconcile; `load --file ... --area` gives
rows without a region an area; per-area views compare an area only with its own targets
and show its contribution to the district's."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import neo4j
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.settings import Settings
from graph.model import Label, RelType
from graph.records import NodeRecord, RelRecord
from graph.writer import Writer
from loaders.provenance import Provenance
from loaders.vocabulary import vocabulary
from tests.api_demo import cypher, run

pytestmark = pytest.mark.neo4j

AS_OF = "2025-06-30"
RD_CENTRES = list(vocabulary().recognition_groups["rd_centres"])
LEDGER = """query($d: Date, $a: String) { ledger(asOf: $d, area: $a) {
  targetId actual status scopeArea area contribution progress target } }"""
TOTAL = """query($d: Date, $a: String, $r: String, $rs: [String!]) {
  organizations(asOf: $d, area: $a, recognition: $r, recognitions: $rs) { totalCount } }"""
COUNTS = """query($d: Date, $a: String) {
  counts(groupBy: AREA, recognition: "national_hightech", asOf: $d, area: $a) { key count unassigned } }"""


def _target(key: str, indicator: str, value: float, area: str | None = None) -> NodeRecord:
    return NodeRecord(
        Label.TARGET,
        key,
        {
            "indicator": indicator,
            "indicator_key": indicator,
            "comparator": ">=",
            "value": value,
            "unit": "count",
            "deadline": 2030,
            **({"area": area} if area else {}),
        },
        Provenance("seed-plan", "nlp:test"),
    )


@pytest.fixture(scope="module")
def targets(demo: None, driver: neo4j.Driver) -> None:
    doc = NodeRecord(Label.DOCUMENT, "seed-plan", {"title": "plan"}, Provenance("test", "t"))
    nodes = [
        _target("t-hightech", "national_hightech_enterprises", 3500),
        _target("t-rd", "enterprise_rd_centres", 150),
        _target("t-fengdong", "national_hightech_enterprises", 40, area="fengdong"),
    ]
    rels = [RelRecord(RelType.STATED_IN, t.ref, doc.ref, {}, t.prov) for t in nodes]
    Writer(driver).write([doc, *nodes], rels)


def ledger(settings: Settings, area: str | None = None) -> dict[str, dict[str, Any]]:
    data, _ = run(settings, LEDGER, {"d": AS_OF, "a": area})
    return {r["targetId"]: r for r in data["ledger"]}


def total(settings: Settings, **variables: Any) -> int:
    data, _ = run(settings, TOTAL, {"d": AS_OF, **variables})
    return int(data["organizations"]["totalCount"])


def counts(settings: Settings, area: str | None = None) -> list[dict[str, Any]]:
    data, _ = run(settings, COUNTS, {"d": AS_OF, "a": area})
    rows: list[dict[str, Any]] = data["counts"]
    return rows


def test_the_district_ledger_counts_the_root_area_only(
    targets: None, settings: Settings, driver: neo4j.Driver
) -> None:
    rows = ledger(settings)
    assert rows == ledger(settings, "xixian")  # the district, said or not
    district = total(settings, rs=RD_CENTRES, a="xixian")
    everywhere = total(settings, rs=RD_CENTRES)
    # the real NDRC list holds national centres located elsewhere in the province
    elsewhere = cypher(
        driver,
        "MATCH (o:Organization)-[:HOLDS]->(r:Recognition) WHERE r.kind IN $kinds "
        "AND r.valid_from <= $d AND (r.valid_to IS NULL OR r.valid_to >= $d) "
        "AND NOT (o)-[:LOCATED_IN]->(:Area) RETURN count(DISTINCT o) AS n",
        kinds=RD_CENTRES,
        d=date(2025, 6, 30),
    )[0]["n"]
    assert elsewhere > 0 and everywhere == district + elsewhere
    assert rows["t-rd"]["actual"] == district
    assert rows["t-rd"]["scopeArea"] == "xixian" and rows["t-rd"]["contribution"] is False
    # a city's own target is counted in the city, compared with its own value
    assert rows["t-fengdong"]["actual"] == total(settings, r="national_hightech", a="fengdong")
    assert rows["t-fengdong"]["area"] == "fengdong" and not rows["t-fengdong"]["contribution"]


def test_counts_by_area_reconcile_with_the_ledger_and_the_lists(
    targets: None, settings: Settings
) -> None:
    buckets = counts(settings)
    unassigned = [b for b in buckets if b["unassigned"]]
    assert len(unassigned) <= 1 and all(b["key"] == "none" for b in unassigned)
    assert sum(b["count"] for b in buckets) == total(settings, r="national_hightech")
    located = sum(b["count"] for b in buckets if not b["unassigned"])
    assert located == total(settings, r="national_hightech", a="xixian")
    assert located == ledger(settings)["t-hightech"]["actual"]
    in_district = counts(settings, "xixian")
    assert not any(b["unassigned"] for b in in_district)
    assert sum(b["count"] for b in in_district) == located


def test_a_city_is_compared_only_with_its_own_targets(targets: None, settings: Settings) -> None:
    rows = ledger(settings, "fengdong")
    city = total(settings, r="national_hightech", a="fengdong")
    own = rows["t-fengdong"]
    assert own["contribution"] is False and own["status"] != "contribution"
    district = rows["t-hightech"]
    assert (district["actual"], district["contribution"], district["status"]) == (
        city,
        True,
        "contribution",
    )
    assert district["scopeArea"] == "xixian" and district["area"] == "fengdong"
    assert district["progress"] == pytest.approx(city / 3500)
    # another city's target is not shown in Fengdong's view
    assert "t-fengdong" not in ledger(settings, "qinhan")


def _firms_csv(path: Path, prefix: str, n: int, region: str = "") -> Path:
    lines = ["企业名称,发证日期,所在区域"] + [
        f"{prefix}科技有限公司{i},2024-11-20,{region}" for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _load(settings: Settings, *args: str) -> tuple[int, str]:
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(cli, ["load", "--quiet", *args], env=env)
    return result.exit_code, result.output


def test_load_file_sets_a_default_area_and_every_total_still_reconciles(
    targets: None, settings: Settings, tmp_path: Path
) -> None:
    before = ledger(settings)
    city_before = total(settings, r="national_hightech", a="fengdong")

    plain = _firms_csv(tmp_path / "no-area.csv", "测试无区域", 3)
    code, output = _load(settings, "--file", str(plain), "--kind", "hightech")
    assert code == 0, output
    buckets = counts(settings)
    (none,) = [b for b in buckets if b["unassigned"]]
    assert none["count"] >= 3  # the new firms, in a bucket of their own
    assert sum(b["count"] for b in buckets) == total(settings, r="national_hightech")
    assert ledger(settings)["t-hightech"]["actual"] == before["t-hightech"]["actual"]

    defaulted = _firms_csv(tmp_path / "fengdong.csv", "测试沣东", 4)
    code, output = _load(
        settings, "--file", str(defaulted), "--kind", "hightech", "--area", "fengdong"
    )
    assert code == 0, output
    assert total(settings, r="national_hightech", a="fengdong") == city_before + 4
    assert ledger(settings)["t-hightech"]["actual"] == before["t-hightech"]["actual"] + 4
    (still,) = [b for b in counts(settings) if b["unassigned"]]
    assert still["count"] == none["count"]

    # a row that names a place outside the district is not moved into the default area
    baoji = _firms_csv(tmp_path / "baoji.csv", "测试宝鸡", 2, region="宝鸡市")
    code, output = _load(settings, "--file", str(baoji), "--kind", "hightech", "--area", "fengdong")
    assert code == 0, output
    assert total(settings, r="national_hightech", a="fengdong") == city_before + 4


def test_an_unknown_default_area_is_refused_before_anything_loads(
    targets: None, settings: Settings, tmp_path: Path, driver: neo4j.Driver
) -> None:
    path = _firms_csv(tmp_path / "nowhere.csv", "测试无处", 2)
    code, output = _load(settings, "--file", str(path), "--kind", "hightech", "--area", "fengdon")
    assert code == 1
    assert "default area 'fengdon'" in output and "did you mean fengdong" in output
    assert "fengxi" in output  # the valid ones
    found = cypher(
        driver, "MATCH (o:Organization) WHERE o.name STARTS WITH '测试无处' RETURN count(o) AS n"
    )
    assert found == [{"n": 0}]
