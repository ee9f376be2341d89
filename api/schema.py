"""The GraphQL schema: registry queries and the users' questions, one Cypher round trip each."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Generic, TypeVar

import neo4j
import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from api.auth import ANONYMOUS, Principal
from api.cost import CostLimitRule
from api.ledger import Point, assess
from graph import reads
from graph.cypher import Query as Query_

__all__ = ["Context", "schema"]

MAX_PAGE = 100
QUERY_TIMEOUT_S = 10.0


@dataclass
class Context:
    driver: neo4j.AsyncDriver
    database: str
    principal: Principal = ANONYMOUS
    round_trips: int = 0


async def _read(
    info: Info[Context, None], query: Query_, write: bool = False
) -> list[neo4j.Record]:
    """The one round trip of a field: a transaction with a server-side timeout."""
    ctx = info.context
    ctx.round_trips += 1
    text, params = query
    # Shielded: when a sibling field fails, GraphQL execution cancels the others, and a
    # driver cancelled mid-connect leaves its socket behind. The query finishes (bounded by
    # its timeout) and its result is dropped instead.
    records, _, _ = await asyncio.shield(
        ctx.driver.execute_query(
            neo4j.Query(text, timeout=QUERY_TIMEOUT_S),
            params,
            database_=ctx.database,
            routing_=neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ,
        )
    )
    return records


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _global_id(type_name: str, key: str) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{key}".encode()).decode())


def _decode_id(value: str) -> tuple[str, str]:
    try:
        type_name, _, key = base64.b64decode(value.encode(), validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError) as e:
        raise ValueError(f"id {value!r} is not a global id from this API") from e
    if not key:
        raise ValueError(f"id {value!r} is not a global id from this API")
    return type_name, key


@strawberry.type(description="Where a fact came from.")
class Provenance:
    source: str | None
    row: int | None
    sources: list[str]
    extractor: str | None = None
    confidence: float | None = None


def _prov(d: dict[str, Any]) -> Provenance:
    return Provenance(
        source=d.get("prov_source"),
        row=d.get("prov_row"),
        sources=list(d.get("prov_sources") or []),
        extractor=d.get("prov_extractor"),
        confidence=d.get("prov_confidence"),
    )


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
    provenance: Provenance | None = strawberry.field(
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
    provenance: Provenance


@strawberry.type
class ConsortiumRef:
    id: str
    name: str | None
    level: str | None


@strawberry.type
class Membership:
    role: str | None
    since: date | None
    consortium: ConsortiumRef
    provenance: Provenance


@strawberry.type
class StandardRef:
    code: str
    title_zh: str | None
    status: str | None
    published_on: date | None
    role: str
    provenance: Provenance


@strawberry.interface(description="An object with a global id (Relay).")
class Node:
    id: strawberry.ID


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
    region: str | None
    synthetic: bool
    areas: list[AreaRef]
    technologies: list[TechnologyRef]
    recognitions: list[Recognition]
    memberships: list[Membership]
    standards: list[StandardRef]
    provenance: Provenance


def _org(d: dict[str, Any]) -> Organization:
    return Organization(
        id=_global_id("Organization", d["id"]),
        key=d["id"],
        name=d["name"],
        name_zh=d.get("name_zh"),
        name_en=d.get("name_en"),
        uscc=d.get("uscc"),
        kind=d.get("kind"),
        status=d.get("status"),
        aliases=list(d.get("aliases") or []),
        former_names=list(d.get("former_names") or []),
        region=d.get("region"),
        synthetic=bool(d.get("synthetic")),
        areas=[AreaRef(**a) for a in d.get("areas") or []],
        technologies=[
            TechnologyRef(
                id=t["id"], name_zh=t["name_zh"], name_en=t["name_en"], provenance=_prov(t)
            )
            for t in d.get("technologies") or []
        ],
        recognitions=sorted(
            (
                Recognition(
                    id=r["id"],
                    kind=r["kind"],
                    level=r.get("level"),
                    cert_no=r.get("cert_no"),
                    granted_on=_native(r.get("granted_on")),
                    valid_from=_native(r.get("valid_from")),
                    valid_to=_native(r.get("valid_to")),
                    year=r.get("year"),
                    batch=r.get("batch"),
                    issuer=r.get("issuer"),
                    status=r.get("status"),
                    valid=bool(r.get("valid")),
                    provenance=_prov(r),
                )
                for r in d.get("recognitions") or []
            ),
            key=lambda r: (r.valid_from or date.min, r.kind),
        ),
        memberships=[
            Membership(
                role=m.get("role"),
                since=_native(m.get("since")),
                consortium=ConsortiumRef(**m["consortium"]),
                provenance=_prov(m),
            )
            for m in d.get("memberships") or []
        ],
        standards=[
            StandardRef(
                code=s["code"],
                title_zh=s.get("title_zh"),
                status=s.get("status"),
                published_on=_native(s.get("published_on")),
                role=s.get("role") or "drafter",
                provenance=_prov(s),
            )
            for s in d.get("standards") or []
        ],
        provenance=_prov(d),
    )


@strawberry.type
class MemberRef:
    key: str
    name: str | None
    role: str | None


@strawberry.type
class Consortium(Node):
    key: str
    name: str | None
    level: str | None
    established_on: date | None
    tech_fields: list[str]
    technologies: list[str]
    members: list[MemberRef]
    provenance: Provenance


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
    technologies: list[str]
    provenance: Provenance


@strawberry.type
class Technology(Node):
    key: str
    name_zh: str | None
    name_en: str | None
    aliases: list[str]
    in_plan: bool
    broader: list[str]
    narrower: list[str]
    provenance: Provenance


@strawberry.type
class Document(Node):
    key: str
    title: str | None
    url: str | None
    lang: str | None
    sha256: str | None
    targets: int
    provenance: Provenance


def _consortium(d: dict[str, Any]) -> Consortium:
    return Consortium(
        id=_global_id("Consortium", d["key"]),
        key=d["key"],
        name=d.get("name"),
        level=d.get("level"),
        established_on=_native(d.get("established_on")),
        tech_fields=list(d.get("tech_fields") or []),
        technologies=list(d.get("technologies") or []),
        members=[
            MemberRef(key=m["id"], name=m.get("name"), role=m.get("role"))
            for m in d.get("members") or []
        ],
        provenance=_prov(d),
    )


def _standard(d: dict[str, Any]) -> GroupStandard:
    return GroupStandard(
        id=_global_id("GroupStandard", d["key"]),
        code=d["key"],
        title_zh=d.get("title_zh"),
        title_en=d.get("title_en"),
        status=d.get("status"),
        published_on=_native(d.get("published_on")),
        effective_on=_native(d.get("effective_on")),
        ics=d.get("ics"),
        issuer=d.get("issuer"),
        drafters=list(d.get("drafters") or []),
        technologies=list(d.get("technologies") or []),
        provenance=_prov(d),
    )


def _technology(d: dict[str, Any]) -> Technology:
    return Technology(
        id=_global_id("Technology", d["key"]),
        key=d["key"],
        name_zh=d.get("name_zh"),
        name_en=d.get("name_en"),
        aliases=list(d.get("aliases") or []),
        in_plan=bool(d.get("in_plan")),
        broader=list(d.get("broader") or []),
        narrower=list(d.get("narrower") or []),
        provenance=_prov(d),
    )


def _document(d: dict[str, Any]) -> Document:
    return Document(
        id=_global_id("Document", d["key"]),
        key=d["key"],
        title=d.get("title"),
        url=d.get("url"),
        lang=d.get("lang"),
        sha256=d.get("sha256"),
        targets=int(d.get("targets") or 0),
        provenance=_prov(d),
    )


_CONVERT: dict[str, Any] = {
    "Consortium": _consortium,
    "GroupStandard": _standard,
    "Technology": _technology,
    "Document": _document,
}


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


T = TypeVar("T")


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    """A Relay-style page; Strawberry names it after its node type (OrganizationConnection)."""

    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int


def _connection(row: Any, offset: int, limit: int, convert: Callable[[Any], T]) -> Connection[T]:
    """A page from one round trip's ``{total, items}`` (``limit`` + 1 items tell if there is more)."""
    items = list(row["items"])
    edges = [Edge(cursor=_cursor(offset + i), node=convert(d)) for i, d in enumerate(items[:limit])]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(items) > limit,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=int(row["total"]),
    )


