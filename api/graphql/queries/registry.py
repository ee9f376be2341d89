"""The registry's fields: an entry by id, the paged lists and the typeahead."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.errors import InputError
from api.graphql.arguments import (
    AreaArg,
    LevelArg,
    OrgKindArg,
    RecognitionArg,
    RecognitionsArg,
    TechnologyArg,
    run_checked,
    term,
    terms,
)
from api.graphql.context import Context, item_or_none, run_query
from api.graphql.convert import BY_TYPE, to_organization
from api.graphql.relay import (
    DEFAULT_PAGE,
    Connection,
    Node,
    connection,
    decode_id,
    global_id,
    key_after,
    offset_after,
    page_size,
)
from api.graphql.search_text import search_text
from api.graphql.selection import related, selected
from api.graphql.types import (
    Area,
    Consortium,
    Document,
    GroupStandard,
    Organization,
    OrgSort,
    SearchHit,
    Technology,
)
from graph import reads

__all__ = ["RegistryQueries"]


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
    limit, offset = page_size(first), offset_after(after)
    query = reads.list_page(
        label,
        offset=offset,
        limit=limit + 1,
        as_of=as_of or date.today(),
        area=area,
        technology=technology,
    )
    (row,) = await run_checked(info, query, area=area, technology=technology, one_row=True)
    return connection(row, offset, limit, BY_TYPE[label])


@strawberry.type
class RegistryQueries:
    @strawberry.field(description="An organisation by its key (id) or its USCC.")
    async def organization(
        self,
        info: Info[Context, None],
        id: str | None = None,
        uscc: str | None = None,
        as_of: date | None = None,
    ) -> Organization | None:
        if id is None and uscc is None:
            raise InputError("organization needs id or uscc")
        if id is not None:
            try:
                type_name, key = decode_id(id)
                id = key if type_name == "Organization" else id
            except InputError:
                pass  # a plain key
        query = reads.organization(
            id=id, uscc=uscc, as_of=as_of or date.today(), related=related(selected(info))
        )
        item = item_or_none(await run_query(info, query))
        return to_organization(item) if item else None

    @strawberry.field(description="The areas filters take: the new area first, then its cities.")
    async def areas(self, info: Info[Context, None]) -> list[Area]:
        return [Area(**r["area"]) for r in await run_query(info, reads.areas())]

    @strawberry.field(description="Any node by its global id.")
    async def node(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        as_of: Annotated[
            date | None,
            strawberry.argument(
                description="The date memberships and validity are read on (default today)."
            ),
        ] = None,
    ) -> Node | None:
        type_name, key = decode_id(str(id))
        day = as_of or date.today()
        if type_name == "Organization":
            item = item_or_none(
                await run_query(info, reads.organization(id=key, uscc=None, as_of=day))
            )
            return to_organization(item) if item else None
        if type_name not in BY_TYPE:
            return None
        item = item_or_none(await run_query(info, reads.item_by_key(type_name, key, as_of=day)))
        return BY_TYPE[type_name](item) if item else None

    @strawberry.field(
        description="Innovation consortia, paged (area incl. its parts; technology incl. narrower)."
    )
    async def consortia(
        self,
        info: Info[Context, None],
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        area: AreaArg = None,
        technology: TechnologyArg = None,
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
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        technology: TechnologyArg = None,
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
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        technology: TechnologyArg = None,
    ) -> Connection[Technology]:
        result: Connection[Technology] = await _list(
            info, "Technology", first, after, None, None, technology
        )
        return result

    @strawberry.field(description="Documents read by the extractor, paged.")
    async def documents(
        self, info: Info[Context, None], first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Document]:
        result: Connection[Document] = await _list(info, "Document", first, after, None)
        return result

    @strawberry.field(
        description="Organisations, filtered and paged; totalCount is counted, not collected."
    )
    async def organizations(
        self,
        info: Info[Context, None],
        first: int = DEFAULT_PAGE,
        after: str | None = None,
        kind: OrgKindArg = None,
        area: AreaArg = None,
        technology: TechnologyArg = None,
        recognition: RecognitionArg = None,
        recognitions: RecognitionsArg = None,
        level: LevelArg = None,
        as_of: date | None = None,
        text: str | None = None,
        sort: OrgSort = OrgSort.NAME,
        descending: bool = False,
    ) -> Connection[Organization]:
        limit = page_size(first)
        offset = offset_after(after)
        # keyset paging (a page starts after the cursor's sort key) except for a text
        # search, ranked by score; the total only when asked
        order = None if text else sort.value + ("-DESC" if descending else "")
        keys = len(reads.org_order(sort.value, descending))
        asked = selected(info)
        query = reads.organizations_page(
            offset=offset,
            after=key_after(after, order, keys) if order else None,
            count=asked is None or "totalCount" in asked,
            limit=limit + 1,
            as_of=as_of or date.today(),
            kind=term("organization_kinds", kind, "kind"),
            area=area,
            technology=technology,
            recognition=term("recognition_kinds", recognition, "recognition"),
            recognitions=terms("recognition_kinds", recognitions, "recognitions"),
            level=term("levels", level, "level"),
            text=search_text(text) if text else None,
            sort=sort.value,
            descending=descending,
            related=related(selected(info, "edges", "node")),
        )
        (row,) = await run_checked(info, query, area=area, technology=technology, one_row=True)
        return connection(row, offset, limit, to_organization, order)

    @strawberry.field(
        description="Typeahead across organisations (zh/en names, aliases, former names, USCC, "
        "certificate numbers), technologies, consortia and group standards (names, aliases, "
        "codes). An exact or alias match of a technology, consortium or standard comes first, "
        "then exact matches of organisations, then the rest by score."
    )
    async def search(
        self, info: Info[Context, None], text: str, first: int = 10
    ) -> list[SearchHit]:
        text = search_text(text)
        if not text:
            return []
        records = await run_query(info, reads.search(text, page_size(first)))
        return [
            SearchHit(
                type=r["type"],
                id=global_id(r["type"], r["id"]),
                key=r["id"],
                label=r["label"],
                detail=r["detail"],
                score=float(r["score"]),
                matched=r["matched"],
            )
            for r in records
        ]
