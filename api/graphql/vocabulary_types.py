"""The vocabulary's GraphQL types: its terms with their labels, indicators and the coverage
matrix's columns (moved out of types.py, which kept growing past 500 lines)."""

from __future__ import annotations

import strawberry

__all__ = ["CoverageColumnTerm", "IndicatorTerm", "TermType", "VocabularyType"]


@strawberry.type(
    name="Term", description="A term of the registry's vocabulary: its key and labels."
)
class TermType:
    key: str
    zh: str
    en: str
    phrase_zh: str = strawberry.field(description="How a sentence names it (else the label).")
    phrase_en: str = strawberry.field(description="How a sentence names it (else the label).")


@strawberry.type(description="An indicator of the plan, by the key the ledger counts it by.")
class IndicatorTerm:
    key: str
    zh: str
    en: str
    unit: str
    countable: bool = strawberry.field(description="Counted from the registry.")


@strawberry.type(description="A column of the coverage matrix (a field of CoverageRow).")
class CoverageColumnTerm:
    key: str = strawberry.field(description="The CoverageRow field, snake_case.")
    zh: str
    en: str
    connection: str = strawberry.field(
        name="list", description="The connection field that lists a cell's items."
    )
    recognitions: list[str] = strawberry.field(
        description="The recognition kinds it counts (with list organizations)."
    )


@strawberry.type(
    name="Vocabulary",
    description="The registry's closed vocabulary, each term with its zh/en labels.",
)
class VocabularyType:
    organization_kinds: list[TermType]
    organization_statuses: list[TermType]
    recognition_kinds: list[TermType]
    levels: list[TermType] = strawberry.field(description="Levels of recognitions and consortia.")
    membership_roles: list[TermType]
    standard_statuses: list[TermType]
    indicators: list[IndicatorTerm]
    coverage_columns: list[CoverageColumnTerm]
