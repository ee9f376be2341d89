"""What the bureau's mutations refuse, each with a message naming the field."""

from __future__ import annotations

import neo4j
import pytest

from api.settings import Settings
from tests.test_api_mutations import BUREAU, CORRECT, audit, registry, run

pytestmark = pytest.mark.neo4j

__all__ = ["registry"]  # the fixture, used by name

FIGURE = """mutation($v: Float!, $s: String!, $r: String!) { reportFigure(indicator: "non_fossil_share",
  value: $v, unit: "%", asOf: "2024-12-31", source: $s, reason: $r) { changed } }"""
SET = """mutation($since: Date) { setMembership(organization: "org-a", consortium: "cons-h2",
  role: "member", since: $since, reason: "letter") { changed } }"""
END = """mutation($until: Date!) { endMembership(organization: "org-a", consortium: "cons-h2",
  until: $until, reason: "left") { changed } }"""


@pytest.mark.parametrize(
    ("changes", "reason", "message"),
    [
        ({"name": ""}, "typo", "name: must not be empty"),
        ({"name": "   "}, "typo", "name: must not be empty"),
        ({"nameEn": "x" * 1001}, "typo", "nameEn: at most 1000 characters (got 1001)"),
        ({"name": "陕西乙科技有限公司"}, "", "reason: must not be empty"),
        ({"name": "陕西乙科技有限公司"}, "x" * 2001, "reason: at most 2000 characters (got 2001)"),
    ],
)
def test_names_and_reasons_are_checked(
    registry: neo4j.Driver, settings: Settings, changes: dict[str, str], reason: str, message: str
) -> None:
    data, errors = run(settings, BUREAU, CORRECT, {"o": "org-a", "c": changes, "r": reason})
    assert data is None and errors == [message]
    assert audit(registry) == []  # nothing written


def test_a_figure_must_be_a_finite_number(registry: neo4j.Driver, settings: Settings) -> None:
    # a variable of inf or nan is refused by GraphQL's Float itself; a literal 1e400 reaches
    # the resolver as infinity
    for literal in ("1e400", "-1e400"):
        query = FIGURE.replace("$v: Float!, ", "").replace("value: $v", f"value: {literal}")
        _, errors = run(settings, BUREAU, query, {"s": "bulletin", "r": "entered"})
        assert errors == [f"value: {float(literal)} is not a finite number"]
    _, errors = run(settings, BUREAU, FIGURE, {"v": float("inf"), "s": "b", "r": "entered"})
    assert errors and "cannot represent" in errors[0]
    data, errors = run(settings, BUREAU, FIGURE, {"v": 14.2, "s": "bulletin", "r": "entered"})
    assert errors == [] and data == {"reportFigure": {"changed": True}}


def test_a_membership_cannot_end_before_it_began(
    registry: neo4j.Driver, settings: Settings
) -> None:
    assert run(settings, BUREAU, SET, {"since": "2099-01-01"})[1] == []
    _, errors = run(settings, BUREAU, END, {"until": "1900-01-01"})
    assert errors == ["until: 1900-01-01 is before the membership began (2099-01-01)"]
    _, errors = run(settings, BUREAU, END, {"until": "2099-06-30"})
    assert errors == []
