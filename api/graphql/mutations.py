"""The bureau's mutations: each idempotent, audited, and refused to any other role."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

import strawberry
from neo4j.exceptions import ConstraintError
from strawberry.types import Info

from api.auth import Role
from api.errors import EditRefusedError, ForbiddenError, InputError
from api.graphql.context import Context, require_one, run_counted_write, run_query
from api.graphql.figures import (
    REPORTABLE,
    check_area,
    check_as_of,
    check_value,
    reported_indicator,
)
from api.graphql.inputs import MAX_NAME_CHARS, MAX_REASON_CHARS, finite, text
from api.graphql.queries.reviews import ReviewDecision
from api.graphql.relay import decode_id
from api.graphql.wording import in_words, one_of
from graph import edits, merges, reads, reviews
from loaders.uscc import uscc_problem
from loaders.vocabulary import vocabulary

__all__ = ["EditResult", "Mutation", "OrganizationCorrection"]

ROLES = vocabulary().keys("membership_roles")
# The statuses a correction may set: merged is set by mergeOrganizations only.
SETTABLE_STATUSES = tuple(k for k in vocabulary().keys("organization_statuses") if k != "merged")


@strawberry.type(description="What an edit changed; changed is false when the state already held.")
class EditResult:
    changed: bool
    before: list[str]
    after: list[str]


def _require_bureau(info: Info[Context, None]) -> tuple[str, str]:
    p = info.context.principal
    if p.role is not Role.BUREAU:
        raise ForbiddenError(
            f"{p.name} ({p.role}) may not change the registry: writes need an API key with the bureau role"
        )
    return p.name, str(p.role)


async def _edit(
    info: Info[Context, None],
    query: tuple[str, dict[str, Any]],
    missing: str,
    counted: Sequence[str] = (),
) -> EditResult:
    """Run an edit; ``counted`` names the organisations whose counts it may move (their
    merge trees are recounted in the same transaction)."""
    if counted:
        records = await run_counted_write(info, query, counted)
    else:
        records = await run_query(info, query, write=True)
    r = require_one(records, missing)
    if r.get("refusal"):
        raise _refused(r["refusal"])
    return EditResult(
        changed=bool(r["changed"]), before=sorted(r["before"] or []), after=sorted(r["after"] or [])
    )


def _refused(refusal: dict[str, Any]) -> EditRefusedError:
    """A refusal from graph.merges or graph.edits in words."""
    code, into, name = refusal["code"], refusal.get("into"), refusal.get("name")
    if code == "uscc_taken":
        return EditRefusedError(
            f"uscc: {refusal['uscc']} is held by {name} ({refusal['id']}); a USCC names one "
            f"organisation: if they are the same, merge them (mergeOrganizations), else check "
            "the number",
            "USCC_TAKEN",
        )
    if code == "keep_merged":
        return EditRefusedError(
            f"keep: that entry is itself merged into {name} ({into}); merge into {into} instead",
            "MERGE_REFUSED",
        )
    if code == "merge_merged":
        return EditRefusedError(
            f"merge: that entry is already merged into {name} ({into}); undo that merge first "
            "(undoMerge), then merge it again",
            "MERGE_REFUSED",
        )
    return EditRefusedError(
        f"organization: {name} is not merged into anything, so there is no merge to undo",
        "NOT_MERGED",
    )


async def _require_standing(info: Info[Context, None], org: str) -> None:
    """Edits of memberships go to the organisation that stands, not to a merged entry."""
    records = await run_query(info, merges.standing(org))
    if records and (into := records[0]["merged_into"]):
        raise EditRefusedError(
            f"organization: {records[0]['name']} ({org}) is merged into {into['name']} "
            f"({into['id']}); edit {into['id']}, which holds its memberships",
            "MERGED_ENTRY",
        )


def _item_key(item: str) -> str:
    """A review item's key, from the key itself or its global id."""
    try:
        type_name, key = decode_id(item)
    except InputError:
        return item
    return key if type_name == "ReviewItem" else item