async def _list(
    info: Info[Context, None],
    label: str,
    first: int,
    after: str | None,
    as_of: date | None,
    area: str | None = None,
    technology: str | None = None,
) -> Any:
    """One page of a registry list, in one round trip; its total is counted by Neo4j."""
    limit, offset = _page_size(first), _offset(after)
    query = reads.list_page(
        label,
        offset=offset,
        limit=limit + 1,
        as_of=as_of or date.today(),
        area=area,
        technology=technology,
    )
    (row,) = await _read(info, query)
    return _connection(row, offset, limit, _CONVERT[label])


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        prefix, _, number = text.partition(":")
        value = int(number)
    except (ValueError, UnicodeDecodeError) as e:
        raise ValueError(f"after: {cursor!r} is not a cursor from this API") from e
    if prefix != "offset" or value < 0:
        raise ValueError(f"after: {cursor!r} is not a cursor from this API")
    return value + 1


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


@strawberry.type
class Reason:
    kind: str
    via: str
    via_id: str
    text: str
    text_zh: str = strawberry.field(description="The same reason in Chinese.")


@strawberry.type
class PartnerSuggestion:
    organization_id: strawberry.ID
    key: str
    name: str
    kind: str | None
    score: float
    reasons: list[Reason]


@strawberry.type
class CountRow:
    key: str
    count: int


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
    actual: float | None
    progress: float | None
    projected: float | None
    status: str
    trend: list[TrendPoint]
    document: DocumentRef | None
    evidence_start: int | None
    evidence_end: int | None
    figure_source: str | None = strawberry.field(description="Source of the reported figure used.")
    evidence: str | None = strawberry.field(description="The sentence the target was read from.")
    provenance: Provenance


