"""Kinds of list: one cleaned row of a source to typed records, or to rejects with reasons."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from loaders.columns import ColumnMap
from loaders.dates import parse_date
from loaders.normalize import clean_text, normalize_doc_number, normalize_standard_code
from loaders.provenance import Provenance
from loaders.records import (
    AreaRecord,
    ConsortiumRecord,
    OrgKind,
    OrgMention,
    RecognitionRecord,
    Record,
    Reject,
    StandardRecord,
    TechnologyRecord,
)
from loaders.shaping import PAGE
from loaders.taxonomy import TaxonomyMatcher
from loaders.uscc import uscc_problem

__all__ = [
    "KINDS",
    "KindSpec",
    "RowContext",
    "guess_org_kind",
    "level_of",
    "parse_row",
    "recognition_kind_of",
]

HIGHTECH_VALID_YEARS = 3  # a national high-tech enterprise certificate runs three years
_SPLIT = re.compile(r"[;；、\n]|,(?![^()（）]*[)）])|，")
_TRUNCATED = ("…", "truncated", "[excerpt")


@dataclass(frozen=True, slots=True)
class RowContext:
    source: str
    columns: ColumnMap
    defaults: Mapping[str, str]
    taxonomy: TaxonomyMatcher
    synthetic: bool = False
    extractor: str = "loader"
    load: str | None = None  # source name @ content hash: the same file is the same load
    page: int | None = None  # the PDF page of the row being parsed (see parse_row)


def guess_org_kind(name: str) -> OrgKind:
    """The kind an organisation's name announces (a firm unless it says otherwise)."""
    text = clean_text(name)
    if text.endswith(("公司", "厂")) or re.search(r"co\.|ltd|inc\b|corp", text.lower()):
        return OrgKind.FIRM
    if re.search(r"大学|学院|university|college", text, re.I):
        return OrgKind.UNIVERSITY
    if re.search(r"协会|学会|联盟|商会|association|society|alliance", text, re.I):
        return OrgKind.SOCIETY
    if re.search(r"(局|厅|委员会|管委会|人民政府|办公室)$", text):
        return OrgKind.AGENCY
    if re.search(
        r"研究院|研究所|研究中心|检验|检测|实验室|认证中心|研究院$|institute|academy", text, re.I
    ):
        return OrgKind.RD_INSTITUTION
    return OrgKind.FIRM


# Recognition vocabulary: words of a category cell -> (kind, level when the words fix it).
_RECOGNITION_WORDS: tuple[tuple[str, str], ...] = (
    ("高新技术企业", "national_hightech"),
    ("high-tech enterprise", "national_hightech"),
    ("新型研发机构", "new_rd_institution"),
    ("技术创新示范企业", "tech_innovation_demo"),
    ("企业技术中心", "enterprise_tech_centre"),
    ("工程研究中心", "engineering_research_centre"),
    ("工程技术研究中心", "engineering_research_centre"),
    ("研发机构", "enterprise_rd_centre"),
    ("研发中心", "enterprise_rd_centre"),
    ("专精特新", "specialized_sme"),
)


# Words of a level or category cell -> the level (the vocabulary's levels).
_LEVEL_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("国家", "national", "全国"), "national"),
    (("省", "provincial"), "provincial"),
    (("市", "municipal", "city"), "municipal"),
    (("区", "district"), "district"),
)
UNKNOWN_LEVEL = "unknown"  # a recognition whose list and source say no level


def level_of(text: str) -> str | None:
    t = clean_text(text).lower()
    for words, level in _LEVEL_WORDS:
        if any(w in t for w in words):
            return level
    return None


def recognition_kind_of(text: str) -> str | None:
    t = clean_text(text).lower()
    return next((kind for words, kind in _RECOGNITION_WORDS if words in t), None)


