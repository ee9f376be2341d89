"""A page of organisations whose total the maintained counts give is found by one of three
plans, chosen in the query by those counts (graph.reads.organizations.PAGE_PLANS): a walk
in sort order, the holders of the recognitions asked for, or everyone in the area; none
runs when nobody matches. Each plan must give the same page, total and cursors, and the
chosen one the same as all."""

from __future__ import annotations

from datetime import date
from typing import Any

import neo4j
import pytest

from graph.reads.organizations import PAGE_PLANS, organizations_page
from tests.api_demo import cypher, demo

pytestmark = pytest.mark.neo4j

__all__ = ["demo"]

DAY = date(2025, 6, 30)
PLANS = (None, *PAGE_PLANS)  # None: the one the counts choose


def _page(
    driver: neo4j.Driver, plan: str | None, **kw: Any
) -> tuple[int, tuple[tuple[Any, ...], ...]]:
    query, params = organizations_page(as_of=DAY, plan=plan, related=frozenset(), **kw)
    (row,) = cypher(driver, query, **params)
    return row["total"], tuple((o["id"], tuple(o["sort_key"])) for o in row["items"])


def _filters(driver: neo4j.Driver) -> list[dict[str, Any]]:
    (row,) = cypher(
        driver,
        "MATCH (o:Organization)-[:LOCATED_IN]->(a:Area) WITH a, count(o) AS n "
        "ORDER BY n DESC, a.id RETURN collect(a.id) AS areas",
    )
    (tech,) = cypher(
        driver,
        "MATCH (:Organization)-[:WORKS_ON]->(t:Technology) WITH t, count(*) AS n "
        "ORDER BY n DESC, t.id LIMIT 1 RETURN t.id AS id",
    )
    big, small = row["areas"][0], row["areas"][-1]
    return [
        {"recognition": "national_hightech"},
        {"recognition": "national_hightech", "area": big},
        {"recognition": "national_hightech", "area": small},
        {"recognition": "new_rd_institution", "area": big},
        {"recognition": "national_hightech", "technology": tech["id"]},
        {"recognitions": ["national_hightech", "enterprise_tech_centre"], "area": big},
        {"recognition": "national_hightech", "sort": "ID", "descending": True},
        {"recognition": "national_hightech", "sort": "NAME", "descending": True, "area": big},
        {"recognition": "specialized_sme", "area": small},  # likely nobody
    ]


@pytest.mark.usefixtures("demo")
def test_every_plan_gives_the_same_pages_totals_and_cursors(driver: neo4j.Driver) -> None:
    seen_empty = seen_full = False
    for filters in _filters(driver):
        for first in (1, 7):
            pages = {p: _page(driver, p, offset=0, limit=first + 1, **filters) for p in PLANS}
            assert len(set(pages.values())) == 1, (filters, pages)
            total, items = pages[None]
            seen_empty |= total == 0 and items == ()
            seen_full |= len(items) == first + 1
            if items:  # the page after the last row of this one, by its key and by offset
                key = list(items[-1][1])
                after = {
                    _page(driver, p, offset=0, limit=first, after=key, **filters) for p in PLANS
                }
                skipped = {
                    _page(driver, p, offset=first + 1, limit=first, **filters) for p in PLANS
                }
                assert len(after | skipped) == 1, filters
    # the filters reach both an empty answer and full pages
    assert seen_empty and seen_full


@pytest.mark.usefixtures("demo")
def test_the_total_is_the_number_of_rows_whichever_plan_runs(driver: neo4j.Driver) -> None:
    for filters in _filters(driver):
        for plan in PLANS:
            total, items = _page(driver, plan, offset=0, limit=100_000, **filters)
            assert total == len(items) == len({i for i, _ in items}), filters


def test_an_unknown_plan_is_refused_naming_the_plans() -> None:
    with pytest.raises(ValueError, match="plan 'scan': use one of walk, held, area"):
        organizations_page(as_of=DAY, offset=0, limit=5, recognition="x", plan="scan")
