"""A cost limit: page size times the cost of what each item asks for, refused before execution."""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
)

from api.graphql.relay import MAX_PAGE

__all__ = ["MAX_COST", "CostLimitRule", "cost_of"]

MAX_COST = 10_000


def _page(field: FieldNode) -> int:
    for arg in field.arguments or ():
        if arg.name.value == "first":
            if isinstance(arg.value, IntValueNode):
                return max(int(arg.value.value), 1)
            if isinstance(arg.value, VariableNode):
                return MAX_PAGE  # a `first` given by a variable is priced at the cap
    return 1


def cost_of(
    selection: SelectionSetNode | None,
    fragments: dict[str, Any],
    seen: frozenset[str] = frozenset(),
) -> int:
    """Each field costs 1; a field with `first: n` multiplies what it selects by n."""
    if selection is None:
        return 0
    total = 0
    for node in selection.selections:
        if isinstance(node, FieldNode):
            total += 1 + _page(node) * cost_of(node.selection_set, fragments, seen)
        elif isinstance(node, InlineFragmentNode):
            total += cost_of(node.selection_set, fragments, seen)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                total += cost_of(fragment.selection_set, fragments, seen | {node.name.value})
    return total


class CostLimitRule(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fragments = {
            d.name.value: d
            for d in self.context.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        cost = cost_of(node.selection_set, fragments)
        if cost > MAX_COST:
            self.report_error(
                GraphQLError(
                    f"query cost {cost} is over the limit of {MAX_COST}: ask for smaller pages "
                    "(first) or fewer nested fields",
                    node,
                )
            )
