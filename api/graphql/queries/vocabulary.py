"""The registry's vocabulary with its labels, for clients (the dashboard reads it at start-up):
no database, the same answer until the server restarts."""

from __future__ import annotations

from functools import cache

import strawberry

from api.graphql.vocabulary_types import (
    CoverageColumnTerm,
    IndicatorTerm,
    TermType,
    VocabularyType,
)
from loaders.vocabulary import TERM_SECTIONS, vocabulary

__all__ = ["VocabularyQueries"]


@cache
def _vocabulary() -> VocabularyType:
    v = vocabulary()
    sections = {
        section: [
            TermType(key=t.key, zh=t.zh, en=t.en, phrase_zh=t.phrase_zh, phrase_en=t.phrase_en)
            for t in v.terms[section].values()
        ]
        for section in TERM_SECTIONS
    }
    return VocabularyType(
        **sections,
        indicators=[
            IndicatorTerm(key=i.key, zh=i.zh, en=i.en, unit=i.unit, countable=i.countable)
            for i in v.indicators.values()
        ],
        coverage_columns=[
            CoverageColumnTerm(
                key=c.key, zh=c.zh, en=c.en, connection=c.list, recognitions=list(c.recognitions)
            )
            for c in v.coverage_columns.values()
        ],
    )


@strawberry.type
class VocabularyQueries:
    @strawberry.field(
        description="Organisation kinds and statuses, recognition kinds, levels, membership "
        "roles, standard statuses, indicators and coverage columns: each key with its zh/en "
        "labels (no database)."
    )
    def vocabulary(self) -> VocabularyType:
        return _vocabulary()
