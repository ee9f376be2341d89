"""Closed vocabularies and registry keys given as arguments are checked (issue 13, point 6):
an unknown kind, recognition kind, level, area, technology or organisation is a GraphQL
error with code UNKNOWN_VALUE naming the valid (or nearest) values, never a silent zero or
an empty list; the known values keep working, in one round trip."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import neo4j
import pytest

from api.graphql import Context, schema
from api.settings import Settings
from graph.driver import open_async_driver
from loaders.vocabulary import vocabulary
from tests.api_demo import AS_OF, cypher, run

pytestmark = pytest.mark.neo4j


def ask(
    settings: Settings, query: str, variables: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """The errors of a query as a client sees them (message, extensions), and its round trips."""

    async def go() -> tuple[list[dict[str, Any]], int]:
        driver = open_async_driver(settings)
        try:
            ctx = Context(driver, settings.neo4j_database)
            result = await schema.execute(query, variable_values=variables, context_value=ctx)
            return [e.formatted for e in result.errors or []], ctx.round_trips
        finally:
            await driver.close()

    return asyncio.run(go())


def refused(settings: Settings, query: str, argument: str, value: str) -> dict[str, Any]:
    errors, _ = ask(settings, query)
    assert len(errors) == 1, errors
    error = errors[0]
    ext = error["extensions"]
    assert ext["code"] == "UNKNOWN_VALUE" and ext["argument"] == argument
    assert ext["value"] == value
    assert error["message"].startswith(f"{argument}: unknown value {value!r}")
    return error


V = vocabulary()


@pytest.mark.parametrize(
    ("query", "argument", "value", "section"),
    [
        (
            '{ organizations(kind: "nonsense") { totalCount } }',
            "kind",
            "nonsense",
            "organization_kinds",
        ),
        (
            '{ organizations(recognition: "nonsense") { totalCount } }',
            "recognition",
            "nonsense",
            "recognition_kinds",
        ),
        (
            '{ organizations(recognitions: ["national_hightech", "nope"]) { totalCount } }',
            "recognitions",
            "nope",
            "recognition_kinds",
        ),
        ('{ organizations(level: "galactic") { totalCount } }', "level", "galactic", "levels"),
        (
            '{ counts(groupBy: AREA, recognition: "nonsense") { key count } }',
            "recognition",
            "nonsense",
            "recognition_kinds",
        ),
    ],
)
def test_a_value_outside_the_vocabulary_is_refused_with_the_valid_ones(
    demo: None, settings: Settings, query: str, argument: str, value: str, section: str
) -> None:
    _, trips = ask(settings, query)
    assert trips == 0  # the vocabulary needs no database
    error = refused(settings, query, argument, value)
    assert error["extensions"]["valid"] == list(V.keys(section))
    assert all(key in error["message"] for key in V.keys(section))


@pytest.mark.parametrize(
    "query",
    [
        '{ organizations(area: "nowhere") { totalCount } }',
        '{ consortia(area: "nowhere") { totalCount } }',
        '{ counts(groupBy: AREA, area: "nowhere") { key count } }',
        '{ coverage(area: "nowhere") { hightechEnterprises } }',
        '{ ledger(area: "nowhere") { actual } }',
    ],
)
def test_an_unknown_area_is_refused_with_every_area(
    demo: None, settings: Settings, driver: neo4j.Driver, query: str
) -> None:
    error = refused(settings, query, "area", "nowhere")
    areas = sorted(r["id"] for r in cypher(driver, "MATCH (a:Area) RETURN a.id AS id"))
    assert error["extensions"]["valid"] == areas and "fengdong" in error["message"]


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ('{ organizations(technology: "nothing") { totalCount } }', "technology"),
        ('{ consortia(technology: "nothing") { totalCount } }', "technology"),
        ('{ groupStandards(technology: "nothing") { totalCount } }', "technology"),
        ('{ technologies(technology: "nothing") { totalCount } }', "technology"),
        ('{ coverage(technologies: ["pv", "nothing"]) { hightechEnterprises } }', "technologies"),
    ],
)
def test_an_unknown_technology_is_refused(
    demo: None, settings: Settings, query: str, argument: str
) -> None:
    error = refused(settings, query, argument, "nothing")
    assert "nothing" not in error["extensions"]["valid"]


def test_a_mistyped_key_is_answered_with_the_nearest_keys(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    error = refused(
        settings,
        '{ organizations(technology: "hydrogen-fuel-cel") { totalCount } }',
        "technology",
        "hydrogen-fuel-cel",
    )
    assert error["extensions"]["valid"][0] == "hydrogen-fuel-cell"
    (org,) = cypher(
        driver, "MATCH (o:Organization) WHERE o.uscc IS NOT NULL RETURN o.id AS id LIMIT 1"
    )
    typo = org["id"][:-1] + ("0" if org["id"][-1] != "0" else "1")
    error = refused(
        settings, f'{{ partners(organization: "{typo}") {{ key }} }}', "organization", typo
    )
    assert org["id"] in error["extensions"]["valid"]
    refused(
        settings, '{ partners(organization: "nonexistent") { key } }', "organization", "nonexistent"
    )
    refused(
        settings,
        f'{{ partners(organization: "{org["id"]}", technology: "nothing") {{ key }} }}',
        "technology",
        "nothing",
    )


def test_known_values_keep_working_in_one_round_trip(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    query = """query($d: Date) { organizations(area: "fengxi", technology: "pv",
      recognition: "national_hightech", kind: "firm", asOf: $d) { totalCount } }"""
    data, trips = run(settings, query, {"d": AS_OF})
    expected = cypher(
        driver,
        "MATCH (o:Organization {kind: 'firm'})-[:LOCATED_IN]->(:Area {id: 'fengxi'}) "
        "WHERE EXISTS { (o)-[:WORKS_ON]->(:Technology)-[:BROADER*0..3]->(:Technology {id: 'pv'}) } "
        "AND EXISTS { (o)-[:HOLDS]->(r:Recognition {kind: 'national_hightech'}) "
        "WHERE r.valid_from <= $d AND r.valid_to >= $d } RETURN count(o) AS n",
        d=date(2025, 6, 30),
    )[0]["n"]
    assert data["organizations"]["totalCount"] == expected > 0 and trips == 1
    # an empty answer for known keys stays an empty answer (a second lookup tells them apart)
    data, trips = run(
        settings, '{ counts(groupBy: AREA, area: "fengxi", asOf: "1990-01-01") { key } }'
    )
    assert data["counts"] == [] and trips == 2


def test_a_level_without_recognition_is_any_recognition_at_that_level(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    data, _ = run(
        settings,
        'query($d: Date) { organizations(level: "provincial", asOf: $d) { totalCount } }',
        {"d": AS_OF},
    )
    expected = cypher(
        driver,
        "MATCH (o:Organization) WHERE coalesce(o.status, 'active') <> 'merged' AND EXISTS { "
        "(o)-[:HOLDS]->(r:Recognition {level: 'provincial'}) WHERE r.valid_from <= $d "
        "AND (r.valid_to IS NULL OR r.valid_to >= $d) } RETURN count(o) AS n",
        d=date(2025, 6, 30),
    )[0]["n"]
    everyone = cypher(driver, "MATCH (o:Organization) RETURN count(o) AS n")[0]["n"]
    assert data["organizations"]["totalCount"] == expected
    assert 0 < expected < everyone  # the level is not ignored


def test_the_schema_describes_the_valid_values() -> None:
    sdl = schema.as_str()
    for section in ("organization_kinds", "recognition_kinds", "levels"):
        assert "one of " + ", ".join(V.keys(section)) in sdl
    assert "An area's key, as `areas` lists them" in sdl
    assert "A technology's key, as `technologies` lists them" in sdl
    assert "An organisation's key or global id" in sdl
