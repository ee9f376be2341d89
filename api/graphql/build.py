"""The schema: the root query and mutation types, with the caches and the limits."""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)

from api.graphql.errors_ext import ErrorCodes
from api.graphql.limits import MAX_TOKENS, RULES
from api.graphql.mutations import Mutation
from api.graphql.queries import Query

__all__ = ["schema"]


def _build() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        # Instances, made once: a limiter made per request builds its validation rule class
        # anew, and the validation cache never hits (~5 ms a request).
        extensions=[
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: AddValidationRules(list(RULES)),
            ErrorCodes,
        ],
    )


schema = _build()
