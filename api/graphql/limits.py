"""Limits on what a query may ask: hostile or careless queries are refused before any
database work, and refusing one takes time linear in its document.

One validation rule measures each operation in one memoised walk (api/graphql/cost.py):
depth, aliases and cost, each fragment once; the number of fragments and spreads is capped.
(strawberry's depth and alias limiters walked every path through the fragments: a 906-byte
document of 22 doubling fragments kept the event loop for 16 s.) The document's size and
tokens are limited before and during parsing (api/graphql/documents.py)."""

from __future__ import annotations

from typing import Any

from graphql import (
    BREAK,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    ValidationRule,
)

from api.graphql.cost import MAX_COST, QueryMeter, cost_message

__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_FRAGMENTS",
    "MAX_SPREADS",
    "MAX_TOKENS",
    "RULES",
    "QueryBudgetRule",
]

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 3000
MAX_FRAGMENTS = 100  # fragment definitions in one document
MAX_SPREADS = 500  # fragment spreads met in the walk (each fragment is walked once)


class QueryBudgetRule(ValidationRule):
    """Depth, aliases (summed over the document's operations, as strawberry's limiter did),
    cost, fragments and spreads; the first budget exceeded is reported and the walk stops."""

    def enter_document(self, node: DocumentNode, *_: Any) -> object:
        fragments = {
            d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
        }
        if len(fragments) > MAX_FRAGMENTS:
            return self._refuse(
                f"{len(fragments)} fragments: at most {MAX_FRAGMENTS} are allowed in a document",
                node,
            )
        meter = QueryMeter(self.context.schema, fragments, MAX_ALIASES, MAX_SPREADS)
        aliases = 0
        for operation in node.definitions:
            if not isinstance(operation, OperationDefinitionNode):
                continue
            root = self.context.schema.get_root_type(operation.operation)
            try:
                measure = meter.selections(root, operation.selection_set, None)
                aliases += measure.aliases
                meter.check(measure)
            except GraphQLError as e:  # a budget exceeded: the walk stopped there
                return self._refuse(e.message, operation)
            if aliases > MAX_ALIASES:
                return self._refuse(f"{aliases} aliases found. Allowed: {MAX_ALIASES}", operation)
            if measure.depth > MAX_DEPTH:
                name = operation.name.value if operation.name else "anonymous"
                return self._refuse(
                    f"'{name}' exceeds maximum operation depth of {MAX_DEPTH}", operation
                )
            if measure.cost > MAX_COST:
                return self._refuse(cost_message(measure.cost), operation)
        return BREAK  # measured: nothing below the document is visited by this rule

    def _refuse(self, message: str, node: Any) -> object:
        self.report_error(GraphQLError(message, node))
        return BREAK


# The limits' validation rules are built once: the validation cache is keyed by the rules.
RULES = (QueryBudgetRule,)