@strawberry.input
class OrganizationCorrection:
    name: str | None = strawberry.field(
        default=None,
        description="The organisation's name now: also written to nameZh when it has Chinese "
        "characters, else to nameEn; the name it replaces becomes a former name, with the date.",
    )
    name_en: str | None = None
    uscc: str | None = None
    status: str | None = strawberry.field(
        default=None,
        description=f"The status: one of {', '.join(SETTABLE_STATUSES)} "
        "(merged is set by mergeOrganizations).",
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Correct an organisation's names, USCC or status (bureau only)."
    )
    async def correct_organization(
        self,
        info: Info[Context, None],
        organization: str,
        changes: OrganizationCorrection,
        reason: str,
    ) -> EditResult:
        who, role = _require_bureau(info)
        reason = text(reason, "reason", MAX_REASON_CHARS)
        values = {k: v for k, v in vars(changes).items() if v is not None}
        if not values:
            raise InputError("changes: give at least one of name, nameEn, uscc, status")
        for name in ("name", "name_en"):
            if name in values:
                field = "nameEn" if name == "name_en" else name
                values[name] = text(values[name], field, MAX_NAME_CHARS)
        if "uscc" in values:
            values["uscc"] = values["uscc"].strip().upper()
            if problem := uscc_problem(values["uscc"]):
                raise EditRefusedError(
                    f"uscc {values['uscc']!r} is not valid: {problem}", "INVALID_USCC"
                )
        if values.get("status") not in (None, *SETTABLE_STATUSES):
            raise InputError(f"status: use {in_words(SETTABLE_STATUSES)}")
        query = edits.correct_organization(organization, values, who=who, role=role, reason=reason)
        try:
            return await _edit(info, query, f"no organisation {organization!r}")
        except ConstraintError:
            # another firm took the USCC between this query's check and its write: asked
            # again, the check sees that firm and the refusal names it
            return await _edit(info, query, f"no organisation {organization!r}")

    @strawberry.mutation(
        description="Record that two entries are one organisation; reversible with undoMerge."
    )
    async def merge_organizations(
        self, info: Info[Context, None], keep: str, merge: str, reason: str
    ) -> EditResult:
        who, role = _require_bureau(info)
        reason = text(reason, "reason", MAX_REASON_CHARS)
        if keep == merge:
            raise EditRefusedError(
                "keep and merge name the same organisation: an entry cannot be merged into itself",
                "MERGE_REFUSED",
            )
        query = merges.merge_organizations(keep, merge, who=who, role=role, reason=reason)
        return await _edit(info, query, f"no organisations {keep!r} and {merge!r}", (keep, merge))

    @strawberry.mutation(
        description="Decide a pair of the review queue (bureau only): SAME merges the entry "
        "the load created into the existing one (as mergeOrganizations, audited), DISTINCT "
        "records that they are two organisations. Either way the pair leaves the queue and "
        "a later load never asks it again; the decision is audited."
    )
    async def decide_review(
        self,
        info: Info[Context, None],
        item: Annotated[str, strawberry.argument(description="The item's key or global id.")],
        decision: ReviewDecision,
        reason: str,
    ) -> EditResult:
        who, role = _require_bureau(info)
        reason = text(reason, "reason", MAX_REASON_CHARS)
        key = _item_key(item)
        found = await run_query(info, reviews.review_item(key))
        d = require_one(found, f"item: no review item {item!r}; reviewQueue lists them")["item"]
        if decision is ReviewDecision.SAME:
            if d["a_id"] is None or d["b_id"] is None:
                raise EditRefusedError(
                    f"item {key}: one of its entries is no longer in the registry", "NOT_FOUND"
                )
            merged = merges.merge_organizations(
                d["b_id"], d["a_id"], who=who, role=role, reason=reason
            )
            await _edit(
                info,
                merged,
                f"no organisations {d['b_id']!r} and {d['a_id']!r}",
                (d["b_id"], d["a_id"]),  # the merge moves counts: recounted with it
            )
        query = reviews.decide_review(key, decision.value, who=who, role=role, reason=reason)
        return await _edit(info, query, f"no review item {key!r}")

    @strawberry.mutation(description="Undo a merge: the organisation stands on its own again.")
    async def undo_merge(
        self, info: Info[Context, None], organization: str, reason: str
    ) -> EditResult:
        who, role = _require_bureau(info)
        reason = text(reason, "reason", MAX_REASON_CHARS)
        return await _edit(
            info,
            merges.undo_merge(organization, who=who, role=role, reason=reason),
            f"no organisation {organization!r}",
            (organization,),
        )

    @strawberry.mutation(
        description=f"Set an organisation's membership ({in_words(ROLES)}) of a consortium."
    )
    async def set_membership(
        self,
        info: Info[Context, None],
        organization: str,
        consortium: str,
        role: Annotated[
            str, strawberry.argument(description=f"The role: {one_of('membership_roles')}.")
        ],
        reason: str,
        since: date | None = None,
    ) -> EditResult:
        who, principal_role = _require_bureau(info)
        reason = text(reason, "reason", MAX_REASON_CHARS)
        if role not in ROLES:
            raise InputError(f"role: use {in_words(ROLES)}")
        await _require_standing(info, organization)
        query = edits.set_membership(
            organization, consortium, role, since, who=who, role=principal_role, reason=reason
        )
        return await _edit(
            info, query, f"no organisation {organization!r} or consortium {consortium!r}"
        )

    @strawberry.mutation(description="End a consortium membership on a date (history kept).")
    async def end_membership(
        self,
        info: Info[Context, None],
        organization: str,
        consortium: str,
        until: date,
        reason: str,
    ) -> EditResult:
        who, role = _require_bureau(info)
        reason = text(reason, "reason", MAX_REASON_CHARS)
        await _require_standing(info, organization)
        records = await run_query(info, edits.membership_since(organization, consortium))
        since = records[0]["since"].to_native() if records and records[0]["since"] else None
        if since is not None and until < since:
            raise InputError(f"until: {until} is before the membership began ({since})")
        query = edits.end_membership(
            organization, consortium, until, who=who, role=role, reason=reason
        )
        return await _edit(info, query, f"{organization!r} is not a member of {consortium!r}")

    @strawberry.mutation(
        description="Enter a reported figure for an indicator the registry cannot count "
        f"({in_words(REPORTABLE)}), in its own unit (% in 0-100, counts whole and >= 0), for "
        "the district (no area) or one of its areas. Reporting it again corrects it."
    )
    async def report_figure(
        self,
        info: Info[Context, None],
        indicator: Annotated[
            str,
            strawberry.argument(
                description=f"The indicator's key ({in_words(REPORTABLE)}) or its label."
            ),
        ],
        value: float,
        unit: Annotated[
            str, strawberry.argument(description="The indicator's own unit: % or count.")
        ],
        as_of: date,
        source: str,
        reason: str,
        area: str | None = None,
    ) -> EditResult:
        who, role = _require_bureau(info)
        reason = text(reason, "reason", MAX_REASON_CHARS)
        if not source.strip():
            raise InputError("source: say where the figure comes from (document, URL)")
        value = finite(value, "value")
        source = text(source, "source", MAX_REASON_CHARS)
        found = reported_indicator(indicator)
        check_value(found, value, unit)
        check_as_of(as_of, date.today())
        if area is not None:
            check_area(area, {r["area"]["id"] for r in await run_query(info, reads.areas())})
        figure = {
            "indicator": found.key,
            "value": value,
            "unit": found.unit,
            "as_of": as_of,
            "source": source,
            "area": area,
        }
        return await _edit(
            info, edits.report_figure(figure, who=who, role=role, reason=reason), "not recorded"
        )

    @strawberry.mutation(
        description="Withdraw a reported figure (bureau only): nothing is deleted; the figure "
        "is marked withdrawn with who, when and why, and the ledger no longer uses it."
    )
    async def withdraw_figure(
        self,
        info: Info[Context, None],
        indicator: Annotated[
            str, strawberry.argument(description="The indicator's key or label, as reported.")
        ],
        as_of: date,
        reason: str,
        area: str | None = None,
    ) -> EditResult:
        who, role = _require_bureau(info)
        reason = text(reason, "reason", MAX_REASON_CHARS)
        found = reported_indicator(indicator)
        key = edits.figure_key(found.key, area, as_of)
        where = f" for {area}" if area else " for the district"
        return await _edit(
            info,
            edits.withdraw_figure(key, who=who, role=role, reason=reason),
            f"no reported figure of {found.key}{where} dated {as_of}; the ledger row's "
            "figureAsOf and figureArea name the figure it uses",
        )
