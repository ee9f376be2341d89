"""What a query asks for, measured in one walk linear in the document: its depth, its aliases
and its cost, each fragment measured once (bottom-up, memoised, with cycle protection), the
walk stopped (a GraphQLError raised, the rule reports it) as soon as nesting, aliases or
spreads are over budget. Refused in validation, before any database work.

The cost is honest about the database: a list is priced by the page it will really return
(`first` as written; a `first` given by a variable at MAX_PAGE; an omitted `first` at the
argument's default, DEFAULT_PAGE for the registry lists), and what costs more than the rows it
returns (a count, a full-text search) carries its own weight."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NullValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef

from api.graphql.relay import DEFAULT_PAGE, MAX_PAGE

__all__ = [
    "COST_CAP",
    "MAX_COST",
    "MAX_NESTING",
    "TEXT_SEARCH_COST",
    "TOTAL_COUNT_COST",
    "Measure",
    "QueryMeter",
    "cost_message",
]

MAX_COST = 10_000
COST_CAP = MAX_COST * 1000  # a cost is counted up to here ("over the limit" either way)
# The walk's own bound on nested selection sets, introspection included (the introspection
# query GraphiQL sends nests 13 deep): it also bounds the walk's recursion.
MAX_NESTING = 24
# Counting a connection's total reads every row its filters match, not just the page (the
# registry's lists match hundreds to thousands of rows): priced as 50 fields.
TOTAL_COUNT_COST = 50
# A full-text query (organizations(text:), search) scores every hit in the index before the
# page is cut; a common word (有限公司, "Co., Ltd.") hits nearly every organisation, and with
# the area and technology filters one such query took ~0.7 s of Neo4j CPU, where a keyed page
# takes milliseconds: priced as 1000 fields, so ten in one request are refused.
TEXT_SEARCH_COST = 1000
TEXT_SEARCH_FIELDS = frozenset({("Query", "organizations"), ("Query", "search")})


@dataclass(frozen=True)
class Measure:
    """Of one selection set: its depth (fields with a selection, introspection not counted,
    as strawberry's limiter counted), its aliases, its cost, and how deep it nests."""

    depth: int = 0
    aliases: int = 0
    cost: int = 0
    nesting: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            min(self.cost + other.cost, COST_CAP),
            max(self.nesting, other.nesting),
        )


def _int_argument(field: FieldNode, name: str) -> int | str | None:
    """The literal int given for an argument, "variable" for a variable, None when omitted."""
    for arg in field.arguments or ():
        if arg.name.value == name:
            if isinstance(arg.value, IntValueNode):
                return max(int(arg.value.value), 1)
            if isinstance(arg.value, VariableNode):
                return "variable"
            return None
    return None


def _has_argument(field: FieldNode, name: str) -> bool:
    return any(
        arg.name.value == name and not isinstance(arg.value, NullValueNode)
        for arg in field.arguments or ()
    )