class _RowError(Exception):
    def __init__(self, field: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.value, self.reason = field, value, reason


def _date(ctx: RowContext, row: Mapping[str, str], field: str) -> date | None:
    value = ctx.columns.get(row, field) or ctx.defaults.get(field, "")
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError as e:
        raise _RowError(field, value, str(e)) from e


def _value(ctx: RowContext, row: Mapping[str, str], field: str) -> str:
    return clean_text(ctx.columns.get(row, field) or ctx.defaults.get(field, ""))


def _name(ctx: RowContext, row: Mapping[str, str], field: str = "name") -> str:
    raw = ctx.columns.get(row, field)
    name = clean_text(raw).rstrip("。.;；,，")
    if not name:
        raise _RowError(field, raw, "no name")
    if any(mark in name for mark in _TRUNCATED):
        raise _RowError(field, raw, "name is truncated in the source; complete it and load again")
    return name


def _uscc(ctx: RowContext, row: Mapping[str, str]) -> str | None:
    raw = ctx.columns.get(row, "uscc")
    if not raw:
        return None
    problem = uscc_problem(raw)
    if problem:
        raise _RowError("uscc", raw, f"not a valid USCC: {problem}")
    return clean_text(raw).upper()


def _prov(ctx: RowContext, line: int) -> Provenance:
    return Provenance(ctx.source, ctx.extractor, row=line, load=ctx.load, page=ctx.page)


def _org(ctx: RowContext, row: Mapping[str, str], line: int, name: str) -> OrgMention:
    region = _value(ctx, row, "region") or None
    tech_text = _value(ctx, row, "tech_field")
    former = _value(ctx, row, "former_name")
    return OrgMention(
        name=name,
        kind=guess_org_kind(name),
        prov=_prov(ctx, line),
        uscc=_uscc(ctx, row),
        name_en=_value(ctx, row, "name_en") or None,
        former_names=tuple(n for n in _split(former) if n != name),
        area=_area_of(ctx, region),
        region=region,
        technologies=ctx.taxonomy.technologies_in(tech_text),
        synthetic=ctx.synthetic,
    )


def _area_of(ctx: RowContext, region: str | None) -> str | None:
    """The area a row's region names; a row that states no region at all takes the source's
    default ``area`` (``load --file ... --area``). A region that names no area of the
    district (a firm in Baoji) stays without one: the default does not move it."""
    if region:
        return ctx.taxonomy.area_in(region)
    return ctx.defaults.get("area") or None


def _split(text: str) -> list[str]:
    return [p.strip().rstrip("。.") for p in _SPLIT.split(clean_text(text)) if p.strip()]


def _recognition(
    default_kind: str | None, default_level: str | None
) -> Callable[..., Iterator[Record | Reject]]:
    def parse(ctx: RowContext, line: int, row: Mapping[str, str]) -> Iterator[Record | Reject]:
        name = _name(ctx, row)
        category = _value(ctx, row, "category")
        kind = recognition_kind_of(category) or ctx.defaults.get("recognition") or default_kind
        if not kind:
            raise _RowError(
                "category", category, "no recognition kind (set a category column or a default)"
            )
        level = (
            level_of(_value(ctx, row, "level"))
            or (level_of(category) if category else None)
            or ctx.defaults.get("level")
            or default_level
            or UNKNOWN_LEVEL
        )
        granted = _date(ctx, row, "granted_on")
        year_text = _value(ctx, row, "year")
        year = (
            granted.year if granted else (int(year_text[:4]) if year_text[:4].isdigit() else None)
        )
        valid_to = _date(ctx, row, "valid_to")
        valid_from = granted
        if kind == "national_hightech" and valid_to is None:
            if granted:
                valid_to = _add_years(granted, HIGHTECH_VALID_YEARS) - timedelta(days=1)
            elif year:  # only the year is listed: the certificate's three calendar years
                valid_from, valid_to = (
                    date(year, 1, 1),
                    date(year + HIGHTECH_VALID_YEARS - 1, 12, 31),
                )
        if valid_from is None and year:
            valid_from = date(year, 1, 1)
        complete = _value(ctx, row, "complete").lower()
        yield RecognitionRecord(
            org=_org(ctx, row, line, name),
            kind=kind,
            level=level,
            prov=_prov(ctx, line),
            cert_no=_value(ctx, row, "cert_no") or None,
            granted_on=granted,
            valid_from=valid_from,
            valid_to=valid_to,
            year=year,
            batch=_value(ctx, row, "batch") or None,
            issuer=_value(ctx, row, "issuer") or None,
            doc_no=normalize_doc_number(_value(ctx, row, "doc_no")) or None,
            status="provisional"
            if "拟" in category
            else ("incomplete" if complete.startswith("no") else None),
            synthetic=ctx.synthetic,
        )

    return parse


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _orgs(
    ctx: RowContext, line: int, field: str, text: str
) -> tuple[tuple[OrgMention, ...], list[Reject]]:
    orgs: list[OrgMention] = []
    rejects: list[Reject] = []
    for name in _split(text):
        if any(mark in name for mark in _TRUNCATED):
            rejects.append(
                Reject(ctx.source, line, field, name, "organisation name truncated in the source")
            )
            continue
        orgs.append(
            OrgMention(
                name=name, kind=guess_org_kind(name), prov=_prov(ctx, line), synthetic=ctx.synthetic
            )
        )
    return tuple(orgs), rejects


def _consortium(ctx: RowContext, line: int, row: Mapping[str, str]) -> Iterator[Record | Reject]:
    name = (
        _name(ctx, row, "consortium") if ctx.columns.fields.get("consortium") else _name(ctx, row)
    )
    leads, bad_leads = _orgs(ctx, line, "lead", ctx.columns.get(row, "lead"))
    members, bad_members = _orgs(ctx, line, "members", ctx.columns.get(row, "members"))
    if not leads:
        raise _RowError(
            "lead", ctx.columns.get(row, "lead"), "a consortium needs a lead unit (牵头单位)"
        )
    tech_text = _value(ctx, row, "tech_field")
    region = _value(ctx, row, "region")
    yield from bad_leads
    yield from bad_members
    lead_keys = {o.name for o in leads}
    yield ConsortiumRecord(
        name=name,
        prov=_prov(ctx, line),
        leads=leads,
        members=tuple(m for m in members if m.name not in lead_keys),
        technologies=ctx.taxonomy.technologies_in(tech_text) or ctx.taxonomy.technologies_in(name),
        tech_fields=tuple(_split(tech_text)),
        level=level_of(_value(ctx, row, "level")) or ctx.defaults.get("level"),
        established_on=_date(ctx, row, "established_on"),
        area=_area_of(ctx, region),
        consortium_id=_value(ctx, row, "id") or None,
        synthetic=ctx.synthetic,
    )


def _group_standard(
    ctx: RowContext, line: int, row: Mapping[str, str]
) -> Iterator[Record | Reject]:
    printed = clean_text(ctx.columns.get(row, "code"))
    code = normalize_standard_code(printed)
    if not code:
        raise _RowError("code", printed, "not a standard code like T/CPIA 0028.2-2024")
    society_name = _value(ctx, row, "society")
    drafters, bad = _orgs(ctx, line, "drafters", ctx.columns.get(row, "drafters"))
    title_zh = _value(ctx, row, "title_zh") or None
    title_en = _value(ctx, row, "title_en") or None
    yield from bad
    yield StandardRecord(
        code=code,
        code_as_printed=printed,
        prov=_prov(ctx, line),
        title_zh=title_zh,
        title_en=title_en,
        society=OrgMention(society_name, OrgKind.SOCIETY, _prov(ctx, line), synthetic=ctx.synthetic)
        if society_name
        else None,
        drafters=drafters,
        ics=_value(ctx, row, "ics") or None,
        ccs=_value(ctx, row, "ccs") or None,
        status=_value(ctx, row, "status") or None,
        published_on=_date(ctx, row, "published_on"),
        effective_on=_date(ctx, row, "effective_on"),
        abolished_on=_date(ctx, row, "abolished_on"),
        technologies=ctx.taxonomy.technologies_in(f"{title_zh or ''} {title_en or ''}"),
        synthetic=ctx.synthetic,
    )


def _technology(ctx: RowContext, line: int, row: Mapping[str, str]) -> Iterator[Record | Reject]:
    ident = _value(ctx, row, "id")
    if not ident:
        raise _RowError("id", "", "a technology needs an id")
    yield TechnologyRecord(
        id=ident,
        name_zh=_value(ctx, row, "name_zh") or _value(ctx, row, "name"),
        name_en=_value(ctx, row, "name_en"),
        aliases=tuple(_split(_value(ctx, row, "aliases"))),
        broader=tuple(_split(_value(ctx, row, "broader"))),
        prov=_prov(ctx, line),
    )


def _area(ctx: RowContext, line: int, row: Mapping[str, str]) -> Iterator[Record | Reject]:
    ident = _value(ctx, row, "id")
    if not ident:
        raise _RowError("id", "", "an area needs an id")
    yield AreaRecord(
        id=ident,
        name_zh=_value(ctx, row, "name_zh") or _value(ctx, row, "name"),
        name_en=_value(ctx, row, "name_en"),
        parent=_value(ctx, row, "parent") or None,
        prov=_prov(ctx, line),
    )


@dataclass(frozen=True, slots=True)
class KindSpec:
    name: str
    description: str
    required: tuple[str, ...]
    parse: Callable[[RowContext, int, Mapping[str, str]], Iterator[Record | Reject]]


KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec(
            "hightech",
            "national high-tech enterprise recognitions",
            ("name",),
            _recognition("national_hightech", "national"),
        ),
        KindSpec(
            "rd_institution",
            "new R&D institutions",
            ("name",),
            _recognition("new_rd_institution", None),
        ),
        KindSpec(
            "tech_centre",
            "enterprise technology centres (national/provincial/municipal)",
            ("name",),
            _recognition("enterprise_tech_centre", None),
        ),
        KindSpec(
            "engineering_centre",
            "engineering research centres",
            ("name",),
            _recognition("engineering_research_centre", None),
        ),
        KindSpec(
            "rd_centre",
            "enterprise R&D centres / industrial enterprise R&D institutions",
            ("name",),
            _recognition("enterprise_rd_centre", None),
        ),
        KindSpec(
            "recognition",
            "any recognition list, kind read from a category column",
            ("name",),
            _recognition(None, None),
        ),
        KindSpec(
            "consortium", "innovation consortia with lead and member units", ("lead",), _consortium
        ),
        KindSpec(
            "group_standard",
            "group standards (platform JSON or CSV with drafting units)",
            ("code",),
            _group_standard,
        ),
        KindSpec(
            "technology",
            "technology taxonomy rows (id, names, aliases, broader)",
            ("id",),
            _technology,
        ),
        KindSpec("area", "areas (id, names, parent)", ("id",), _area),
    )
}


def parse_row(
    kind: KindSpec, ctx: RowContext, line: int, row: Mapping[str, str]
) -> list[Record | Reject]:
    """Records of one row, or one reject naming the field, value and reason (and the page
    a paged document printed the row on)."""
    page_text = row.get(PAGE, "")
    page = int(page_text) if page_text.isdigit() else None
    if page != ctx.page:
        ctx = dataclasses.replace(ctx, page=page)
    try:
        out = list(kind.parse(ctx, line, row))
    except _RowError as e:
        return [Reject(ctx.source, line, e.field, e.value, e.reason, page=page)]
    if page is None:
        return out
    return [dataclasses.replace(o, page=page) if isinstance(o, Reject) else o for o in out]
