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

from graph.reads.counted import counted_group
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


def _plans(filters: dict[str, Any]) -> tuple[str | None, ...]:
    """The plans a page with these filters can be asked for: all when the maintained counts
    give its total, else only the one way (None)."""
    counted = counted_group(filters.get("recognition"), filters.get("recognitions"))
    return PLANS if counted is not None else (None,)


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
            plans = _plans(filters)
            pages = {p: _page(driver, p, offset=0, limit=first + 1, **filters) for p in plans}
            assert len(set(pages.values())) == 1, (filters, pages)
            total, items = pages[None]
            seen_empty |= total == 0 and items == ()
            seen_full |= len(items) == first + 1
            if items:  # the page after the last row of this one, by its key and by offset
                key = list(items[-1][1])
                after = {
                    _page(driver, p, offset=0, limit=first, after=key, **filters) for p in plans
                }
                skipped = {
                    _page(driver, p, offset=first + 1, limit=first, **filters) for p in plans
                }
                assert len(after | skipped) == 1, filters
    # the filters reach both an empty answer and full pages
    assert seen_empty and seen_full


@pytest.mark.usefixtures("demo")
def test_the_total_is_the_number_of_rows_whichever_plan_runs(driver: neo4j.Driver) -> None:
    for filters in _filters(driver):
        for plan in _plans(filters):
            total, items = _page(driver, plan, offset=0, limit=100_000, **filters)
            assert total == len(items) == len({i for i, _ in items}), filters


def test_an_unknown_plan_is_refused_naming_the_plans() -> None:
    with pytest.raises(ValueError, match="plan 'scan': use one of walk, held, area"):
        organizations_page(as_of=DAY, offset=0, limit=5, recognition="x", plan="scan")


def _scan_counts(driver: neo4j.Driver, filters: dict[str, Any]) -> tuple[int, int, int]:
    """(matching here, organisations, matching in the whole registry), counted by a scan."""
    kinds = filters.get("recognitions") or [filters["recognition"]]
    (row,) = cypher(
        driver,
        # every entry counts in the registry's size; only those not merged away match
        "MATCH (o:Organization) "
        "WITH o, NOT EXISTS { (o)-[:SAME_AS]->() } AND EXISTS { (o)-[:HOLDS]->(r:Recognition) "
        "WHERE r.kind IN $kinds "
        "AND r.valid_from <= $day AND (r.valid_to IS NULL OR r.valid_to >= $day) } AS held, "
        "$area IS NULL OR EXISTS { (o)-[:LOCATED_IN]->(:Area)-[:PART_OF*0..]->(:Area {id: $area}) } "
        "AS here "
        "RETURN count(o) AS orgs, sum(CASE WHEN held THEN 1 ELSE 0 END) AS all, "
        "sum(CASE WHEN held AND here THEN 1 ELSE 0 END) AS total",
        kinds=kinds,
        day=DAY,
        area=filters.get("area"),
    )
    return row["total"], row["orgs"], row["all"]


@pytest.mark.usefixtures("demo")
def test_the_plan_that_runs_is_the_cheapest_by_the_documented_estimates(
    driver: neo4j.Driver,
) -> None:
    """PAGE_PLANS' estimates (rows x orgs / total; 2 x all; orgs x total / all), from counts
    taken here by a scan, choose the plan the query reports; the demo's filters reach all
    three plans, and no plan when nobody matches or the total is counted by a scan."""
    chosen = set()
    for filters in _filters(driver):
        if "technology" in filters:
            continue  # the estimates take no technology share
        for first in (1, 50):
            query, params = organizations_page(
                as_of=DAY, offset=0, limit=first + 1, related=frozenset(), **filters
            )
            (row,) = cypher(driver, query, **params)
            total, orgs, all_ = _scan_counts(driver, filters)
            assert row["total"] == total, filters
            if total == 0 or _plans(filters) == (None,):  # none ran, or there is one way
                assert row["plan"] is None, filters
                continue
            cost = {"walk": (first + 1) * orgs / total, "held": 2.0 * all_}
            if "area" in filters:
                cost["area"] = orgs * total / all_
            assert cost[row["plan"]] == min(cost.values()), (filters, first, cost, row["plan"])
            chosen.add(row["plan"])
    assert chosen == set(PAGE_PLANS)


def test_a_plan_is_refused_where_the_total_is_not_maintained() -> None:
    for kw in ({"text": "光伏"}, {"kind": "firm"}, {"count": False}):
        with pytest.raises(ValueError, match="chooses a plan only when the maintained counts"):
            organizations_page(as_of=DAY, offset=0, limit=5, recognition="x", plan="walk", **kw)
