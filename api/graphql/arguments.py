"""Arguments that name a value of the registry's closed vocabulary or one of its keys, checked.

Kinds, recognition kinds and levels are checked against the vocabulary (no database);
areas, technologies and organisations against the graph, in the read's own round trip
(``run_checked``: the read is guarded, and only when it answers nothing is a second lookup
made, to tell an unknown key from an empty answer). An unknown value is refused with
:class:`~api.errors.UnknownValueError` (``extensions.code`` UNKNOWN_VALUE), naming the valid
values, or for a key the nearest few (rapidfuzz) and where the rest are listed; never a
silent zero or empty list. The argument types here carry the valid values in their
descriptions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Any

import neo4j
import strawberry
from rapidfuzz import fuzz, process
from strawberry.types import Info

from api.errors import UnknownValueError
from api.graphql.context import Context, run_query
from api.graphql.wording import one_of
from graph.cypher import Query
from graph.reads import guarded, near_organizations, unknown_keys
from loaders.vocabulary import vocabulary

__all__ = [
    "NEAREST",
    "AreaArg",
    "LevelArg",
    "OrgKindArg",
    "OrganizationArg",
    "RecognitionArg",
    "RecognitionsArg",
    "TechnologiesArg",
    "TechnologyArg",
    "nearest",
    "run_checked",
    "term",
    "terms",
]

NEAREST = 5  # how many near keys an error names
_CUTOFF = 50  # rapidfuzz WRatio (0-100) below which a key is not "near"
_ALL_UP_TO = 12  # a list this short is named whole

OrgKindArg = Annotated[
    str | None,
    strawberry.argument(
        description=f"An organisation kind: {one_of('organization_kinds')} (else refused)."
    ),
]
RecognitionArg = Annotated[
    str | None,
    strawberry.argument(
        description="Holding a recognition of this kind valid on asOf: "
        f"{one_of('recognition_kinds')} (else refused)."
    ),
]
RecognitionsArg = Annotated[
    list[str] | None,
    strawberry.argument(
        description="Holding a valid recognition of any of these kinds, each "
        f"{one_of('recognition_kinds')} (else refused)."
    ),
]
LevelArg = Annotated[
    str | None,
    strawberry.argument(
        description=f"The recognition's level, {one_of('levels')} (else refused). With "
        "recognition(s): a recognition of those kinds at this level; without: a valid "
        "recognition of any kind at this level."
    ),
]
AreaArg = Annotated[
    str | None,
    strawberry.argument(
        description="An area's key, as `areas` lists them (the district and its new cities): "
        "the area with its parts. An unknown key is refused with the valid ones."
    ),
]
TechnologyArg = Annotated[
    str | None,
    strawberry.argument(
        description="A technology's key, as `technologies` lists them: it and its narrower "
        "terms. An unknown key is refused with the nearest ones."
    ),
]
TechnologiesArg = Annotated[
    list[str] | None,
    strawberry.argument(
        description="Technology keys, as `technologies` lists them (default: the plan's). "
        "An unknown key is refused with the nearest ones."
    ),
]
OrganizationArg = Annotated[
    str,
    strawberry.argument(
        description="An organisation's key or global id (`search` finds it by name). An "
        "unknown one is refused with the nearest keys."
    ),
]


def term(section: str, value: str | None, argument: str) -> str | None:
    """``value``, a key of the vocabulary's ``section`` (or None); anything else is refused."""
    if value is not None and value not in vocabulary().terms[section]:
        raise UnknownValueError(argument, value, list(vocabulary().keys(section)))
    return value


def terms(section: str, values: Sequence[str] | None, argument: str) -> list[str] | None:
    """Each of ``values`` a key of ``section`` (None: no filter)."""
    if values is None:
        return None
    return [str(term(section, v, argument)) for v in values]


def nearest(value: str, candidates: dict[str, str]) -> list[str]:
    """The keys (of ``candidates``: key -> its words) nearest to ``value``, best first."""
    found = process.extract(
        value, candidates, scorer=fuzz.WRatio, limit=NEAREST, score_cutoff=_CUTOFF
    )
    return [str(key) for _, _, key in found]


def _words(item: dict[str, Any]) -> str:
    return " ".join(str(item[k]) for k in ("id", "name_zh", "name_en", "name") if item.get(k))


def _refusal(
    value: str, argument: str, items: Iterable[dict[str, Any]], listed: str
) -> UnknownValueError:
    """An unknown area or technology: all the valid ones when they are few, else the nearest."""
    candidates = {str(i["id"]): _words(i) for i in items}
    if len(candidates) <= _ALL_UP_TO:
        return UnknownValueError(argument, value, sorted(candidates))
    return UnknownValueError(
        argument, value, nearest(value, candidates), f"`{listed}` lists them all"
    )


async def _refuse_unknown(
    info: Info[Context, None],
    areas: list[str],
    technologies: list[str],
    technology_arg: str,
    organization: str | None,
) -> None:
    """Raise for the first unknown key among those given (one lookup; one more for an
    organisation's near keys)."""
    orgs = [organization] if organization is not None else []
    query = unknown_keys(areas=areas, technologies=technologies, organizations=orgs)
    (row,) = await run_query(info, query)
    for key in row["areas"]:
        raise _refusal(key, "area", row["area_terms"], "areas")
    for key in row["technologies"]:
        raise _refusal(key, technology_arg, row["technology_terms"], "technologies")
    for key in row["organizations"]:
        near = await run_query(info, near_organizations(key))
        candidates = {str(r["id"]): _words(dict(r)) for r in near}
        raise UnknownValueError(
            "organization", key, nearest(key, candidates), "search(text:) finds them by name"
        )


async def run_checked(
    info: Info[Context, None],
    query: Query,
    *,
    area: str | None = None,
    technology: str | None = None,
    technologies: Sequence[str] | None = None,
    organization: str | None = None,
    one_row: bool = False,
) -> list[neo4j.Record]:
    """``query``'s records, refusing an unknown ``area``, ``technology`` (or each of
    ``technologies``) or ``organization`` key, in the words of the argument of that name.
    ``one_row``: the query answers exactly one row when its keys exist."""
    areas = [area] if area is not None else []
    techs = [technology] if technology is not None else list(technologies or ())
    orgs = [organization] if organization is not None else []
    if not (areas or techs or orgs):
        return await run_query(info, query)
    records = await run_query(
        info, guarded(query, areas=areas, technologies=techs, organizations=orgs)
    )
    if records:
        return records
    technology_arg = "technology" if technology is not None else "technologies"
    await _refuse_unknown(info, areas, techs, technology_arg, organization)
    # every key exists (it was added in between): the read, unguarded
    return await run_query(info, query) if one_row else records
