"""The users' questions: who covers the plan's technologies, whom to partner with, how the
targets stand, and how many organisations hold a recognition."""

from __future__ import annotations

from datetime import date
from typing import Annotated

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
from api.graphql.wording import (
    KIND_WORDS,
    KIND_WORDS_ZH,
    REASON_TEXT,
    REASON_TEXT_ZH,
    one_of,
    reason_text,
)
from graph import reads
from loaders.vocabulary import vocabulary

__all__ = ["QuestionQueries"]


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

    @strawberry.field(
        description="Ranked partners for an organisation, each with the reasons as graph paths."
    )
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
        return [
            PartnerSuggestion(
                organization_id=global_id("Organization", r["partner"]["id"]),
                key=r["partner"]["id"],
                name=r["partner"]["name"],
                kind=r["partner"]["kind"],
                score=float(r["score"]),
                reasons=[
                    Reason(
                        kind=w["kind"],
                        via=str(w["via"]),
                        via_id=str(w["via_id"]),
                        text=reason_text(w, REASON_TEXT, KIND_WORDS),
                        text_zh=reason_text(w, REASON_TEXT_ZH, KIND_WORDS_ZH),
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
