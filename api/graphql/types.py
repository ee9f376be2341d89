"""The GraphQL output types (and the enums the queries take); built from records in convert."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum

import strawberry

from api.graphql.relay import Node

__all__ = [
    "NO_GROUP",
    "Area",
    "AreaRef",
    "AuditEntry",
    "Consortium",
    "ConsortiumRef",
    "CountGroup",
    "CountRow",
    "CoverageRow",
    "Document",
    "DocumentRef",
    "FormerName",
    "GroupStandard",
    "LedgerRow",
    "MemberRef",
    "Membership",
    "OrgSort",
    "Organization",
    "OrganizationRef",
    "PartnerSuggestion",
    "ProvenanceType",
    "Reason",
    "Recognition",
    "SearchHit",
    "StandardRef",
    "Technology",
    "TechnologyRef",
    "TrendPoint",
]


# CountRow.key of the bucket of organisations with no value for the group.
NO_GROUP = "none"


@strawberry.type(name="Provenance", description="Where a fact came from.")
class ProvenanceType:
    source: str | None
    row: int | None
    sources: list[str]
    extractor: str | None = None
    confidence: float | None = None


@strawberry.type
class AreaRef:
    id: str
    name_zh: str | None
    name_en: str | None


@strawberry.type
class TechnologyRef:
    id: str
    name_zh: str | None
    name_en: str | None
    provenance: ProvenanceType | None = strawberry.field(
        default=None, description="Where the link to it came from (on an organisation)."
    )


@strawberry.type
class Recognition:
    id: str
    kind: str
    level: str | None
    cert_no: str | None
    granted_on: date | None
    valid_from: date | None
    valid_to: date | None
    year: int | None
    batch: str | None
    issuer: str | None
    status: str | None
    valid: bool = strawberry.field(description="Valid on the query's asOf date.")
    provenance: ProvenanceType


@strawberry.type
class ConsortiumRef:
    id: str
    name: str | None
    level: str | None


@strawberry.type(description="An organisation named by its key and name.")
class OrganizationRef:
    key: str
    name: str | None
    uscc: str | None = None


@strawberry.type(
    description="A membership of a consortium: from since to until (the last day; null: open)."
)
class Membership:
    role: str | None
    since: date | None
    until: date | None = strawberry.field(
        description="The last day of the membership; null while it lasts."
    )
    current: bool = strawberry.field(
        description="Whether the membership holds on the query's asOf date (today by default)."
    )
    inherited_from: str | None = strawberry.field(
        description="The key of the merged entry this membership came from (null: its own)."
    )
    consortium: ConsortiumRef
    provenance: ProvenanceType


@strawberry.type
class StandardRef:
    code: str
    title_zh: str | None
    status: str | None
    published_on: date | None
    role: str
    in_force: bool = strawberry.field(
        description="Whether the standard is published and not abolished on the asOf date."
    )
    provenance: ProvenanceType


@strawberry.type(description="A name the organisation had.")
class FormerName:
    name: str
    until: date | None = strawberry.field(
        description="The day the bureau recorded that it changed (correctOrganization); null "
        "for a former name a list stated without a date."
    )


@strawberry.type
class Organization(Node):
    key: str
    name: str
    name_zh: str | None
    name_en: str | None
    uscc: str | None
    kind: str | None
    status: str | None
    aliases: list[str]
    former_names: list[str]
    former_names_dated: list[FormerName] = strawberry.field(
        description="The former names (as formerNames), each with the day it stopped being "
        "the name, where known."
    )
    region: str | None
    synthetic: bool
    areas: list[AreaRef]
    technologies: list[TechnologyRef]
    recognitions: list[Recognition]
    memberships: list[Membership]
    standards: list[StandardRef]
    merged_into: OrganizationRef | None = strawberry.field(
        description="For a merged entry: the organisation it now stands as (its recognitions, "
        "memberships, names and standards are read there). Null for an organisation that stands."
    )
    merged: list[OrganizationRef] = strawberry.field(
        description="The entries merged into this organisation (directly or through another)."
    )
    provenance: ProvenanceType


@strawberry.type
class MemberRef:
    key: str
    name: str | None
    role: str | None
    since: date | None = None
    until: date | None = None


@strawberry.type
class Consortium(Node):
    key: str
    name: str | None
    level: str | None
    established_on: date | None
    tech_fields: list[str]
    technologies: list[str]
    technology_terms: list[TechnologyRef] = strawberry.field(
        description="The technologies it focuses on, with their names."
    )
    members: list[MemberRef]
    lead: MemberRef | None = strawberry.field(
        description="The lead member on asOf (role lead), if any."
    )
    provenance: ProvenanceType


@strawberry.type
class GroupStandard(Node):
    code: str
    title_zh: str | None
    title_en: str | None
    status: str | None
    published_on: date | None
    effective_on: date | None
    ics: str | None
    issuer: str | None
    drafters: list[str]
    drafted_by: list[OrganizationRef] = strawberry.field(
        description="The drafting organisations, with their keys, in the standard's order."
    )
    technologies: list[str]
    technology_terms: list[TechnologyRef] = strawberry.field(
        description="The technologies it covers, with their names."
    )
    provenance: ProvenanceType


@strawberry.type
class Technology(Node):
    key: str
    name_zh: str | None
    name_en: str | None
    aliases: list[str]
    in_plan: bool
    broader: list[str]
    narrower: list[str]
    broader_terms: list[TechnologyRef] = strawberry.field(description="Broader terms, named.")
    narrower_terms: list[TechnologyRef] = strawberry.field(description="Narrower terms, named.")
    provenance: ProvenanceType


@strawberry.type
class Document(Node):
    key: str
    title: str | None
    url: str | None
    lang: str | None
    sha256: str | None
    targets: int
    provenance: ProvenanceType


@strawberry.enum
class OrgSort(Enum):
    NAME = "NAME"
    ID = "ID"


@strawberry.enum
class CountGroup(Enum):
    AREA = "AREA"
    TECHNOLOGY = "TECHNOLOGY"
    RECOGNITION_KIND = "RECOGNITION_KIND"
    RECOGNITION_LEVEL = "RECOGNITION_LEVEL"
    YEAR = "YEAR"


@strawberry.type
class CoverageRow:
    technology: TechnologyRef
    in_plan: bool
    narrower: list[str]
    narrower_terms: list[TechnologyRef] = strawberry.field(
        description="The narrower terms counted with it, named."
    )
    consortia: int
    rd_institutions: int
    group_standards: int
    enterprise_rd_centres: int
    hightech_enterprises: int
    gaps: list[str] = strawberry.field(description="Kinds with nobody addressing the technology.")


@strawberry.type(
    description="One piece of evidence for a partner: what the two share (or what the "
    "partner holds), its weight in the score, and the sentence in both languages."
)
class Reason:
    kind: str = strawberry.field(
        description="consortium, standard, technology, complementary (a neighbouring "
        "technology), area or recognition."
    )
    via: str = strawberry.field(description="What it goes via, named in Chinese and English.")
    via_id: str
    via_zh: str = strawberry.field(description="What it goes via, in Chinese.")
    via_en: str = strawberry.field(
        description="What it goes via, in English (its Chinese name where it has no English one)."
    )
    shared_by: int | None = strawberry.field(
        description="How many organisations share what it goes via (null for a recognition)."
    )
    weight: float = strawberry.field(
        description="Its part of the score: base × specificity × recency (see partners)."
    )
    text: str
    text_zh: str = strawberry.field(description="The same reason in Chinese.")


@strawberry.type
class PartnerSuggestion:
    organization_id: strawberry.ID
    key: str
    name: str
    name_en: str | None
    kind: str | None
    score: float
    reasons: list[Reason]


@strawberry.type
class CountRow:
    key: str = strawberry.field(
        description="The group's key (an area, technology, recognition kind, kind/level or "
        f"year); {NO_GROUP!r} for the organisations with none (unassigned)."
    )
    count: int
    unassigned: bool = strawberry.field(
        default=False,
        description="The bucket of organisations with no value for the group (no area, no "
        "technology, no year): with it the buckets add up to the total.",
    )


@strawberry.type
class TrendPoint:
    day: date
    value: float | None


@strawberry.type
class DocumentRef:
    id: str
    title: str | None
    url: str | None


@strawberry.type
class LedgerRow:
    target_id: str
    indicator: str
    indicator_key: str | None
    countable: bool = strawberry.field(
        description="Counted from the registry (else a reported figure)."
    )
    comparator: str
    target: float
    unit: str | None
    deadline: int | None
    scope: str | None
    actual: float | None = strawberry.field(
        description="The value on asOf; null when there is none (a counted indicator on a day "
        "after dataUntil: no data, not 0)."
    )
    progress: float | None = strawberry.field(
        description="The judged value (on judgedOn) / the target; for a contribution, the "
        "area's share of the larger area's target."
    )
    projected: float | None = strawberry.field(
        description="The value projected at the deadline (before it; see projectedFrom). A "
        "counted recognition target: actual − atRisk × (1 − renewalRate) + the average "
        "first-time holders per year of the last three years × the years to the deadline "
        "(no certificate ended in the last five years: no renewal assumed). Any other "
        "target: where its linear trend reaches. Not yet met, on_track when the projection "
        "meets the target, else behind."
    )
    projected_from: str | None = strawberry.field(
        default=None,
        description="expiries (the expiry schedule and renewal rate) or trend (linear); "
        "null without a projection.",
    )
    at_risk: int | None = strawberry.field(
        default=None,
        description="A counted recognition target due on or after asOf: the holders whose "
        "every certificate ends by the deadline (they lapse unless renewed; the list: "
        "expiring). Else null.",
    )
    renewal_rate: float | None = strawberry.field(
        default=None,
        description="The share of the counted certificates that ended in the five years "
        "before asOf and were followed by a new one within a year (null: none ended).",
    )
    status: str = strawberry.field(
        description="met, on_track, behind, missed (the deadline has passed and the target "
        "was not met on it), no_data, or contribution (an area's part of a larger area's "
        "target, not compared with it)."
    )
    judged_on: date = strawberry.field(
        description="The day the status is judged on: the deadline (31 December of its year) "
        "once it has passed on asOf, else asOf."
    )
    at_deadline: float | None = strawberry.field(
        description="Once the deadline has passed on asOf: the value on the deadline, which "
        "met / missed is judged by (actual stays the value on asOf). Else null."
    )
    data_until: date | None = strawberry.field(
        description="The last day the registry's lists cover (as the top-level dataUntil)."
    )
    scope_area: str | None = strawberry.field(
        description="The area the target is set for: its own, else the plan's district (the "
        "root area)."
    )
    area: str | None = strawberry.field(
        description="The area actual is counted in: the asked area (default: the district), "
        "or the target's own area when that lies inside it."
    )
    contribution: bool = strawberry.field(
        description="True when area lies inside scopeArea: actual is that area's contribution "
        "to the larger area's target (status contribution)."
    )
    trend: list[TrendPoint]
    document: DocumentRef | None
    evidence_start: int | None
    evidence_end: int | None
    figure_source: str | None = strawberry.field(description="Source of the reported figure used.")
    figure_as_of: date | None = strawberry.field(
        description="The date of the reported figure used (the latest on or before asOf, "
        "withdrawn figures ignored)."
    )
    figure_area: str | None = strawberry.field(
        description="The area the reported figure used is for (null: the whole district)."
    )
    figure_stale: bool | None = strawberry.field(
        description="True when the reported figure used is dated in a year before asOf's: the "
        "value shown is an old one (null: no reported figure)."
    )
    evidence: str | None = strawberry.field(description="The sentence the target was read from.")
    provenance: ProvenanceType


@strawberry.type(description="One entity a search found, with its type and how it matched.")
class SearchHit:
    type: str = strawberry.field(
        description="Organization, Technology, Consortium or GroupStandard (the GraphQL type "
        "node(id:) returns for it)."
    )
    id: strawberry.ID = strawberry.field(description="Its global id, for node(id:).")
    key: str = strawberry.field(
        description="Its registry key (an organisation's or technology's id, a standard's code)."
    )
    label: str
    detail: str | None = strawberry.field(
        description="An organisation's kind, a consortium's level, a standard's status."
    )
    score: float = strawberry.field(
        description="Full-text score relative to the best hit of its kind's index (0-1; 1.0 "
        "for a match by exact name, USCC or certificate)."
    )
    matched: str = strawberry.field(
        default="text",
        description="How it matched: name (exact name, alias, former name or code), uscc, "
        "certificate (the number of a certificate it holds) or text (words of its names).",
    )


@strawberry.type(description="Xixian New Area or one of its new cities.")
class Area:
    id: str
    name_zh: str | None
    name_en: str | None
    kind: str | None
    parent: str | None


@strawberry.type(description="One edit of the registry, as the audit trail keeps it.")
class AuditEntry(Node):
    who: str = strawberry.field(description="The name of the API key that made the edit.")
    role: str = strawberry.field(description="That key's role when it made the edit.")
    at: datetime = strawberry.field(description="When the edit was made.")
    action: str = strawberry.field(description="The mutation: correctOrganization, ...")
    entity: str = strawberry.field(description="The key of the entity edited.")
    entities: list[str] = strawberry.field(
        description="Every entity the edit concerns (the consortium of a membership, the entry "
        "merged), the edited one first."
    )
    before: list[str] = strawberry.field(description="The state before, as field=value.")
    after: list[str] = strawberry.field(description="The state after, as field=value.")
    reason: str = strawberry.field(description="Why, as the bureau gave it.")
