"""The document before and around validation: its size is refused before parsing, and only
small documents are kept in the parser and validation caches.

(strawberry's ParserCache keeps every distinct query text it has parsed, whole: eight 20 MB
comments kept ~41 MB each, never released. A comment is one token, so the token limit alone
does not bound the text.)"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

__all__ = [
    "CACHE_ENTRIES",
    "MAX_CACHED_CHARS",
    "MAX_DOCUMENT_BYTES",
    "DocumentLimits",
    "too_large",
]

MAX_DOCUMENT_BYTES = 100_000  # larger documents are refused before parsing
MAX_CACHED_CHARS = 10_000  # only documents up to this size are cached (parsed, validated)
# Entries per cache. A parsed document's size follows its tokens, not its text: one of
# MAX_TOKENS single-letter fields is ~2 MB of AST (measured with tracemalloc), so the parse
# cache holds at most ~130 MB even when filled on purpose; what the dashboard and GraphiQL
# send is a dozen distinct documents of 0.3 to 1.5 KB.
CACHE_ENTRIES = 64


def too_large(query: str) -> bool:
    """Over MAX_DOCUMENT_BYTES in UTF-8 (the length in characters decides most without
    encoding: a character is 1 to 4 bytes)."""
    if len(query) > MAX_DOCUMENT_BYTES:
        return True
    if len(query) * 4 <= MAX_DOCUMENT_BYTES:
        return False
    return len(query.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES


@lru_cache(maxsize=CACHE_ENTRIES)
def _parse_cached(query: str, max_tokens: int) -> DocumentNode:
    return parse(query, max_tokens=max_tokens)


@lru_cache(maxsize=CACHE_ENTRIES)
def _validate_cached(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    return validate_document(schema, document, rules)


class DocumentLimits(SchemaExtension):
    """Refuses an oversized document before parsing; parses with the token limit (graphql-core
    counts comments as tokens too); caches parsing and validation of small documents only."""

    def __init__(self, max_tokens: int) -> None:
        super().__init__()
        self.max_tokens = max_tokens

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        query = ctx.query
        if query is not None and ctx.graphql_document is None:
            if too_large(query):
                raise GraphQLError(
                    f"the document is over {MAX_DOCUMENT_BYTES} bytes: send a smaller query"
                )
            if len(query) <= MAX_CACHED_CHARS:
                ctx.graphql_document = _parse_cached(query, self.max_tokens)
            else:
                ctx.graphql_document = parse(query, max_tokens=self.max_tokens)
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document, rules = ctx.graphql_document, tuple(ctx.validation_rules)
        if document is not None and ctx.pre_execution_errors is None and rules:
            small = ctx.query is not None and len(ctx.query) <= MAX_CACHED_CHARS
            validate = _validate_cached if small else validate_document
            ctx.pre_execution_errors = validate(ctx.schema._schema, document, rules)
        yield
