"""The README's main job, loading only: `innograph demo --no-serve` on the real server."""

from __future__ import annotations

import neo4j
import pytest
from typer.testing import CliRunner

from api.cli import app
from api.settings import Settings
from graph.stats import graph_stats
from loaders.demo import demo_plan

pytestmark = pytest.mark.neo4j


def test_demo_loads_a_synthetic_ecosystem_plus_the_real_rows(
    db: neo4j.Driver, settings: Settings
) -> None:
    env = {
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
        "COLUMNS": "200",
    }
    result = CliRunner().invoke(app, ["demo", "--no-serve"], env=env)
    assert result.exit_code == 0, result.output
    assert "load summary" in result.output and "ready in" in result.output
    stats = graph_stats(db)
    assert 3500 <= stats.nodes["Firm"] <= 4300
    assert stats.nodes["Consortium"] == 30
    assert stats.nodes["GroupStandard"] >= 300
    assert stats.nodes["Area"] == 6 and stats.nodes["Source"] == 9
    records, _, _ = db.execute_query(
        "MATCH (o:Organization)-[:LOCATED_IN]->(a:Area) WHERE a.kind = 'new_city' "
        "RETURN count(DISTINCT a) AS cities, count(DISTINCT o) AS orgs"
    )
    assert records[0]["cities"] == 5 and records[0]["orgs"] > 3500
    records, _, _ = db.execute_query(
        "MATCH (r:Recognition) RETURN r.kind AS kind, count(*) AS n, min(r.year) AS first, max(r.year) AS last"
    )
    kinds = {r["kind"]: (r["n"], r["first"], r["last"]) for r in records}
    assert kinds["national_hightech"][1:] == (2019, 2025)
    assert kinds["new_rd_institution"][0] >= 38
    assert {"enterprise_tech_centre", "enterprise_rd_centre", "tech_innovation_demo"} <= set(kinds)
    records, _, _ = db.execute_query(
        "MATCH (r:Recognition {kind: 'enterprise_tech_centre'}) RETURN collect(DISTINCT r.level) AS levels"
    )
    assert set(records[0]["levels"]) >= {"national", "provincial", "municipal"}
    # the plan's nine targets, read from the plan document by the extractor, feed the ledger
    records, _, _ = db.execute_query(
        "MATCH (t:Target)-[:STATED_IN]->(d:Document) RETURN t.indicator_key AS key, d.id AS doc"
    )
    assert len(records) == 9 and all(r["key"] for r in records)
    assert {r["doc"] for r in records} == {demo_plan("en").name}  # the repository's plan
    records, _, _ = db.execute_query(
        "MATCH (s:Source) RETURN s.id AS id, s.synthetic AS synthetic ORDER BY id"
    )
    assert all(r["synthetic"] == r["id"].startswith("demo.") for r in records)
