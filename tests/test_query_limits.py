"""Query limits without a database: refusing any document is linear in it (fragment DAGs,
alias fan-outs, deep nesting), sizes are checked before parsing, only small documents are
cached, costs are honest, and what the dashboard and GraphiQL send still passes."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    get_introspection_query,
    parse,
    specified_rules,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strawberry.schema.schema import validate_document

from api.graphql import Context, schema
from api.graphql.cost import MAX_COST, TEXT_SEARCH_COST, TOTAL_COUNT_COST, QueryMeter
from api.graphql.documents import (
    MAX_CACHED_CHARS,
    MAX_DOCUMENT_BYTES,
    _parse_cached,
    _validate_cached,
)
from api.graphql.limits import MAX_ALIASES, MAX_DEPTH, MAX_FRAGMENTS, MAX_TOKENS, RULES
from api.graphql.relay import DEFAULT_PAGE, MAX_PAGE

DASHBOARD = Path(__file__).resolve().parents[1] / "api" / "static" / "dashboard"
BOUND_S = 0.05  # parse + validate of any document the size limit accepts
MARGIN = 4  # a shared 2-core machine: the bound is asserted with a generous margin
ALL_RULES = (*specified_rules, *RULES)


class _Unreachable:
    """A driver that fails the test if a refused document ever reaches the database."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the database was reached ({name})")


def _execute(query: str, variables: dict[str, Any] | None = None) -> tuple[list[str], Context]:
    ctx = Context(driver=_Unreachable(), database="neo4j")  # type: ignore[arg-type]
    result = asyncio.run(schema.execute(query, variable_values=variables, context_value=ctx))
    return [e.message for e in result.errors or []], ctx


def _errors(query: str) -> list[str]:
    """Parse and validate as a request does (graphql-core's rules, strawberry's, ours)."""
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError as e:
        return [e.message]
    return [e.message for e in validate_document(schema._schema, document, ALL_RULES)]


def _timed(query: str) -> tuple[list[str], float]:
    """The errors, and the best of three timings (the machine is shared: one run can lose
    the CPU or meet the garbage collector; the work itself is what is bounded)."""
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        errors = _errors(query)
        timings.append(time.perf_counter() - start)
    return errors, min(timings)


def doubling(levels: int, width: int = 2, leaf: str = "__typename") -> str:
    """The intruder's document: each fragment spreads the next `width` times."""
    spreads = lambda i: " ".join([f"...F{i + 1}"] * width)  # noqa: E731
    parts = ["query Q { ...F0 }"]
    parts += [f"fragment F{i} on Query {{ {spreads(i)} }}" for i in range(levels)]
    parts.append(f"fragment F{levels} on Query {{ {leaf} }}")
    return " ".join(parts)


def test_the_intruders_doubling_fragments_are_refused_at_once() -> None:
    for n in (18, 22, 30, 40):
        start = time.perf_counter()
        errors, ctx = _execute(doubling(n))
        elapsed = time.perf_counter() - start
        assert errors and "over the limit of" in errors[0], n
        assert elapsed < BOUND_S * MARGIN and ctx.round_trips == 0, (n, elapsed)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    levels=st.integers(1, 40),
    width=st.integers(1, 3),
    leaf=st.sampled_from(
        ["__typename", "areas { id nameZh }", 'a: search(text: "x", first: 2) { key }']
    ),
)
def test_fragment_dags_are_measured_in_linear_time(levels: int, width: int, leaf: str) -> None:
    query = doubling(levels, width, leaf)
    errors, elapsed = _timed(query)
    assert elapsed < BOUND_S * MARGIN, (levels, width, elapsed)
    paths = width**levels
    refused = any("over the limit of" in e or "aliases" in e for e in errors)
    if "a: search" in leaf and paths > MAX_ALIASES:
        assert refused  # by the aliases or by the text searches' cost, whichever comes first
    elif paths > MAX_COST:  # each leaf costs at least 1
        assert refused
    if paths * 3 * DEFAULT_PAGE < MAX_COST and "search" not in leaf:
        assert not refused and errors == [], errors


@settings(max_examples=40, deadline=None)
@given(count=st.integers(1, 200))
def test_alias_fan_outs_are_refused_over_the_limit(count: int) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"
    errors, elapsed = _timed(query)
    assert elapsed < BOUND_S * MARGIN
    if count > MAX_ALIASES:
        assert errors and f"aliases found. Allowed: {MAX_ALIASES}" in errors[0]
    else:
        assert errors == []


@settings(max_examples=40, deadline=None)
@given(depth=st.integers(1, 1400), via_fragments=st.booleans())
def test_deep_nesting_is_refused_in_bounded_time(depth: int, via_fragments: bool) -> None:
    # This schema has no recursive field, so any document this deep is refused: by the depth
    # limit, the walk's nesting bound or graphql-core's own rules, always without the database
    if via_fragments:
        n = min(depth, MAX_FRAGMENTS - 1)
        chain = " ".join(f"fragment N{i} on Query {{ a {{ ...N{i + 1} }} }}" for i in range(n))
        query = f"{{ ...N0 }} {chain} fragment N{n} on Query {{ __typename }}"
    else:
        query = "{ " + "a { " * depth + "b" + " }" * depth + " }"
    errors, elapsed = _timed(query)
    assert elapsed < BOUND_S * MARGIN, (depth, elapsed)
    assert errors
    if depth > MAX_DEPTH and not via_fragments:
        assert any("depth" in e or "nest" in e or "token" in e.lower() for e in errors), errors