def _ledger_row(r: neo4j.Record) -> LedgerRow:
    t = r["target"]
    countable = t.get("indicator_key") in reads.COUNTABLE
    trend = [Point(_native(p["day"]), p["value"]) for p in r["trend"]]
    comparator = t["comparator"] or ">="
    status, progress, projected = assess(trend, comparator, float(t["value"]), t.get("deadline"))
    doc, span, figure = r["document"], r["span"] or {}, r["figure"] or {}
    return LedgerRow(
        target_id=t["id"],
        indicator=t["indicator"],
        indicator_key=t.get("indicator_key"),
        countable=countable,
        comparator=comparator,
        target=float(t["value"]),
        unit=t.get("unit"),
        deadline=t.get("deadline"),
        scope=t.get("scope"),
        actual=next((p.value for p in reversed(trend) if p.value is not None), None),
        progress=progress,
        projected=projected,
        status=str(status),
        trend=[TrendPoint(day=p.day, value=p.value) for p in trend],
        document=DocumentRef(id=doc["id"], title=doc.get("title"), url=doc.get("url"))
        if doc
        else None,
        evidence_start=span.get("start"),
        evidence_end=span.get("end"),
        figure_source=None if countable else figure.get("source"),
        evidence=t.get("evidence"),
        provenance=_prov(t),
    )


@strawberry.type
class SearchHit:
    type: str
    id: strawberry.ID
    key: str
    label: str
    detail: str | None
    score: float


_REASON_TEXT = {
    "consortium": "both are members of the innovation consortium {via}",
    "standard": "both drafted the group standard {via}",
    "technology": "both work on {via}",
    "complementary": "works on the neighbouring technology {via}",
    "area": "located in the same new city ({via})",
    "recognition": "is currently recognised as {via}",
}

_REASON_TEXT_ZH = {
    "consortium": "同为创新联合体“{via}”成员",
    "standard": "共同起草团体标准 {via}",
    "technology": "都从事{via}",
    "complementary": "从事相邻技术{via}",
    "area": "位于同一新城（{via}）",
    "recognition": "当前为{via}",
}

KIND_WORDS_ZH = {
    "national_hightech": "国家高新技术企业",
    "new_rd_institution": "新型研发机构",
    "enterprise_tech_centre": "企业技术中心",
    "enterprise_rd_centre": "企业研发中心",
    "engineering_research_centre": "工程研究中心",
    "tech_innovation_demo": "技术创新示范企业",
    "specialized_sme": "专精特新中小企业",
}

# Recognition kinds in words a firm uses.
KIND_WORDS = {
    "national_hightech": "a national high-tech enterprise",
    "new_rd_institution": "a new R&D institution",
    "enterprise_tech_centre": "an enterprise technology centre",
    "enterprise_rd_centre": "an enterprise R&D centre",
    "engineering_research_centre": "an engineering research centre",
    "tech_innovation_demo": "a technology innovation demonstration enterprise",
    "specialized_sme": "a specialised and innovative SME (专精特新)",
}


def _reason_text(why: dict[str, Any], texts: dict[str, str], kinds: dict[str, str]) -> str:
    via = str(why["via"])
    return texts[why["kind"]].format(
        via=kinds.get(via, via) if why["kind"] == "recognition" else via
    )


@strawberry.type(description="Xixian New Area or one of its new cities.")
class Area:
    id: str
    name_zh: str | None
    name_en: str | None
    kind: str | None
    parent: str | None


