"""Records from Neo4j (the maps graph/reads.py returns) to the GraphQL output types."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import neo4j

from api.graphql.assess import Point, judge
from api.graphql.outlook import on_schedule
from api.graphql.relay import Node, global_id
from api.graphql.types import (
    AreaRef,
    Consortium,
    ConsortiumRef,
    Document,
    DocumentRef,
    FormerName,
    GroupStandard,
    LedgerRow,
    MemberRef,
    Membership,
    Organization,
    OrganizationRef,
    ProvenanceType,
    Recognition,
    StandardRef,
    Technology,
    TechnologyRef,
    TrendPoint,
)
from graph import reads

__all__ = [
    "BY_TYPE",
    "native",
    "to_consortium",
    "to_document",
    "to_ledger_row",
    "to_organization",
    "to_provenance",
    "to_recognition",
    "to_standard",
    "to_technology",
]


def native(value: Any) -> Any:
    """A Neo4j temporal value as Python's (a date), anything else as it is."""
    return value.to_native() if hasattr(value, "to_native") else value


def to_provenance(d: dict[str, Any]) -> ProvenanceType:
    return ProvenanceType(
        source=d.get("prov_source"),
        row=d.get("prov_row"),
        sources=list(d.get("prov_sources") or []),
        extractor=d.get("prov_extractor"),
        confidence=d.get("prov_confidence"),
    )


def to_recognition(r: dict[str, Any], *, valid: bool) -> Recognition:
    """A recognition record (its properties and provenance) as the output type; ``valid``:
    whether it is valid on the day the question asks about."""
    return Recognition(
        id=r["id"],
        kind=r["kind"],
        level=r.get("level"),
        cert_no=r.get("cert_no"),
        granted_on=native(r.get("granted_on")),
        valid_from=native(r.get("valid_from")),
        valid_to=native(r.get("valid_to")),
        year=r.get("year"),
        batch=r.get("batch"),
        issuer=r.get("issuer"),
        status=r.get("status"),
        valid=valid,
        provenance=to_provenance(r),
    )


def _names(d: dict[str, Any], field: str) -> list[str]:
    """An organisation's aliases or former names, with those of the entries merged into it
    (a merged entry's own name becomes an alias of the organisation it stands as)."""
    names = list(d.get(field) or [])
    for x in d.get("merged") or []:
        extra = list(x.get(field) or []) + ([x["name"]] if field == "aliases" else [])
        names += [n for n in extra if n and n != d.get("name")]
    if field == "aliases":  # a name that was the organisation's is a former name, not an alias
        former = set(_names(d, "former_names"))
        names = [n for n in names if n not in former]
    return list(dict.fromkeys(names))


def _dated(d: dict[str, Any], former: list[str]) -> list[FormerName]:
    """Each former name with the day its change was recorded ("YYYY-MM-DD|name" entries of
    ``name_history``, of the organisation and the entries merged into it; the latest wins)."""
    until: dict[str, date] = {}
    for x in [d, *(d.get("merged") or [])]:
        for entry in x.get("name_history") or []:
            day, _, name = entry.partition("|")
            until[name] = date.fromisoformat(day)
    return [FormerName(name=n, until=until.get(n)) for n in former]


def to_organization(d: dict[str, Any]) -> Organization:
    former = _names(d, "former_names")
    return Organization(
        id=global_id("Organization", d["id"]),
        key=d["id"],
        name=d["name"],
        name_zh=d.get("name_zh"),
        name_en=d.get("name_en"),
        uscc=d.get("uscc"),
        kind=d.get("kind"),
        status=d.get("status"),
        aliases=_names(d, "aliases"),
        former_names=former,
        former_names_dated=_dated(d, former),
        region=d.get("region"),
        synthetic=bool(d.get("synthetic")),
        areas=[AreaRef(**a) for a in d.get("areas") or []],
        technologies=[
            TechnologyRef(
                id=t["id"], name_zh=t["name_zh"], name_en=t["name_en"], provenance=to_provenance(t)
            )
            for t in d.get("technologies") or []
        ],
        recognitions=sorted(
            (to_recognition(r, valid=bool(r.get("valid"))) for r in d.get("recognitions") or []),
            key=lambda r: (r.valid_from or date.min, r.kind),
        ),
        memberships=[
            Membership(
                role=m.get("role"),
                since=native(m.get("since")),
                until=native(m.get("until")),
                current=bool(m.get("current", True)),
                inherited_from=m.get("via_merge"),
                consortium=ConsortiumRef(**m["consortium"]),
                provenance=to_provenance(m),
            )
            for m in d.get("memberships") or []
        ],
        standards=[
            StandardRef(
                code=s["code"],
                title_zh=s.get("title_zh"),
                status=s.get("status"),
                published_on=native(s.get("published_on")),
                role=s.get("role") or "drafter",
                in_force=bool(s.get("in_force", True)),
                provenance=to_provenance(s),
            )
            for s in d.get("standards") or []
        ],
        merged_into=(
            OrganizationRef(key=d["merged_into"]["id"], name=d["merged_into"].get("name"))
            if d.get("merged_into")
            else None
        ),
        merged=[
            OrganizationRef(key=x["id"], name=x.get("name"), uscc=x.get("uscc"))
            for x in d.get("merged") or []
        ],
        provenance=to_provenance(d),
    )


