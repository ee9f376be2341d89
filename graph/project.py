"""Loader records to graph records: entity resolution applied, one node per real thing.

Organisations are collected over the records projected and written with every name they
were listed under, so the node reflects all rows, not the last one. A streamed load
projects one chunk of records at a time (:func:`project_records`, then
:func:`finish_projection` once the load's state so far is folded in, see
:mod:`graph.stream`); the resolver carries the names across chunks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.model import Label, RelType
from graph.records import NodeRecord, NodeRef, RelRecord
from loaders.normalize import name_key
from loaders.provenance import Provenance
from loaders.records import (
    AreaRecord,
    ConsortiumRecord,
    OrgKind,
    OrgMention,
    RecognitionRecord,
    Record,
    StandardRecord,
    TechnologyRecord,
)
from loaders.resolve import Resolver

__all__ = [
    "KIND_LABELS",
    "Projection",
    "fill_gaps",
    "finish_projection",
    "project",
    "project_records",
]

KIND_LABELS = {
    OrgKind.FIRM: Label.FIRM,
    OrgKind.RD_INSTITUTION: Label.RD_INSTITUTION,
    OrgKind.UNIVERSITY: Label.UNIVERSITY,
    OrgKind.SOCIETY: Label.SOCIETY,
    OrgKind.AGENCY: Label.AGENCY,
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _short_hash(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


@dataclass
class Projection:
    nodes: list[NodeRecord] = field(default_factory=list)
    rels: list[RelRecord] = field(default_factory=list)
    org_prov: dict[str, Provenance] = field(default_factory=dict)  # first row naming each org
    org_area: dict[str, str] = field(default_factory=dict)
    org_region: dict[str, str] = field(default_factory=dict)
    org_synthetic: dict[str, bool] = field(default_factory=dict)

    def rel(
        self,
        rtype: RelType,
        start: NodeRef,
        end: NodeRef,
        prov: Provenance,
        key: str | None = None,
        **props: Any,
    ) -> None:
        self.rels.append(RelRecord(rtype, start, end, props, prov, key))


def _org_ref(ident: str) -> NodeRef:
    return NodeRef(Label.ORGANIZATION, ident)


def _mention(p: Projection, resolver: Resolver, m: OrgMention) -> NodeRef:
    res = resolver.resolve(m)
    p.org_prov.setdefault(res.id, m.prov)
    p.org_synthetic[res.id] = p.org_synthetic.get(res.id, True) and m.synthetic
    if m.area:
        p.org_area.setdefault(res.id, m.area)
    if m.region:
        p.org_region.setdefault(res.id, m.region)
    ref = _org_ref(res.id)
    for tech in m.technologies:
        p.rel(RelType.WORKS_ON, ref, NodeRef(Label.TECHNOLOGY, tech), m.prov)
    return ref


def _technology(p: Projection, t: TechnologyRecord) -> None:
    names = [t.name_zh, t.name_en, *t.aliases]
    p.nodes.append(
        NodeRecord(
            Label.TECHNOLOGY,
            t.id,
            {
                "name_zh": t.name_zh,
                "name_en": t.name_en,
                "aliases": list(t.aliases),
                "alias_text": "\n".join(names),
                "in_plan": t.in_plan,
            },
            t.prov,
        )
    )
    for broader in t.broader:
        p.rel(
            RelType.BROADER,
            NodeRef(Label.TECHNOLOGY, t.id),
            NodeRef(Label.TECHNOLOGY, broader),
            t.prov,
        )


def _area(p: Projection, a: AreaRecord) -> None:
    p.nodes.append(
        NodeRecord(
            Label.AREA,
            a.id,
            {
                "name_zh": a.name_zh,
                "name_en": a.name_en,
                "kind": a.kind,
                "aliases": list(a.aliases),
            },
            a.prov,
        )
    )
    if a.parent:
        p.rel(RelType.PART_OF, NodeRef(Label.AREA, a.id), NodeRef(Label.AREA, a.parent), a.prov)


def _recognition(p: Projection, resolver: Resolver, r: RecognitionRecord) -> None:
    org = _mention(p, resolver, r.org)
    # One listing per organisation, kind and year, whichever list states it.
    ident = "rec-" + _short_hash(r.kind, org.key, r.cert_no or r.year or r.batch)
    p.nodes.append(
        NodeRecord(
            Label.RECOGNITION,
            ident,
            {
                "kind": r.kind,
                "level": r.level,
                "cert_no": r.cert_no,
                "granted_on": r.granted_on,
                "valid_from": r.valid_from,
                "valid_to": r.valid_to,
                "year": r.year,
                "batch": r.batch,
                "issuer": r.issuer,
                "doc_no": r.doc_no,
                "status": r.status,
                "synthetic": r.synthetic,
            },
            r.prov,
        )
    )
    p.rel(RelType.HOLDS, org, NodeRef(Label.RECOGNITION, ident), r.prov)


def _consortium(p: Projection, resolver: Resolver, c: ConsortiumRecord) -> None:
    ident = c.consortium_id or "cons-" + _short_hash(name_key(c.name))
    ref = NodeRef(Label.CONSORTIUM, ident)
    p.nodes.append(
        NodeRecord(
            Label.CONSORTIUM,
            ident,
            {
                "name": c.name,
                "level": c.level,
                "established_on": c.established_on,
                "tech_fields": list(c.tech_fields),
                "synthetic": c.synthetic,
            },
            c.prov,
        )
    )
    for role, orgs in (("lead", c.leads), ("member", c.members)):
        for org in orgs:
            member = _mention(p, resolver, org)
            p.rel(RelType.MEMBER_OF, member, ref, c.prov, role=role, since=c.established_on)
    for tech in c.technologies:
        p.rel(RelType.FOCUSES_ON, ref, NodeRef(Label.TECHNOLOGY, tech), c.prov)
    if c.area:
        p.rel(RelType.LOCATED_IN, ref, NodeRef(Label.AREA, c.area), c.prov)


def _standard(p: Projection, resolver: Resolver, s: StandardRecord) -> None:
    ref = NodeRef(Label.GROUP_STANDARD, s.code)
    props: dict[str, Any] = {
        "code_as_printed": s.code_as_printed,
        "title_zh": s.title_zh,
        "title_en": s.title_en,
        "ics": s.ics,
        "ccs": s.ccs,
        "status": s.status,
        "published_on": s.published_on,
        "effective_on": s.effective_on,
        "abolished_on": s.abolished_on,
        "synthetic": s.synthetic,
    }
    # A bare list item must not blank the fields a fuller record of the same code gave.
    p.nodes.append(
        NodeRecord(
            Label.GROUP_STANDARD, s.code, {k: v for k, v in props.items() if v is not None}, s.prov
        )
    )
    if s.society:
        p.rel(RelType.ISSUED, _mention(p, resolver, s.society), ref, s.prov)
    for order, drafter in enumerate(s.drafters, 1):
        p.rel(RelType.DRAFTED, _mention(p, resolver, drafter), ref, s.prov, order=order)
    for tech in s.technologies:
        p.rel(RelType.COVERS, ref, NodeRef(Label.TECHNOLOGY, tech), s.prov)


def _org_nodes(p: Projection, resolver: Resolver) -> None:
    for ident, prov in p.org_prov.items():
        org = resolver.orgs[ident]
        names = sorted(org.names - {org.name})
        former = sorted(org.former_names)
        props: dict[str, Any] = {
            "name": org.name,
            "name_zh": org.name if _CJK.search(org.name) else None,
            "name_en": org.name_en or (None if _CJK.search(org.name) else org.name),
            "aliases": names,
            "former_names": former,
            "alias_text": "\n".join([*names, *former]),
            "uscc": org.uscc,
            "kind": str(org.kind),
            "status": "active",
            "region": org.region or p.org_region.get(ident),
            # real once any real list names it
            "synthetic": (True if org.synthetic is None else org.synthetic)
            and p.org_synthetic.get(ident, False),
        }
        p.nodes.append(
            NodeRecord(Label.ORGANIZATION, ident, props, prov, frozenset({KIND_LABELS[org.kind]}))
        )
        if ident in p.org_area:
            p.rel(RelType.LOCATED_IN, _org_ref(ident), NodeRef(Label.AREA, p.org_area[ident]), prov)
    for new, old in sorted(resolver.successors):
        if new in p.org_prov:
            p.rel(RelType.SUCCESSOR_OF, _org_ref(new), _org_ref(old), p.org_prov[new])


def fill_gaps(seen: NodeRecord, later: NodeRecord) -> NodeRecord:
    """``seen`` (stated by earlier rows), with what ``later`` states where it is empty."""
    merged = dict(seen.props)
    for k, v in later.props.items():
        if merged.get(k) in (None, [], "") and v not in (None, [], ""):
            merged[k] = v
    return NodeRecord(seen.label, seen.key, merged, seen.prov, seen.kinds)


def _dedupe(p: Projection) -> None:
    """One record per node key (earlier rows win, later ones fill gaps); first of each edge."""
    nodes: dict[tuple[Label, object], NodeRecord] = {}
    for n in p.nodes:
        seen = nodes.get((n.label, n.key))
        nodes[(n.label, n.key)] = n if seen is None else fill_gaps(seen, n)
    rels: dict[tuple[object, ...], RelRecord] = {}
    for r in p.rels:
        rels.setdefault((r.type, r.start, r.end, r.key), r)
    p.nodes, p.rels = list(nodes.values()), list(rels.values())


def project_records(records: Iterable[Record], resolver: Resolver) -> Projection:
    """Graph records for ``records``, resolving every organisation mention; the
    organisations' own nodes are added by :func:`finish_projection`."""
    p = Projection()
    for r in records:
        if isinstance(r, TechnologyRecord):
            _technology(p, r)
        elif isinstance(r, AreaRecord):
            _area(p, r)
        elif isinstance(r, RecognitionRecord):
            _recognition(p, resolver, r)
        elif isinstance(r, ConsortiumRecord):
            _consortium(p, resolver, r)
        elif isinstance(r, StandardRecord):
            _standard(p, resolver, r)
    return p


def finish_projection(p: Projection, resolver: Resolver) -> None:
    """The node of every organisation ``p`` names (as the resolver knows it now), its area
    and successions; then one record per node key and relationship."""
    _org_nodes(p, resolver)
    _dedupe(p)


def project(records: Iterable[Record], resolver: Resolver) -> Projection:
    """Graph records for one load's records, resolving every organisation mention."""
    p = project_records(records, resolver)
    finish_projection(p, resolver)
    return p