def _selected(info: Info[Context, None], *path: str) -> frozenset[str] | None:
    """Names of the fields asked for under ``path`` (e.g. edges, node) of this field; None
    when a fragment makes that unclear (then everything is read)."""
    level: list[Any] = list(info.selected_fields)
    for name in (None, *path):
        children: list[Any] = []
        for field in level:
            if not isinstance(field, SelectedField):
                return None  # a fragment: read everything rather than guess
            if name is None or field.name == name:
                children += field.selections
        level = children
    if any(not isinstance(f, SelectedField) for f in level):
        return None
    return frozenset(f.name for f in level)


def _related(names: frozenset[str] | None) -> frozenset[str] | None:
    return None if names is None else names & frozenset(reads.ORG_RELATED)


def _page_size(first: int) -> int:
    if not 0 < first <= MAX_PAGE:
        raise ValueError(f"first: {first} must be between 1 and {MAX_PAGE}")
    return first


@strawberry.type
class Query:
    @strawberry.field(description="An organisation by its key (id) or its USCC.")
    async def organization(
        self,
        info: Info[Context, None],
        id: str | None = None,
        uscc: str | None = None,
        as_of: date | None = None,
    ) -> Organization | None:
        if id is None and uscc is None:
            raise ValueError("organization needs id or uscc")
        if id is not None:
            try:
                type_name, key = _decode_id(id)
                id = key if type_name == "Organization" else id
            except ValueError:
                pass  # a plain key
        records = await _read(
            info,
            reads.organization(
                id=id, uscc=uscc, as_of=as_of or date.today(), related=_related(_selected(info))
            ),
        )
        item = records[0]["item"] if records else None
        return _org(item) if item else None

    @strawberry.field(description="The areas filters take: the new area first, then its cities.")
    async def areas(self, info: Info[Context, None]) -> list[Area]:
        return [Area(**r["area"]) for r in await _read(info, reads.areas())]

    @strawberry.field(description="Any node by its global id.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        type_name, key = _decode_id(str(id))
        if type_name == "Organization":
            records = await _read(info, reads.organization(id=key, uscc=None, as_of=date.today()))
            item = records[0]["item"] if records else None
            return _org(item) if item else None
        if type_name not in _CONVERT:
            return None
        records = await _read(info, reads.item_by_key(type_name, key))
        return _CONVERT[type_name](records[0]["item"]) if records else None

    @strawberry.field(
        description="Innovation consortia, paged (area incl. its parts; technology incl. narrower)."
    )
    async def consortia(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        area: str | None = None,
        technology: str | None = None,
        as_of: date | None = None,
    ) -> Connection[Consortium]:
        result: Connection[Consortium] = await _list(
            info, "Consortium", first, after, as_of, area, technology
        )
        return result

    @strawberry.field(
        description="Group standards, paged (technology incl. narrower; published by asOf)."
    )
    async def group_standards(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        technology: str | None = None,
        as_of: date | None = None,
    ) -> Connection[GroupStandard]:
        result: Connection[GroupStandard] = await _list(
            info, "GroupStandard", first, after, as_of, None, technology
        )
        return result

    @strawberry.field(
        description="The technology taxonomy, paged (technology: it and its narrower terms)."
    )
    async def technologies(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        technology: str | None = None,
    ) -> Connection[Technology]:
        result: Connection[Technology] = await _list(
            info, "Technology", first, after, None, None, technology
        )
        return result

    @strawberry.field(description="Documents read by the extractor, paged.")
    async def documents(
        self, info: Info[Context, None], first: int = 20, after: str | None = None
    ) -> Connection[Document]:
        result: Connection[Document] = await _list(info, "Document", first, after, None)
        return result

    @strawberry.field(
        description="Organisations, filtered and paged; totalCount is counted, not collected."
    )
    async def organizations(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        kind: str | None = None,
        area: str | None = None,
        technology: str | None = None,
        recognition: str | None = None,
        recognitions: list[str] | None = None,
        level: str | None = None,
        as_of: date | None = None,
        text: str | None = None,
        sort: OrgSort = OrgSort.NAME,
        descending: bool = False,
    ) -> Connection[Organization]:
        limit = _page_size(first)
        offset = _offset(after)
        query = reads.organizations_page(
            offset=offset,
            limit=limit + 1,
            as_of=as_of or date.today(),
            kind=kind,
            area=area,
            technology=technology,
            recognition=recognition,
            recognitions=recognitions,
            level=level,
            text=text,
            sort=sort.value,
            descending=descending,
            related=_related(_selected(info, "edges", "node")),
        )
        (row,) = await _read(info, query)
        return _connection(row, offset, limit, _org)

    @strawberry.field(
        description="Typeahead across organisations (zh/en names, aliases, former names) and technologies."
    )
    async def search(
        self, info: Info[Context, None], text: str, first: int = 10
    ) -> list[SearchHit]:
        if not text.strip():
            return []
        records = await _read(info, reads.search(text, _page_size(first)))
        return [
            SearchHit(
                type=r["type"],
                id=_global_id(r["type"], r["id"]),
                key=r["id"],
                label=r["label"],
                detail=r["detail"],
                score=float(r["score"]),
            )
            for r in records
        ]

    @strawberry.field(
        description="Per technology of the plan (with narrower terms): who covers it, and the gaps."
    )
    async def coverage(
        self,
        info: Info[Context, None],
        as_of: date | None = None,
        area: str | None = None,
        technologies: list[str] | None = None,
    ) -> list[CoverageRow]:
        records = await _read(
            info, reads.coverage(as_of=as_of or date.today(), area=area, technologies=technologies)
        )
        rows = []
        for r in records:
            counts = {
                "consortia": r["consortia"],
                "rd_institutions": r["rd_institutions"],
                "group_standards": r["group_standards"],
                "enterprise_rd_centres": r["rd_centres"],
                "hightech_enterprises": r["hightech"],
            }
            t = r["technology"]
            rows.append(
                CoverageRow(
                    technology=TechnologyRef(
                        id=t["id"], name_zh=t["name_zh"], name_en=t["name_en"]
                    ),
                    in_plan=bool(t["in_plan"]),
                    narrower=[n["id"] for n in r["narrower"]],
                    narrower_terms=[TechnologyRef(**n) for n in r["narrower"]],
                    gaps=[k for k, v in counts.items() if v == 0],
                    **counts,
                )
            )
        return rows

    @strawberry.field(
        description="Ranked partners for an organisation, each with the reasons as graph paths."
    )
    async def partners(
        self,
        info: Info[Context, None],
        organization: str,
        technology: str | None = None,
        first: int = 10,
        as_of: date | None = None,
    ) -> list[PartnerSuggestion]:
        key = organization
        try:
            type_name, decoded = _decode_id(organization)
            key = decoded if type_name == "Organization" else organization
        except ValueError:
            pass
        query = reads.partners(
            id=key, technology=technology, first=_page_size(first), as_of=as_of or date.today()
        )
        records = await _read(info, query)
        return [
            PartnerSuggestion(
                organization_id=_global_id("Organization", r["partner"]["id"]),
                key=r["partner"]["id"],
                name=r["partner"]["name"],
                kind=r["partner"]["kind"],
                score=float(r["score"]),
                reasons=[
                    Reason(
                        kind=w["kind"],
                        via=str(w["via"]),
                        via_id=str(w["via_id"]),
                        text=_reason_text(w, _REASON_TEXT, KIND_WORDS),
                        text_zh=_reason_text(w, _REASON_TEXT_ZH, KIND_WORDS_ZH),
                    )
                    for w in r["reasons"]
                ],
            )
            for r in records
        ]

    @strawberry.field(
        description="Every target with its actual value as of a date, trend, progress and status."
    )
    async def ledger(
        self, info: Info[Context, None], as_of: date | None = None, area: str | None = None
    ) -> list[LedgerRow]:
        records = await _read(info, reads.ledger(as_of=as_of or date.today(), area=area))
        return [_ledger_row(r) for r in records]

    @strawberry.field(
        description="Organisations holding a recognition valid as of a date, grouped."
    )
    async def counts(
        self,
        info: Info[Context, None],
        group_by: CountGroup,
        as_of: date | None = None,
        recognition: str | None = None,
        area: str | None = None,
    ) -> list[CountRow]:
        records = await _read(
            info,
            reads.grouped_counts(
                group_by.value, as_of=as_of or date.today(), kind=recognition, area=area
            ),
        )
        return [CountRow(key=str(r["key"]), count=int(r["count"])) for r in records]


# Hostile or careless queries are refused before any database work.
MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 3000


# The limits' validation rules are built once: a limiter made per request builds its rule
# class anew, and the validation cache (keyed by the rules) would never hit (~5 ms a request).
_RULES = (
    depth_rule(MAX_DEPTH, None),
    aliases_rule(MAX_ALIASES),
    CostLimitRule,
)


def _build() -> strawberry.Schema:
    from api.mutations import Mutation  # it builds on the types above

    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        # Instances, made once: a limiter made per request builds its validation rule class
        # anew, and the validation cache never hits (~5 ms a request).
        extensions=[
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: AddValidationRules(list(_RULES)),
        ],
    )


schema = _build()
