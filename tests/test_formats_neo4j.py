"""One list published as CSV, .xls, .xlsx, .ods, .docx and a text-layer PDF loads to the
same graph (the same facts digest), each row's provenance naming its row (and page)."""

from __future__ import annotations

from pathlib import Path

import neo4j
import pytest

from api.settings import Settings
from graph.cypher import delete_all
from graph.ingest import load_source
from loaders.sources import SourceSpec
from tests.graph_digest import facts_digest
from tests.list_fixtures import COLUMNS, write_all

pytestmark = pytest.mark.neo4j


def _load(driver: neo4j.Driver, path: Path, settings: Settings, tmp: Path) -> None:
    spec = SourceSpec("real.enterprise-lists", "recognition", str(path), columns=COLUMNS)
    report = load_source(driver, spec, path.read_bytes(), reports_dir=tmp / path.suffix[1:])
    assert (report.rows, report.rows_ok) == (22, 22), path.name


def test_every_format_loads_to_the_same_graph(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    paths = write_all(tmp_path / "lists")
    digests = {}
    for suffix in ("csv", "xls", "xlsx", "ods", "docx", "pdf"):
        db.execute_query(*delete_all())
        _load(db, paths[suffix], settings, tmp_path)
        digests[suffix] = facts_digest(db)
        if suffix == "pdf":
            records, _, _ = db.execute_query(
                "MATCH (r:Recognition) RETURN r.prov_page AS page, r.prov_row AS row"
            )
            pages = {r["page"] for r in records}
            assert pages == {1, 2} and all(r["row"] for r in records)
    assert digests["csv"][0] > 22  # firms, recognitions, areas, technologies
    assert {s: d for s, d in digests.items() if d != digests["csv"]} == {}
