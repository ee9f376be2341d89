"""What a query export runs: one GraphQL query that selects one connection (or list) field,
rewritten to walk every page, and the flat columns its node selection gives.

``POST /export/{csv|xlsx|jsonl}`` takes ``{"query", "variables"}`` (api/exports.py). The
query's own ``first``/``after`` are replaced by the export's (``$exportFirst_``,
``$exportAfter_``), ``pageInfo`` and ``totalCount`` are asked beside the user's selection
(``totalCount`` on the first page only: counting again on every page would cost a scan of
the list per page), and each page runs through the same schema, limits and key as
``/graphql``; a page starts after the cursor of the last one (a connection whose cursors
carry the sort key reads only its own rows). A nested field
becomes a column named by its path (``recognition.kind``); a list inside a node becomes one
cell, its items joined by ``"; "``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    parse,
    print_ast,
)
from graphql.error import GraphQLSyntaxError

from api.errors import ExportError

__all__ = ["AFTER", "FIRST", "PAGE_KEY", "TOTAL_KEY", "Plan", "cell", "plan", "row_of"]

FIRST, AFTER = "exportFirst_", "exportAfter_"  # the export's paging variables
PAGE_KEY, TOTAL_KEY = "exportPage_", "exportTotal_"  # aliases of pageInfo and totalCount
JOIN = "; "  # the items of a list in one cell


@dataclass(frozen=True)
class Plan:
    """The rewritten document (``later``: the same without totalCount, for the pages after
    the first), the field's response key, whether it pages, the columns."""

    document: str
    key: str
    connection: bool
    columns: tuple[str, ...]
    variables: dict[str, Any]
    later: str = ""

    def document_after(self, cursor: str | None) -> str:
        """The document a page runs: the first one counts the total, the others do not."""
        return self.later if cursor is not None and self.later else self.document


def _name(value: str) -> NameNode:
    return NameNode(value=value)


def _field(name: str, alias: str | None = None, *subfields: str) -> FieldNode:
    selection = (
        SelectionSetNode(selections=tuple(_field(s) for s in subfields)) if subfields else None
    )
    return FieldNode(
        alias=_name(alias) if alias else None,
        name=_name(name),
        arguments=(),
        directives=(),
        selection_set=selection,
    )


def _bare(t: Any) -> Any:
    return t.of_type if isinstance(t, GraphQLNonNull) else t


