"""Renewals: who lapses soon (``expiring``) and how a count moves (``flows``)."""

from __future__ import annotations

import calendar
from datetime import date
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.errors import InputError
from api.graphql.arguments import AreaArg, run_checked, term
from api.graphql.context import Context
from api.graphql.convert import native, to_recognition
from api.graphql.relay import DEFAULT_PAGE, Connection, connection, offset_after, page_size
from api.graphql.types import OrganizationRef, Recognition
from api.graphql.wording import one_of
from graph.reads.renewals import expiring_page, flows, period_ends

__all__ = ["ExpiringRow", "FlowPeriod", "FlowRow", "RenewalQueries", "months_after"]

MAX_MONTHS = 120
MAX_PERIODS = 200

KindArg = Annotated[
    str | None,
    strawberry.argument(
        description=f"A recognition kind: {one_of('recognition_kinds')} (null: any; else refused)."
    ),
]


@strawberry.type(
    description="An organisation whose certificate ends in the window, with no later one."
)
class ExpiringRow:
    organization: OrganizationRef
    recognition: Recognition
    valid_to: date = strawberry.field(description="The certificate's last valid day.")


@strawberry.enum
class FlowPeriod(Enum):
    YEAR = "YEAR"
    QUARTER = "QUARTER"


@strawberry.type(
    description="One period's moves of the count of holders: new (not holding at its start, "
    "holding at its end), renewed (holding at both, with a certificate beginning in "
    "between), lapsed (holding at its start, not at its end); net = new − lapsed, the "
    "change of the as-of count over the period."
)
class FlowRow:
    period: str = strawberry.field(description="2024, or 2024-Q3: the period ending on end.")
    start: date
    end: date
    new: int
    renewed: int
    lapsed: int
    net: int


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _to_row(d: dict[str, object]) -> ExpiringRow:
    o, r = d["organization"], d["recognition"]
    assert isinstance(o, dict) and isinstance(r, dict)
    return ExpiringRow(
        organization=OrganizationRef(key=o["id"], name=o.get("name"), uscc=o.get("uscc")),
        recognition=to_recognition(r, valid=True),
        valid_to=native(r["valid_to"]),
    )


@strawberry.type
class RenewalQueries:
    @strawberry.field(
        description="Organisations whose recognition (of kind) valid on asOf ends within the "
        "next `within` months and that hold no recognition of that kind ending later: the "
        "bureau's renewal calls, soonest first (then by name)."
    )
    async def expiring(
        self,
        info: Info[Context, None],
        within: Annotated[
            int, strawberry.argument(description=f"Months from asOf (1 to {MAX_MONTHS}).")
        ] = 12,
        as_of: date | None = None,
        area: AreaArg = None,
        kind: KindArg = None,
        first: int = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[ExpiringRow]:
        if not 0 < within <= MAX_MONTHS:
            raise InputError(f"within: {within} must be between 1 and {MAX_MONTHS} months")
        limit, offset = page_size(first), offset_after(after)
        day = as_of or date.today()
        query = expiring_page(
            as_of=day,
            until=months_after(day, within),
            area=area,
            kind=term("recognition_kinds", kind, "kind"),
            offset=offset,
            limit=limit + 1,
        )
        (row,) = await run_checked(info, query, area=area, one_row=True)
        return connection(row, offset, limit, _to_row)

    @strawberry.field(
        description="How the count of holders (of kind, in area) moved from `from` to `to`, "
        "period by period: the nets add up to the change of the as-of count (counts, "
        "organizations(recognition:).totalCount) between from and to."
    )
    async def flows(
        self,
        info: Info[Context, None],
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        kind: KindArg = None,
        area: AreaArg = None,
        by: FlowPeriod = FlowPeriod.YEAR,
    ) -> list[FlowRow]:
        if to <= from_:
            raise InputError(f"to: {to} must be after from ({from_})")
        periods = period_ends(from_, to, by.value)
        if len(periods) > MAX_PERIODS:
            raise InputError(f"from {from_} to {to} by {by.value} is over {MAX_PERIODS} periods")
        spec: list[dict[str, object]] = [{"period": p, "start": s, "end": e} for p, s, e in periods]
        query = flows(periods=spec, area=area, kind=term("recognition_kinds", kind, "kind"))
        records = await run_checked(info, query, area=area)
        found = {r["period"]: r for r in records}
        rows = []
        for p, s, e in periods:
            r = found.get(p)
            new, renewed, lapsed = (
                (int(r["new"]), int(r["renewed"]), int(r["lapsed"])) if r else (0, 0, 0)
            )
            rows.append(
                FlowRow(
                    period=p,
                    start=s,
                    end=e,
                    new=new,
                    renewed=renewed,
                    lapsed=lapsed,
                    net=new - lapsed,
                )
            )
        return rows
