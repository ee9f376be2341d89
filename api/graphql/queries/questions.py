"""The users' questions: who covers the plan's technologies, whom to partner with, how the
targets stand, and how many organisations hold a recognition."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import neo4j
import strawberry
from strawberry.types import Info

from api.errors import InputError
from api.graphql.arguments import (
    AreaArg,
    OrganizationArg,
    TechnologiesArg,
    TechnologyArg,
    run_checked,
    term,
)
from api.graphql.context import Context, run_query
from api.graphql.convert import native, to_ledger_row
from api.graphql.relay import decode_id, global_id, page_size
from api.graphql.types import (
    NO_GROUP,
    CountGroup,
    CountRow,
    CoverageRow,
    LedgerRow,
    PartnerSuggestion,
    Reason,
    TechnologyRef,
)
from api.graphql.wording import one_of, reason_text
from graph import reads
from loaders.vocabulary import vocabulary

__all__ = ["PARTNERS_DESCRIPTION", "QuestionQueries", "to_partner"]

_W = reads.PARTNER_WEIGHTS
PARTNERS_DESCRIPTION = (
    "Ranked partners for an organisation as of a date, each with its reasons (graph paths) "
    "and their weights. Candidates come from its consortia, its standards, its technologies "
    f"and neighbouring ones, at most {reads.PARTNER_FAN} from each, so that a technology "
    "thousands work on costs no more than a narrow one (a reason says when its field was "
    "capped). A reason weighs base × specificity × recency: base "
    f"{_W['consortium']:g} for a consortium in common or a standard drafted together, "
    f"{_W['technology']:g} a shared technology, {_W['complementary']:g} a neighbouring one, "
    f"{_W['area']:g} the same area, {_W['recognition']:g} a recognition held; specificity "
    "1 / (1 + log10(n)) for the n organisations sharing it; recency 0.5 + 0.5 × 2^(-years / "
    f"{reads.HALF_LIFE_YEARS:g}) since the consortium was formed, the standard published or "
    "the recognition began. The score is their sum; ties go to more kinds of evidence, then "
    "by name, then by key."
)


def to_partner(r: neo4j.Record) -> PartnerSuggestion:
    """One suggestion from a record of ``reads.partners``, its reasons in both languages."""
    p = r["partner"]
    return PartnerSuggestion(
        organization_id=global_id("Organization", p["id"]),
        key=p["id"],
        name=p["name"],
        name_en=p["name_en"],
        kind=p["kind"],
        score=float(r["score"]),
        reasons=[
            Reason(
                kind=w["kind"],
                via=w["via_zh"]
                if w["via_en"] in (None, w["via_zh"])
                else f"{w['via_zh']} / {w['via_en']}",
                via_id=str(w["via_id"]),
                via_zh=str(w["via_zh"]),
                via_en=str(w["via_en"] or w["via_zh"]),
                shared_by=w["shared_by"],
                weight=float(w["weight"]),
                text=reason_text(w, "en", reads.PARTNER_FAN),
                text_zh=reason_text(w, "zh", reads.PARTNER_FAN),
            )
            for w in r["reasons"]
        ],
    )


@strawberry.type
class QuestionQueries:
    @strawberry.field(
        description="Per technology of the plan (with narrower terms): who covers it, and the gaps."
    )
    async def coverage(
        self,
        info: Info[Context, None],
        as_of: date | None = None,
        area: AreaArg = None,
        technologies: TechnologiesArg = None,
    ) -> list[CoverageRow]:
        records = await run_checked(
            info,
            reads.coverage(as_of=as_of or date.today(), area=area, technologies=technologies),
            area=area,
            technologies=technologies,
        )
        rows = []
        for r in records:
            counts = {key: int(r[key]) for key in vocabulary().coverage_columns}
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

    @strawberry.field(description=PARTNERS_DESCRIPTION)
    async def partners(
        self,
        info: Info[Context, None],
        organization: OrganizationArg,
        technology: TechnologyArg = None,
        first: int = 10,
        as_of: date | None = None,
    ) -> list[PartnerSuggestion]:
        key = organization
        try:
            type_name, decoded = decode_id(organization)
            key = decoded if type_name == "Organization" else organization
        except InputError:
            pass
        query = reads.partners(
            id=key, technology=technology, first=page_size(first), as_of=as_of or date.today()
        )
        records = await run_checked(info, query, technology=technology, organization=key)
        return [to_partner(r) for r in records]

    @strawberry.field(
        description="Every target with its actual value as of a date, trend, progress and status."
    )
    async def ledger(
        self, info: Info[Context, None], as_of: date | None = None, area: AreaArg = None
    ) -> list[LedgerRow]:
        day = as_of or date.today()
        records = await run_checked(info, reads.ledger(as_of=day, area=area), area=area)
        return [to_ledger_row(r, day) for r in records]

    @strawberry.field(
        description="The last day the registry's lists cover: 31 December of the year of the "
        "latest date any list states (a recognition's validity start, a consortium's "
        "founding, a standard's publication); null for an empty registry. A counted value on "
        "a later day is no data (null), not 0; the dashboard's default as-of date is the "
        "earlier of today and this."
    )
    async def data_until(self, info: Info[Context, None]) -> date | None:
        (row,) = await run_query(info, reads.data_until())
        value: date | None = native(row["data_until"])
        return value

    @strawberry.field(
        description="Organisations holding a recognition valid as of a date, grouped; those "
        "with no area (technology, year) in a bucket of their own (unassigned), so that the "
        "buckets add up to organizations(recognition:, area:, asOf:).totalCount (an "
        "organisation working on several technologies counts under each)."
    )
    async def counts(
        self,
        info: Info[Context, None],
        group_by: CountGroup,
        as_of: date | None = None,
        recognition: Annotated[
            str | None,
            strawberry.argument(
                description=f"Only recognitions of this kind: {one_of('recognition_kinds')} "
                "(else refused)."
            ),
        ] = None,
        area: AreaArg = None,
    ) -> list[CountRow]:
        kind = term("recognition_kinds", recognition, "recognition")
        query = reads.grouped_counts(
            group_by.value, as_of=as_of or date.today(), kind=kind, area=area
        )
        records = await run_checked(info, query, area=area)
        return [
            CountRow(key=NO_GROUP, count=int(r["count"]), unassigned=True)
            if r["key"] is None
            else CountRow(key=str(r["key"]), count=int(r["count"]))
            for r in records
        ]