def _selections(
    selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    """The fields of a selection, fragments spread in (a spread of an unknown fragment is
    left to validation)."""
    for s in selection_set.selections if selection_set else ():
        if isinstance(s, FieldNode):
            yield s
        elif isinstance(s, InlineFragmentNode):
            yield from _selections(s.selection_set, fragments)
        elif isinstance(s, FragmentSpreadNode) and s.name.value in fragments:
            yield from _selections(fragments[s.name.value].selection_set, fragments)


def _columns(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    prefix: str = "",
) -> list[str]:
    out: list[str] = []
    for f in _selections(selection_set, fragments):
        key = (f.alias or f.name).value
        if key == "__typename" and not prefix:
            continue
        if f.selection_set:
            out += _columns(f.selection_set, fragments, f"{prefix}{key}.")
        else:
            out.append(prefix + key)
    return list(dict.fromkeys(out))  # a field asked twice is one column


def _variables_used(node: Any) -> set[str]:
    """Names of the variables a part of the document uses."""
    found: set[str] = set()

    def walk(n: Any) -> None:
        if isinstance(n, VariableNode):
            found.add(n.name.value)
        elif isinstance(n, tuple | list):
            for x in n:
                walk(x)
        elif hasattr(n, "keys"):
            for k in n.keys:
                if k != "loc":
                    walk(getattr(n, k, None))

    walk(node)
    return found


def _operation(
    query: str,
) -> tuple[OperationDefinitionNode, dict[str, FragmentDefinitionNode], list[Any]]:
    try:
        document = parse(query)
    except GraphQLSyntaxError as e:
        raise ExportError(
            f"query: {e.message} (line {e.locations[0].line if e.locations else '?'})"
        ) from None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        raise ExportError("query: exactly one query operation is needed (no mutation)")
    return operations[0], fragments, list(fragments.values())


def _paged(
    field: FieldNode, fragments: dict[str, FragmentDefinitionNode], total: bool = True
) -> FieldNode:
    """The connection field with the export's paging and pageInfo (and ``total``:
    totalCount) beside it; a totalCount of the user's own is left out without ``total``."""
    if not any(f.name.value == "edges" for f in _selections(field.selection_set, fragments)):
        raise ExportError(f"query: {field.name.value} needs edges {{ node {{ ... }} }}")
    arguments = tuple(a for a in field.arguments or () if a.name.value not in ("first", "after"))
    arguments += tuple(
        ArgumentNode(name=_name(n), value=VariableNode(name=_name(v)))
        for n, v in (("first", FIRST), ("after", AFTER))
    )
    extra = [_field("pageInfo", PAGE_KEY, "hasNextPage", "endCursor")]
    if total:
        extra.append(_field("totalCount", TOTAL_KEY))
    selections = tuple(field.selection_set.selections) if field.selection_set else ()
    if not total:
        selections = tuple(
            s for s in selections if not (isinstance(s, FieldNode) and s.name.value == "totalCount")
        )
    return FieldNode(
        alias=field.alias,
        name=field.name,
        arguments=arguments,
        directives=field.directives or (),
        selection_set=SelectionSetNode(selections=(*selections, *extra)),
    )


def _node_selection(
    field: FieldNode, fragments: dict[str, FragmentDefinitionNode]
) -> SelectionSetNode | None:
    for edges in _selections(field.selection_set, fragments):
        if edges.name.value == "edges":
            for node in _selections(edges.selection_set, fragments):
                if node.name.value == "node":
                    return node.selection_set
    raise ExportError(f"query: {field.name.value} needs edges {{ node {{ ... }} }}")


def plan(schema: GraphQLSchema, query: object, variables: object) -> Plan:
    """The export of ``query``: refused (ExportError, naming what to change) unless it is one
    query selecting one connection or list field of the root."""
    if not isinstance(query, str) or not query.strip():
        raise ExportError("query: a GraphQL query (a string) is needed")
    if variables is not None and not isinstance(variables, dict):
        raise ExportError("variables: an object (or null) is needed")
    operation, fragments, fragment_defs = _operation(query)
    fields = [
        f for f in _selections(operation.selection_set, fragments) if f.name.value != "__typename"
    ]
    if len(fields) != 1:
        raise ExportError(f"query: select exactly one field to export, not {len(fields)}")
    (field,) = fields
    root = schema.query_type
    definition = root.fields.get(field.name.value) if root else None
    if definition is None:
        raise ExportError(f"query: {field.name.value!r} is not a field of Query")
    named = _bare(definition.type)
    connection = isinstance(named, GraphQLObjectType) and {"edges", "pageInfo"} <= set(named.fields)
    if not connection and not isinstance(named, GraphQLList):
        raise ExportError(f"query: {field.name.value} is neither a connection nor a list")
    taken = {v.variable.name.value for v in operation.variable_definitions or ()}
    if taken & {FIRST, AFTER}:
        raise ExportError(f"query: the variables ${FIRST} and ${AFTER} are the export's own")
    later = None
    if connection:
        columns = _columns(_node_selection(field, fragments), fragments)
        field, later = _paged(field, fragments), _paged(field, fragments, total=False)
    else:
        columns = _columns(field.selection_set, fragments)
    if not columns:
        raise ExportError(f"query: select the fields of {field.name.value} to export as columns")
    text, used = _render(operation, field, fragment_defs, connection)
    kept = {k: v for k, v in (variables or {}).items() if k in used}
    key = (field.alias or field.name).value
    more = _render(operation, later, fragment_defs, True)[0] if later else ""
    return Plan(text, key, connection, tuple(columns), kept, more)


def _render(
    operation: OperationDefinitionNode,
    field: FieldNode,
    fragment_defs: list[Any],
    connection: bool,
) -> tuple[str, set[str]]:
    """The document of one query selecting ``field``, with the variables it uses (and for a
    connection the export's paging ones), and the names of the user's variables it uses."""
    used = _variables_used(field) | _variables_used(fragment_defs)
    definitions = tuple(
        v for v in operation.variable_definitions or () if v.variable.name.value in used
    )
    if connection:
        definitions += (
            VariableDefinitionNode(
                variable=VariableNode(name=_name(FIRST)),
                type=NonNullTypeNode(type=NamedTypeNode(name=_name("Int"))),
                directives=(),
            ),
            VariableDefinitionNode(
                variable=VariableNode(name=_name(AFTER)),
                type=NamedTypeNode(name=_name("String")),
                directives=(),
            ),
        )
    rewritten = OperationDefinitionNode(
        operation=OperationType.QUERY,
        name=operation.name,
        variable_definitions=definitions,
        directives=operation.directives or (),
        selection_set=SelectionSetNode(selections=(field,)),
    )
    return "\n".join(print_ast(d) for d in [rewritten, *fragment_defs]), used


def cell(value: Any) -> Any:
    """A cell of a flat table: a scalar as it is, a list's items joined."""
    if isinstance(value, list):
        # every item keeps its place, so that the cells of one list's fields line up
        return JOIN.join("" if c is None else str(c) for c in (cell(v) for v in value))
    if isinstance(value, dict):  # a whole object asked as a leaf cannot happen; be safe
        return JOIN.join(str(v) for v in value.values() if v is not None)
    return value


def _pick(value: Any, parts: list[str]) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return [_pick(v, parts) for v in value]
    if not parts:
        return value
    return _pick(value.get(parts[0]) if isinstance(value, dict) else None, parts[1:])


def row_of(node: dict[str, Any], columns: Iterable[str]) -> list[Any]:
    """The node as flat cells, one per column path."""
    return [cell(_pick(node, c.split("."))) for c in columns]