def test_a_document_over_the_size_limit_is_refused_before_parsing() -> None:
    huge = "{ __typename } #" + "x" * (MAX_DOCUMENT_BYTES + 1)
    start = time.perf_counter()
    errors, ctx = _execute(huge)
    assert errors and f"over {MAX_DOCUMENT_BYTES} bytes" in errors[0]
    assert time.perf_counter() - start < BOUND_S * MARGIN and ctx.round_trips == 0
    # in bytes: 40 000 Chinese characters are 120 000 bytes of UTF-8
    errors, _ = _execute("{ __typename } #" + "有" * 40_000)
    assert errors and "bytes" in errors[0]


def test_only_small_documents_are_cached() -> None:
    _parse_cached.cache_clear()
    _validate_cached.cache_clear()
    small = "{ __typename }"
    large = "{ __typename } #" + "x" * MAX_CACHED_CHARS
    assert _execute(small)[0] == [] and _execute(large)[0] == []
    assert _parse_cached.cache_info().currsize == 1
    assert _validate_cached.cache_info().currsize == 1
    assert _execute(small)[0] == [] and _parse_cached.cache_info().hits == 1


def test_costs_are_honest_about_pages_counts_and_text_search() -> None:
    errors, ctx = _execute(
        "{ "
        + " ".join(
            f'a{i}: organizations(text: "有限公司", technology: "t", area: "a", '
            f'recognition: "r", first: 1, after: "YXJyYXljb25uZWN0aW9uOjE=") {{ totalCount }}'
            for i in range(MAX_ALIASES)
        )
        + " }"
    )
    assert errors and "over the limit of" in errors[0] and ctx.round_trips == 0
    # an omitted first is the page the field really returns
    fields = "key name kind status uscc"
    page = " ".join(f"o{i}: organizations {{ edges {{ node {{ {fields} }} }} }}" for i in range(20))
    # 20 x (1 + 1 + 20 x (1 + 5)): an omitted first is priced at the page it returns
    omitted = "{ " + page + " }"
    assert _errors(omitted) == []
    # 20 x (1 + 1 + 100 x 6) = 12 040: a first given by a variable is priced at MAX_PAGE
    variable = (
        "query($n: Int!) { " + page.replace("organizations", "organizations(first: $n)") + " }"
    )
    assert any("over the limit of" in e for e in _errors(variable))
    assert _errors(variable.replace("$n", "5").replace("query(5: Int!)", "query")) == []
    # totalCount is asked once per connection, not once per item of its page
    counted = " ".join(
        f"o{i}: organizations(first: {MAX_PAGE}) {{ totalCount edges {{ node {{ key }} }} }}"
        for i in range(3)
    )
    assert 3 * MAX_PAGE * TOTAL_COUNT_COST > MAX_COST and _errors("{ " + counted + " }") == []
    assert any(
        "over the limit" in e
        for e in _errors(
            "{ "
            + " ".join(
                f'a{i}: search(text: "x{i}") {{ key }}'
                for i in range(MAX_COST // TEXT_SEARCH_COST + 1)
            )
            + " }"
        )
    )


def _dashboard_queries() -> list[str]:
    found = []
    row = schema._schema.get_type("CoverageRow")
    counts = " ".join(
        name for name, f in getattr(row, "fields", {}).items() if str(f.type) == "Int!"
    )
    for path in [*DASHBOARD.glob("*.js"), *DASHBOARD.glob("pages/*.js")]:
        found += re.findall(r"`(query [A-Z]\w*[^`]*)`", path.read_text(encoding="utf-8"))
    # the coverage query names the vocabulary's coverage columns: all of them, at worst
    return [re.sub(r"\$\{coverageColumns\(\)[^}]*\}", counts, q) for q in found]


def test_what_the_dashboard_and_graphiql_send_still_passes() -> None:
    queries = _dashboard_queries()
    assert len(queries) >= 10, queries
    for query in queries:
        assert "${" not in query, query
        assert _errors(query) == [], query
    errors, elapsed = _timed(get_introspection_query(descriptions=True))
    assert errors == [] and elapsed < BOUND_S * MARGIN


def _cost(query: str, variables: str = "") -> int:
    document = parse(query)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    meter = QueryMeter(schema._schema, {}, MAX_ALIASES, 500)
    return meter.selections(schema._schema.query_type, operation.selection_set, None).cost


def test_each_list_is_priced_by_the_page_it_returns() -> None:
    node = "edges { node { key } }"  # edges (1) + per item: node (1) + key (1)
    assert _cost(f"{{ organizations(first: 3) {{ {node} }} }}") == 1 + 1 + 3 * 2
    assert _cost(f"{{ organizations {{ {node} }} }}") == 1 + 1 + DEFAULT_PAGE * 2
    assert _cost(f"query($n: Int!) {{ organizations(first: $n) {{ {node} }} }}") == 2 + MAX_PAGE * 2
    assert _cost("{ organizations(first: 3) { totalCount } }") == 1 + 1 + TOTAL_COUNT_COST
    assert _cost('{ search(text: "x") { key } }') == 1 + TEXT_SEARCH_COST + 10 * 1
    assert _cost('{ organizations(text: "x", first: 1) { totalCount } }') == (
        1 + TEXT_SEARCH_COST + 1 + TOTAL_COUNT_COST
    )


def test_comments_count_as_tokens() -> None:
    commented = "{ __typename }\n" + "#\n" * MAX_TOKENS
    errors, _ = _execute(commented)
    assert errors and "token" in errors[0].lower()
