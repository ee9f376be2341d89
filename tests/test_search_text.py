"""Search text is text: Lucene's operators and keywords search as words, and no text makes
the full-text procedure fail."""

from __future__ import annotations

import neo4j
import pytest

from api.settings import Settings
from graph.reads.organizations import _lucene
from tests.api_demo import run

pytestmark = pytest.mark.neo4j

SEARCH = "query($t: String!) { search(text: $t, first: 20) { key label } }"
ORGS = "query($t: String) { organizations(text: $t, first: 20) { totalCount } }"


def test_operator_words_and_characters_are_plain_terms() -> None:
    assert _lucene("有限公司 NOT 西安") == "有限公司 not 西安"
    assert _lucene("a AND b OR c TO d") == "a and b or c to d"
    assert _lucene('x:"y" (z)') == 'x\\:\\"y\\" \\(z\\)'
    assert _lucene("   ") == '""'


@pytest.mark.parametrize(
    "text",
    ["Shaanxi OR", "NOT", "a AND", "OR AND NOT", "&& || !", "*", '"', "有限公司 NOT 西安", "x~2^3"],
)
def test_no_text_makes_the_procedure_fail(demo: None, settings: Settings, text: str) -> None:
    data, _ = run(settings, SEARCH, {"t": text})  # run() asserts there is no error
    assert isinstance(data["search"], list)
    data, _ = run(settings, ORGS, {"t": text})
    assert data["organizations"]["totalCount"] >= 0


def test_a_keyword_does_not_exclude(demo: None, settings: Settings) -> None:
    plain, _ = run(settings, ORGS, {"t": "有限公司 西安"})
    with_not, _ = run(settings, ORGS, {"t": "有限公司 NOT 西安"})
    assert plain["organizations"]["totalCount"] > 0
    assert with_not["organizations"]["totalCount"] == plain["organizations"]["totalCount"]


def test_long_texts_are_refused_naming_the_limit(
    demo: None, settings: Settings, driver: neo4j.Driver
) -> None:
    import asyncio

    from api.graphql import Context, schema
    from graph.driver import open_async_driver

    async def errors(text: str) -> list[str]:
        d = open_async_driver(settings)
        try:
            result = await schema.execute(
                SEARCH,
                variable_values={"t": text},
                context_value=Context(d, settings.neo4j_database),
            )
            return [e.message for e in result.errors or []]
        finally:
            await d.close()

    assert asyncio.run(errors(" ".join(["光伏"] * 2000))) == [
        "text: at most 200 characters (got 5999)"
    ]
    assert asyncio.run(errors(" ".join("abcdefghij"[i % 10] for i in range(40)))) == [
        "text: at most 32 words (got 40)"
    ]
