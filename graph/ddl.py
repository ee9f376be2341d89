"""Constraints and indexes: every node key unique, range indexes for reads, CJK full-text."""

from __future__ import annotations

from dataclasses import dataclass

import neo4j

from graph.model import KEYS, Label

__all__ = [
    "FULLTEXT_ENTITY_NAMES",
    "FULLTEXT_ORG_NAMES",
    "SchemaReport",
    "ensure_schema",
    "schema_statements",
]

FULLTEXT_ORG_NAMES = "org_names"
# Technologies, consortia and group standards: the search's other kinds, in one index.
FULLTEXT_ENTITY_NAMES = "entity_names"
ENTITY_LABELS = (Label.TECHNOLOGY, Label.CONSORTIUM, Label.GROUP_STANDARD)
ENTITY_FIELDS = (
    "name",
    "name_zh",
    "name_en",
    "alias_text",
    "code",
    "code_as_printed",
    "title_zh",
    "title_en",
)

# (label, property) pairs the read queries filter or sort on.
RANGE_INDEXES: tuple[tuple[Label, str], ...] = (
    (Label.ORGANIZATION, "name"),
    (Label.ORGANIZATION, "status"),
    (Label.ORGANIZATION, "uscc"),
    (Label.RECOGNITION, "kind"),
    (Label.RECOGNITION, "cert_no"),  # search by certificate number
    (Label.CONSORTIUM, "name"),
    (Label.RECOGNITION, "valid_from"),
    (Label.RECOGNITION, "valid_to"),
    (Label.GROUP_STANDARD, "published_on"),
    (Label.GROUP_STANDARD, "status"),
    (Label.TARGET, "indicator"),
    (Label.DOCUMENT, "published_on"),
    (Label.TECHNOLOGY, "name_zh"),
    (Label.TECHNOLOGY, "name_en"),
    (Label.REPORTED_FIGURE, "indicator"),
    (Label.AUDIT_ENTRY, "at"),
    (Label.AUDIT_ENTRY, "target"),
    (Label.TALLY_BUCKET, "group"),
)
# Composite range indexes: a count cell is sought by its cell and a range of days.
COMPOSITE_INDEXES: tuple[tuple[Label, tuple[str, ...]], ...] = ((Label.TALLY, ("cell", "day")),)

# Names (zh, en) and aliases/former names joined as text; 'cjk' tokenises Chinese as bigrams.
FULLTEXT_FIELDS = ("name", "name_zh", "name_en", "alias_text")


def schema_statements() -> list[str]:
    """Every schema statement, each idempotent (IF NOT EXISTS). Names are from the model only."""
    stmts = [
        f"CREATE CONSTRAINT {label.lower()}_{prop}_unique IF NOT EXISTS "
        f"FOR (n:`{label}`) REQUIRE n.`{prop}` IS UNIQUE"
        for label, prop in KEYS.items()
    ]
    stmts += [
        f"CREATE RANGE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:`{label}`) ON (n.`{prop}`)"
        for label, prop in RANGE_INDEXES
    ]
    stmts += [
        f"CREATE RANGE INDEX {label.lower()}_{'_'.join(props)} IF NOT EXISTS FOR (n:`{label}`) "
        f"ON ({', '.join(f'n.`{p}`' for p in props)})"
        for label, props in COMPOSITE_INDEXES
    ]
    fields = ", ".join(f"n.`{f}`" for f in FULLTEXT_FIELDS)
    stmts.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_ORG_NAMES} IF NOT EXISTS "
        f"FOR (n:`{Label.ORGANIZATION}`) ON EACH [{fields}] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', "
        "`fulltext.eventually_consistent`: false}}"
    )
    labels = "|".join(f"`{label}`" for label in ENTITY_LABELS)
    entity_fields = ", ".join(f"n.`{f}`" for f in ENTITY_FIELDS)
    stmts.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_ENTITY_NAMES} IF NOT EXISTS "
        f"FOR (n:{labels}) ON EACH [{entity_fields}] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', "
        "`fulltext.eventually_consistent`: false}}"
    )
    return stmts


@dataclass(frozen=True, slots=True)
class SchemaReport:
    constraints_added: int
    indexes_added: int


def ensure_schema(driver: neo4j.Driver, database: str | None = None) -> SchemaReport:
    """Create what is missing and wait until every index is online; a second run adds nothing."""
    added_constraints = added_indexes = 0
    with driver.session(database=database) as session:
        for stmt in schema_statements():
            summary = session.run(stmt).consume()  # schema commands run in auto-commit txs
            counters = summary.counters
            added_constraints += counters.constraints_added
            added_indexes += counters.indexes_added
        session.run("CALL db.awaitIndexes(300)").consume()
    return SchemaReport(added_constraints, added_indexes)
