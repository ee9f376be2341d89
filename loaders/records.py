"""Typed, frozen records that parsers produce and the graph package writes.

Organisations appear inside other records as they were named in the row; which registry
node they are is decided later, by entity resolution over the whole load.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from loaders.provenance import Provenance

__all__ = [
    "AreaRecord",
    "ConsortiumRecord",
    "OrgKind",
    "OrgMention",
    "RecognitionRecord",
    "Record",
    "Reject",
    "StandardRecord",
    "TechnologyRecord",
]


class OrgKind(StrEnum):
    FIRM = "firm"
    RD_INSTITUTION = "rd_institution"
    UNIVERSITY = "university"
    SOCIETY = "society"
    AGENCY = "agency"


@dataclass(frozen=True, slots=True)
class OrgMention:
    """An organisation as one row names it."""

    name: str
    kind: OrgKind
    prov: Provenance
    uscc: str | None = None
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()
    area: str | None = None  # Area id
    region: str | None = None  # the region text as listed (province, city)
    technologies: tuple[str, ...] = ()  # Technology ids
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class RecognitionRecord:
    """A time-bounded recognition an organisation holds (certificate, centre, listing)."""

    org: OrgMention
    kind: str
    level: str
    prov: Provenance
    cert_no: str | None = None
    granted_on: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    year: int | None = None
    batch: str | None = None
    issuer: str | None = None
    doc_no: str | None = None
    status: str | None = None  # e.g. provisional (拟认定)
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class ConsortiumRecord:
    name: str
    prov: Provenance
    leads: tuple[OrgMention, ...] = ()
    members: tuple[OrgMention, ...] = ()
    technologies: tuple[str, ...] = ()
    tech_fields: tuple[str, ...] = ()  # as written in the row
    level: str | None = None
    established_on: date | None = None
    area: str | None = None
    consortium_id: str | None = None
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class StandardRecord:
    code: str  # canonical, see loaders.normalize.normalize_standard_code
    code_as_printed: str
    prov: Provenance
    title_zh: str | None = None
    title_en: str | None = None
    society: OrgMention | None = None
    drafters: tuple[OrgMention, ...] = ()
    ics: str | None = None
    ccs: str | None = None
    status: str | None = None
    published_on: date | None = None
    effective_on: date | None = None
    abolished_on: date | None = None
    technologies: tuple[str, ...] = ()
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class TechnologyRecord:
    id: str
    name_zh: str
    name_en: str
    prov: Provenance
    aliases: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    in_plan: bool = False


@dataclass(frozen=True, slots=True)
class AreaRecord:
    id: str
    name_zh: str
    name_en: str
    prov: Provenance
    kind: str = "new_city"
    parent: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reject:
    """A row (or one value of it) that could not be taken, and why."""

    source: str
    row: int
    field: str
    value: str
    reason: str
    file: str | None = dataclasses.field(default=None, compare=False)
    page: int | None = None  # the PDF page the row is printed on


Record = RecognitionRecord | ConsortiumRecord | StandardRecord | TechnologyRecord | AreaRecord
