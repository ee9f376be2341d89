"""A firm's questions of the consortia and standards around it: which consortium to join,
and who drafts the standards of its field."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from api.errors import InputError
from api.graphql.arguments import OrganizationArg, run_checked
from api.graphql.context import Context
from api.graphql.relay import decode_id, page_size
from api.graphql.types import ConsortiumRef, OrganizationRef, TechnologyRef
from graph.reads import JOIN_WEIGHTS, consortia_to_join, standard_drafters

__all__ = [
    "ConsortiumSuggestion",
    "Drafter",
    "EntityQueries",
    "FieldDrafters",
    "JoinReason",
    "join_reasons",
]

# Each reason in both languages ({n}: how many; {names}: the technologies).
_WORDS = {
    "technology": ("focuses on {names}, as you do", "聚焦{names}，与贵单位相同"),
    "co_drafter": (
        "{n} members drafted a standard with you",
        "{n} 家成员单位与贵单位共同起草过标准",
    ),
    "co_member": (
        "{n} members share another consortium with you",
        "{n} 家成员单位与贵单位同在另一创新联合体",
    ),
    "neighbour": ("{n} members in your area", "{n} 家成员单位与贵单位在同一区域"),
}


@strawberry.type
class JoinReason:
    kind: str = strawberry.field(description="technology, co_drafter, co_member or neighbour.")
    count: int
    weight: float = strawberry.field(description="What each one adds to the score.")
    text: str
    text_zh: str


@strawberry.type
class ConsortiumSuggestion:
    consortium: ConsortiumRef
    lead: OrganizationRef | None
    technologies: list[TechnologyRef] = strawberry.field(
        description="Its technologies that are the firm's (or a broader or narrower term)."
    )
    members: int
    score: float
    reasons: list[JoinReason]


@strawberry.type
class Drafter:
    organization: OrganizationRef
    standards: int = strawberry.field(description="Standards in force it drafted in this field.")
    codes: list[str] = strawberry.field(description="Up to five of their codes.")
    itself: bool = strawberry.field(description="The firm asked about.")


@strawberry.type
class FieldDrafters:
    technology: TechnologyRef
    total: int = strawberry.field(description="How many organisations drafted in the field.")
    drafters: list[Drafter]


def _key(organization: str) -> str:
    try:
        type_name, key = decode_id(organization)
    except InputError:
        return organization
    return key if type_name == "Organization" else organization


def _name(t: dict[str, Any], zh: bool) -> str:
    return str((t.get("name_zh") if zh else t.get("name_en")) or t.get("name_en") or t["id"])


def join_reasons(r: dict[str, Any]) -> list[JoinReason]:
    """The evidence of a suggestion in words (English and Chinese), strongest first."""
    counts = {
        "technology": len(r["shared"]),
        "co_drafter": int(r["co_drafters"]),
        "co_member": int(r["co_members"]),
        "neighbour": int(r["neighbours"]),
    }
    out = []
    for kind, n in counts.items():
        if not n:
            continue
        en, zh = _WORDS[kind]
        names_en = ", ".join(_name(t, False) for t in r["shared"])
        names_zh = "、".join(_name(t, True) for t in r["shared"])
        out.append(
            JoinReason(
                kind=kind,
                count=n,
                weight=JOIN_WEIGHTS[kind],
                text=en.format(n=n, names=names_en),
                text_zh=zh.format(n=n, names=names_zh),
            )
        )
    return sorted(out, key=lambda x: -x.weight * x.count)


def _ref(t: dict[str, Any]) -> TechnologyRef:
    return TechnologyRef(id=t["id"], name_zh=t.get("name_zh"), name_en=t.get("name_en"))


@strawberry.type
class EntityQueries:
    @strawberry.field(
        description="Consortia a firm could join: formed by asOf, on its technologies (or a "
        "broader or narrower term), not yet its own; ranked by how close their members are "
        "to it — score = 2 per shared technology + 3 per member that drafted a standard with "
        "it + 2 per member of another consortium with it + 0.5 per member in its area; ties "
        "by more members, then by key. Each with its reasons in English and Chinese."
    )
    async def consortia_to_join(
        self,
        info: Info[Context, None],
        organization: OrganizationArg,
        first: int = 10,
        as_of: date | None = None,
    ) -> list[ConsortiumSuggestion]:
        key = _key(organization)
        query = consortia_to_join(id=key, as_of=as_of or date.today(), first=page_size(first))
        records = await run_checked(info, query, organization=key)
        return [
            ConsortiumSuggestion(
                consortium=ConsortiumRef(**r["consortium"]),
                lead=OrganizationRef(key=r["lead"]["id"], name=r["lead"].get("name"))
                if r["lead"]
                else None,
                technologies=sorted((_ref(t) for t in r["shared"]), key=lambda t: t.id),
                members=int(r["members"]),
                score=float(r["score"]),
                reasons=join_reasons(dict(r)),
            )
            for r in records
        ]

    @strawberry.field(
        description="Who drafts the standards of a firm's field: per technology it works on, "
        "the organisations that drafted the most group standards in force on asOf covering "
        "it (or a narrower term), most first, ties by name."
    )
    async def standard_drafters(
        self,
        info: Info[Context, None],
        organization: OrganizationArg,
        per_technology: int = 5,
        as_of: date | None = None,
    ) -> list[FieldDrafters]:
        key = _key(organization)
        query = standard_drafters(
            id=key, as_of=as_of or date.today(), per_technology=page_size(per_technology)
        )
        records = await run_checked(info, query, organization=key)
        return [
            FieldDrafters(
                technology=_ref(r["technology"]),
                total=int(r["total"]),
                drafters=[
                    Drafter(
                        organization=OrganizationRef(
                            key=d["organization"]["id"],
                            name=d["organization"].get("name"),
                            uscc=d["organization"].get("uscc"),
                        ),
                        standards=int(d["standards"]),
                        codes=list(d["codes"]),
                        itself=bool(d["itself"]),
                    )
                    for d in r["drafters"]
                ],
            )
            for r in records
        ]
