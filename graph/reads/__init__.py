"""Cypher for the API's reads: pure functions returning ``(query, params)``.

Every top-level API field is answered by one of these in one round trip. Filters are
parameters (a null parameter means 'no filter'); the only text chosen by code is from
fixed whitelists (sort keys, group-by keys).
"""

from graph.reads.counted import grouped_counts
from graph.reads.dump import DUMP_LABELS, dump_page
from graph.reads.entities import JOIN_WEIGHTS, consortia_to_join, standard_drafters
from graph.reads.keys import guarded, near_organizations, unknown_keys
from graph.reads.ledger import COUNTABLE, data_until, ledger
from graph.reads.lists import areas, item_by_key, list_page
from graph.reads.organizations import (
    ORG_RELATED,
    ORG_SORTS,
    org_order,
    organization,
    organizations_page,
    search,
)
from graph.reads.partners import HALF_LIFE_YEARS, PARTNER_FAN, PARTNER_WEIGHTS, partners
from graph.reads.questions import (
    COUNT_GROUPS,
    COVERAGE_RECOGNITIONS,
    coverage,
    coverage_scan,
    grouped_counts_scan,
)
from graph.reads.renewals import expiring_page, flows, period_ends
from graph.reads.trail import audit_trail

__all__ = [
    "COUNTABLE",
    "COUNT_GROUPS",
    "COVERAGE_RECOGNITIONS",
    "DUMP_LABELS",
    "HALF_LIFE_YEARS",
    "JOIN_WEIGHTS",
    "ORG_RELATED",
    "ORG_SORTS",
    "PARTNER_FAN",
    "PARTNER_WEIGHTS",
    "areas",
    "audit_trail",
    "consortia_to_join",
    "coverage",
    "coverage_scan",
    "data_until",
    "dump_page",
    "expiring_page",
    "flows",
    "grouped_counts",
    "grouped_counts_scan",
    "guarded",
    "item_by_key",
    "ledger",
    "list_page",
    "near_organizations",
    "org_order",
    "organization",
    "organizations_page",
    "partners",
    "period_ends",
    "search",
    "standard_drafters",
    "unknown_keys",
]