def to_consortium(d: dict[str, Any]) -> Consortium:
    members = sorted(
        (
            MemberRef(
                key=m["id"],
                name=m.get("name"),
                role=m.get("role"),
                since=native(m.get("since")),
                until=native(m.get("until")),
            )
            for m in d.get("members") or []
        ),
        key=lambda m: (m.role != "lead", m.name or "", m.key),
    )
    return Consortium(
        id=global_id("Consortium", d["key"]),
        key=d["key"],
        name=d.get("name"),
        level=d.get("level"),
        established_on=native(d.get("established_on")),
        tech_fields=list(d.get("tech_fields") or []),
        technologies=list(d.get("technologies") or []),
        technology_terms=_tech_refs(d.get("technology_refs")),
        members=members,
        lead=next((m for m in members if m.role == "lead"), None),
        provenance=to_provenance(d),
    )


def _tech_refs(items: Any) -> list[TechnologyRef]:
    refs = [
        TechnologyRef(id=t["id"], name_zh=t.get("name_zh"), name_en=t.get("name_en"))
        for t in items or []
    ]
    return sorted(refs, key=lambda t: t.id)


def to_standard(d: dict[str, Any]) -> GroupStandard:
    return GroupStandard(
        id=global_id("GroupStandard", d["key"]),
        code=d["key"],
        title_zh=d.get("title_zh"),
        title_en=d.get("title_en"),
        status=d.get("status"),
        published_on=native(d.get("published_on")),
        effective_on=native(d.get("effective_on")),
        ics=d.get("ics"),
        issuer=d.get("issuer"),
        drafters=list(d.get("drafters") or []),
        drafted_by=[
            OrganizationRef(key=o["id"], name=o.get("name"), uscc=o.get("uscc"))
            for o in sorted(
                d.get("drafter_refs") or [],
                key=lambda o: (o.get("order") is None, o.get("order") or 0, o["id"]),
            )
        ],
        technologies=list(d.get("technologies") or []),
        technology_terms=_tech_refs(d.get("technology_refs")),
        provenance=to_provenance(d),
    )


def to_technology(d: dict[str, Any]) -> Technology:
    return Technology(
        id=global_id("Technology", d["key"]),
        key=d["key"],
        name_zh=d.get("name_zh"),
        name_en=d.get("name_en"),
        aliases=list(d.get("aliases") or []),
        in_plan=bool(d.get("in_plan")),
        broader=list(d.get("broader") or []),
        narrower=list(d.get("narrower") or []),
        broader_terms=_tech_refs(d.get("broader_refs")),
        narrower_terms=_tech_refs(d.get("narrower_refs")),
        provenance=to_provenance(d),
    )


def to_document(d: dict[str, Any]) -> Document:
    return Document(
        id=global_id("Document", d["key"]),
        key=d["key"],
        title=d.get("title"),
        url=d.get("url"),
        lang=d.get("lang"),
        sha256=d.get("sha256"),
        targets=int(d.get("targets") or 0),
        provenance=to_provenance(d),
    )


# By type name (which is also the label): the converter `node` and the paged lists use.
BY_TYPE: dict[str, Callable[[dict[str, Any]], Node]] = {
    "Consortium": to_consortium,
    "GroupStandard": to_standard,
    "Technology": to_technology,
    "Document": to_document,
}


def to_ledger_row(r: neo4j.Record, as_of: date) -> LedgerRow:
    t = r["target"]
    countable = t.get("indicator_key") in reads.COUNTABLE
    trend = [Point(native(p["day"]), p["value"]) for p in r["trend"]]
    comparator = t["comparator"] or ">="
    judged = judge(
        trend,
        comparator,
        float(t["value"]),
        t.get("deadline"),
        as_of=as_of,
        at_deadline=r["at_deadline"],
        contribution=bool(r["contribution"]),
    )
    judged, outlook = on_schedule(
        judged,
        r["outlook"],
        comparator=comparator,
        target=float(t["value"]),
        deadline=t.get("deadline"),
        as_of=as_of,
    )
    doc, span, figure = r["document"], r["span"] or {}, r["figure"] or {}
    passed = r["deadline_day"] is not None
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
        actual=trend[-1].value if trend else None,
        progress=judged.progress,
        projected=judged.projected,
        projected_from="expiries"
        if outlook and outlook.projected is not None
        else "trend"
        if judged.projected is not None
        else None,
        at_risk=outlook.at_risk if outlook else None,
        renewal_rate=outlook.renewal_rate if outlook else None,
        status=str(judged.status),
        judged_on=judged.judged_on,
        at_deadline=r["at_deadline"] if passed else None,
        data_until=native(r["data_until"]),
        scope_area=r["scope_area"],
        area=r["area"],
        contribution=bool(r["contribution"]),
        trend=[TrendPoint(day=p.day, value=p.value) for p in trend],
        document=DocumentRef(id=doc["id"], title=doc.get("title"), url=doc.get("url"))
        if doc
        else None,
        evidence_start=span.get("start"),
        evidence_end=span.get("end"),
        figure_source=None if countable else figure.get("source"),
        figure_as_of=None if countable else native(figure.get("as_of")),
        figure_area=None if countable else figure.get("area"),
        figure_stale=None if countable or not figure else bool(figure["stale"]),
        evidence=t.get("evidence"),
        provenance=to_provenance(t),
    )
