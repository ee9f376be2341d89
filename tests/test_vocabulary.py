"""The vocabulary is the one definition: what the loaders produce is in it, what the API
serves is it, and the API's words and checks come from it. No database."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any, cast

import neo4j
import pytest

from api.auth import Principal, Role
from api.graphql import Context, schema
from api.graphql.mutations import ROLES, SETTABLE_STATUSES
from api.graphql.types import CoverageRow
from api.graphql.wording import KIND_WORDS, KIND_WORDS_ZH
from loaders.columns import map_headers
from loaders.kinds import _LEVEL_WORDS, _RECOGNITION_WORDS, KINDS, RowContext, level_of, parse_row
from loaders.records import OrgKind, RecognitionRecord
from loaders.sources import DEFAULT_SOURCES, read_sources
from loaders.taxonomy import TaxonomyMatcher
from loaders.vocabulary import vocabulary

V = vocabulary()

QUERY = """{ vocabulary {
  organizationKinds { ...T } organizationStatuses { ...T } recognitionKinds { ...T }
  levels { ...T } membershipRoles { ...T } standardStatuses { ...T }
  indicators { key zh en unit countable }
  coverageColumns { key zh en list recognitions } } }
fragment T on Term { key zh en phraseZh phraseEn }"""


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(w.capitalize() for w in rest)


def test_the_loaders_organisation_kinds_are_the_vocabulary_s() -> None:
    assert [k.value for k in OrgKind] == list(V.keys("organization_kinds"))


def test_every_recognition_kind_and_level_the_loaders_read_is_in_the_vocabulary() -> None:
    kinds, levels = set(V.keys("recognition_kinds")), set(V.keys("levels"))
    assert {kind for _, kind in _RECOGNITION_WORDS} <= kinds
    assert {level for _, level in _LEVEL_WORDS} <= levels
    assert {level_of(w) for words, _ in _LEVEL_WORDS for w in words} <= levels
    # each list kind's own default, with nothing in the row to say otherwise
    columns = map_headers(["企业名称"])
    ctx = RowContext("test", columns, {}, TaxonomyMatcher.default())
    made = [
        r
        for spec in KINDS.values()
        if spec.name != "recognition"
        for r in parse_row(spec, ctx, 2, {"企业名称": "陕西甲科技有限公司"})
        if isinstance(r, RecognitionRecord)
    ]
    assert len(made) == 5
    assert {r.kind for r in made} <= kinds and {r.level for r in made} <= levels
    # and the defaults the declared sources give
    for spec in read_sources(DEFAULT_SOURCES, DEFAULT_SOURCES.parent):
        assert spec.defaults.get("recognition", "national_hightech") in kinds, spec.name
        assert spec.defaults.get("level", "national") in levels, spec.name
        if "category" in spec.defaults:
            assert level_of(spec.defaults["category"]) in levels | {None}, spec.name


def test_every_indicator_has_words_and_a_place_in_the_match_order() -> None:
    assert V.indicators and all(i.words and i.zh and i.en for i in V.indicators.values())
    assert sorted(V.indicator_match_order) == sorted(V.indicators)


def test_every_term_has_both_labels() -> None:
    for section, terms in V.terms.items():
        for t in terms.values():
            assert t.zh and t.en and t.phrase_zh and t.phrase_en, (section, t.key)


def test_coverage_columns_are_the_coverage_row_s_counts() -> None:
    fields = {f.name for f in dataclasses.fields(cast(Any, CoverageRow))}
    assert set(V.coverage_columns) <= fields
    for c in V.coverage_columns.values():
        assert c.list in ("consortia", "groupStandards", "organizations")
        assert set(c.recognitions) <= set(V.keys("recognition_kinds"))
        assert bool(c.recognitions) == (c.list == "organizations")


def test_the_api_s_words_and_checks_come_from_the_vocabulary() -> None:
    terms = V.terms["recognition_kinds"]
    assert {k: t.phrase_en for k, t in terms.items()} == KIND_WORDS
    assert {k: t.phrase_zh for k, t in terms.items()} == KIND_WORDS_ZH
    assert KIND_WORDS["national_hightech"] == "a national high-tech enterprise"
    assert ROLES == ("lead", "member")
    assert SETTABLE_STATUSES == ("active", "inactive", "withdrawn")
    sdl = schema.as_str()
    assert "one of national_hightech, new_rd_institution," in sdl
    assert "one of lead, member" in sdl


@pytest.mark.parametrize("mutation", ["status", "role"])
def test_a_value_outside_the_vocabulary_is_refused_in_its_words(mutation: str) -> None:
    query = {
        "status": 'mutation { correctOrganization(organization: "o", changes: {status: "merged"},'
        ' reason: "r") { changed } }',
        "role": 'mutation { setMembership(organization: "o", consortium: "c", role: "chair",'
        ' reason: "r") { changed } }',
    }[mutation]
    ctx = Context(cast(neo4j.AsyncDriver, None), "unused", Principal("bureau", Role.BUREAU))
    result = asyncio.run(schema.execute(query, context_value=ctx))
    assert result.errors and ctx.round_trips == 0
    assert (
        result.errors[0].message
        == {
            "status": "status: use active, inactive or withdrawn",
            "role": "role: use lead or member",
        }[mutation]
    )


def test_the_api_serves_the_vocabulary_as_it_is_defined_without_the_database() -> None:
    ctx = Context(cast(neo4j.AsyncDriver, None), "unused")
    result = asyncio.run(schema.execute(QUERY, context_value=ctx))
    assert result.errors is None
    assert result.data == {"vocabulary": {_camel(k): v for k, v in V.as_dict().items()}}
    assert ctx.round_trips == 0
