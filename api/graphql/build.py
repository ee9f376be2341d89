"""The schema: the root query and mutation types, with the limits and the caches."""

from __future__ import annotations

import strawberry
from strawberry.extensions import AddValidationRules

from api.graphql.documents import DocumentLimits
from api.graphql.errors_ext import ErrorCodes
from api.graphql.limits import MAX_TOKENS, RULES
from api.graphql.mutations import Mutation
from api.graphql.queries import Query

__all__ = ["schema"]


def _build() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        # The rules are made once: a rule class made per request would never hit the
        # validation cache (~5 ms a request). DocumentLimits refuses oversized documents
        # before parsing and caches the parsing and validation of small ones only.
        extensions=[
            lambda: AddValidationRules(list(RULES)),
            lambda: DocumentLimits(max_tokens=MAX_TOKENS),
            ErrorCodes,
        ],
    )


schema = _build()
