"""Limits on what a query may ask: hostile or careless queries are refused before any
database work."""

from __future__ import annotations

from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from api.graphql.cost import CostLimitRule

__all__ = ["MAX_ALIASES", "MAX_DEPTH", "MAX_TOKENS", "RULES"]

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 3000


# The limits' validation rules are built once: a limiter made per request builds its rule
# class anew, and the validation cache (keyed by the rules) would never hit (~5 ms a request).
RULES = (
    depth_rule(MAX_DEPTH, None),
    aliases_rule(MAX_ALIASES),
    CostLimitRule,
)