class QueryMeter:
    """Measures a document's selections against the schema; one instance per document."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        max_aliases: int,
        max_spreads: int,
    ) -> None:
        self.schema, self.fragments = schema, fragments
        self.max_aliases, self.max_spreads = max_aliases, max_spreads
        self.memo: dict[tuple[str, int | None], Measure] = {}
        self.active: set[str] = set()
        self.spreads = 0

    def _field_def(self, parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
        if name == "__typename":
            return TypeNameMetaFieldDef
        if parent is self.schema.query_type and name in ("__schema", "__type"):
            return SchemaMetaFieldDef if name == "__schema" else TypeMetaFieldDef
        fields = getattr(parent, "fields", None)
        return fields.get(name) if fields else None

    def _page(self, field: FieldNode, definition: GraphQLField | None) -> int | None:
        """The page a field with a `first` argument returns, None for other fields."""
        if definition is None or "first" not in definition.args:
            return None
        given = _int_argument(field, "first")
        if given == "variable":
            return MAX_PAGE  # a `first` given by a variable is priced at the cap
        if isinstance(given, int):
            return given
        default = definition.args["first"].default_value
        return default if isinstance(default, int) else DEFAULT_PAGE

    def field(
        self, parent: GraphQLNamedType | None, node: FieldNode, page: int | None, level: int
    ) -> Measure:
        """A field: 1, plus its weight, plus what it selects times the items it returns.

        `page` is the page of the connection this field is in: its list (edges) is that
        long; the connection's other fields (totalCount, pageInfo) are asked once."""
        name = node.name.value
        definition = self._field_def(parent, name)
        own_page = self._page(node, definition)
        weight = 0
        if name == "totalCount":
            weight += TOTAL_COUNT_COST
        parent_name = getattr(parent, "name", None)
        if (parent_name, name) in TEXT_SEARCH_FIELDS and _has_argument(node, "text"):
            weight += TEXT_SEARCH_COST
        child_type = get_named_type(definition.type) if definition else None
        returns_list = definition is not None and is_list_type(get_nullable_type(definition.type))
        if returns_list:
            items = own_page or page or (DEFAULT_PAGE if parent is self.schema.query_type else 1)
            inner = self.selections(child_type, node.selection_set, None, level + 1)
        else:
            items = 1
            inner = self.selections(child_type, node.selection_set, own_page, level + 1)
        counted = node.selection_set is not None and not name.startswith("__")
        return Measure(
            depth=inner.depth + 1 if counted else 0,
            aliases=inner.aliases + (1 if node.alias else 0),
            cost=min(1 + weight + items * inner.cost, COST_CAP),
            nesting=inner.nesting + (1 if node.selection_set else 0),
        )

    def spread(self, name: str, page: int | None, level: int) -> Measure:
        self.spreads += 1
        if self.spreads > self.max_spreads:
            raise GraphQLError(
                f"over {self.max_spreads} fragment spreads: at most {self.max_spreads} "
                "are allowed in a document"
            )
        fragment = self.fragments.get(name)
        if fragment is None or name in self.active:
            return Measure()  # unknown or cyclic: graphql-core's own rules report it
        key = (name, page)
        if key not in self.memo:
            self.active.add(name)
            try:
                condition = self.schema.get_type(fragment.type_condition.name.value)
                self.memo[key] = self.selections(condition, fragment.selection_set, page, level)
            finally:
                self.active.discard(name)
        return self.memo[key]

    def selections(
        self,
        parent: GraphQLNamedType | None,
        selection: SelectionSetNode | None,
        page: int | None,
        level: int = 0,
    ) -> Measure:
        """A selection set `level` sets deep on the path walked (which bounds the recursion;
        a fragment measured once and spread deeper is caught by its measure's nesting)."""
        if selection is not None and level > MAX_NESTING:
            raise GraphQLError(f"selections nest deeper than {MAX_NESTING}")
        total = Measure()
        for node in selection.selections if selection else ():
            if isinstance(node, FieldNode):
                total += self.field(parent, node, page, level)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(inner, node.selection_set, page, level)
            elif isinstance(node, FragmentSpreadNode):
                total += self.spread(node.name.value, page, level)
            self.check(total)
        return total

    def check(self, measure: Measure) -> None:
        """Stop as soon as the nesting, the aliases or the spreads are over their budget.

        Depth is judged per operation (an introspection field resets it). Cost is judged
        after the walk, after aliases and depth (the order strawberry's limiters reported
        in), and saturates at COST_CAP so its numbers stay small: with each fragment
        measured once the walk is linear without stopping early."""
        if measure.nesting > MAX_NESTING:
            raise GraphQLError(f"selections nest deeper than {MAX_NESTING}")
        if measure.aliases > self.max_aliases:
            raise GraphQLError(f"{measure.aliases} aliases found. Allowed: {self.max_aliases}")


def cost_message(cost: int) -> str:
    return (
        f"query cost {cost}{'+' if cost >= COST_CAP else ''} is over the limit of {MAX_COST}: "
        "ask for smaller pages "
        "(first) or fewer nested fields"
    )
