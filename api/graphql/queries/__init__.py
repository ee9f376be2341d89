"""The root query type, composed of the fields of each area of the schema."""

from __future__ import annotations

import strawberry

from api.graphql.queries.audit import AuditQueries
from api.graphql.queries.entities import EntityQueries
from api.graphql.queries.questions import QuestionQueries
from api.graphql.queries.registry import RegistryQueries
from api.graphql.queries.renewals import RenewalQueries
from api.graphql.queries.reviews import ReviewQueries
from api.graphql.queries.vocabulary import VocabularyQueries

__all__ = ["Query"]


# The fields stand in the schema in the order of the bases: the registry's first.
@strawberry.type
class Query(
    RegistryQueries,
    QuestionQueries,
    EntityQueries,
    RenewalQueries,
    ReviewQueries,
    VocabularyQueries,
    AuditQueries,
):
    pass
