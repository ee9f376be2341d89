"""Column mapping: the headers lists really use (Chinese and English) to canonical fields."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from loaders.errors import SourceConfigError
from loaders.normalize import clean_text
from loaders.shaping import SECTION

__all__ = ["FIELDS", "ColumnMap", "header_key", "map_headers", "parse_map_option"]

# Canonical field -> headers seen on official lists and platform exports.
FIELDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "no", "no.", "seq", "#"),
    "name": (
        "企业名称",
        "单位名称",
        "名称",
        "机构名称",
        "企业(单位)名称",
        "申报单位",
        "单位",
        "技术创新示范企业名称",
        "企业",
        "name",
        "company",
        "company name",
        "organization",
        "organisation",
        "enterprise",
    ),
    "name_en": ("英文名称", "name_en", "english name"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "uscc", "credit code"),
    "former_name": ("曾用名", "原名称", "原企业名称", "former name", "former_name"),
    "region": (
        "所在区域",
        "所在地区",
        "区域",
        "地区",
        "所在地",
        "所属区域",
        "所在地区或所属企业",
        "region",
        "area",
        "location",
        "所在新城",
    ),
    "tech_field": (
        "技术领域",
        "所属领域",
        "领域",
        "技术方向",
        "technology",
        "technology field",
        "tech_field",
        "field",
    ),
    "category": ("类别", "认定类别", "类型", "category", "type"),
    "cert_no": ("证书编号", "证书号", "certificate no", "cert_no", "certificate"),
    "granted_on": (
        "发证日期",
        "发证时间",
        "认定日期",
        "认定时间",
        "批准日期",
        "issue date",
        "granted_on",
        "date",
    ),
    "valid_to": ("有效期至", "有效期截止", "valid_to", "valid until"),
    "batch": ("批次", "batch"),
    "level": ("级别", "层级", "level"),
    "issuer": ("发证机关", "认定机构", "认定部门", "发布部门", "issuer"),
    "year": ("年度", "年份", "认定年度", "year"),
    "doc_no": ("文号", "doc_no", "document no"),
    "complete": ("complete",),
    "consortium": ("联合体名称", "创新联合体", "创新联合体名称", "consortium", "consortium name"),
    "lead": ("牵头单位", "牵头企业", "lead", "lead unit", "leads"),
    "members": ("成员单位", "参与单位", "members", "member units"),
    "established_on": ("成立时间", "组建时间", "established", "established_on"),
    "code": ("标准编号", "标准号", "standardno", "code", "standard no"),
    "title_zh": ("标准名称", "中文名称", "standardtitlecn", "title_zh", "title"),
    "title_en": ("standardtitleen", "title_en", "英文标题"),
    "society": ("团体名称", "发布团体", "organname", "society", "issuing society"),
    "society_code": ("organcode", "团体代码", "society_code"),
    "ics": ("icsl1name", "ics", "ics分类", "ics code"),
    "ccs": ("ccsl1name", "ccs", "ccs分类", "中国标准分类号"),
    "status": ("standardstatusname", "状态", "标准状态", "status"),
    "published_on": ("publishdate", "发布日期", "publish_date", "published_on"),
    "effective_on": ("implementdate", "实施日期", "implement_date", "effective_on"),
    "abolished_on": ("abolishdate", "废止日期", "abolish_date", "abolished_on"),
    "drafters": ("起草单位", "主要起草单位", "drafting_units", "drafters", "draftingunits"),
    "id": ("id", "标识"),
    "name_zh": ("name_zh", "中文名"),
    "aliases": ("aliases", "别名"),
    "broader": ("broader", "上位词", "上级技术"),
    "parent": ("parent", "上级区域"),
    "source_url": ("source_url", "来源", "url"),
}


def header_key(header: str) -> str:
    """Comparison form of a header: half-width, lower case, no spaces, ':' or '*'."""
    return re.sub(r"[\s:*]", "", clean_text(header).lower())


_LOOKUP: dict[str, str] = {}
for _field, _headers in FIELDS.items():
    for _h in _headers:
        _LOOKUP.setdefault(header_key(_h), _field)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which header of a file feeds which canonical field, and which headers were left over."""

    fields: Mapping[str, str]  # canonical field -> header in the file
    unmapped: tuple[str, ...]

    def get(self, row: Mapping[str, str], field: str) -> str:
        header = self.fields.get(field)
        return row.get(header, "").strip() if header else ""


def parse_map_option(values: Iterable[str]) -> dict[str, str]:
    """``--map '企业名称=name'`` pairs (header=field); the field must be a known one."""
    out: dict[str, str] = {}
    for item in values:
        header, sep, field = item.partition("=")
        if not sep or not header.strip() or field.strip() not in FIELDS:
            raise SourceConfigError(
                f"--map {item!r}: write HEADER=FIELD with FIELD one of {', '.join(sorted(FIELDS))}"
            )
        out[header.strip()] = field.strip()
    return out


def _known(header: str) -> str | None:
    """The field a header names; a joined two-row header (``认定情况/类别``) by its whole,
    else by its lower part, else by its upper part."""
    field = _LOOKUP.get(header_key(header))
    if field or "/" not in header:
        return field
    top, _, sub = header.rpartition("/")
    return _LOOKUP.get(header_key(sub)) or _LOOKUP.get(header_key(top))


def map_headers(headers: Iterable[str], overrides: Mapping[str, str] | None = None) -> ColumnMap:
    """Map each header to a field: explicit overrides first, then the known headers. The
    shaping step's section heading (``一、西安市``) is the region when no column is."""
    fields: dict[str, str] = {}
    unmapped: list[str] = []
    overrides = overrides or {}
    section = False
    for header in headers:
        if header == SECTION:
            section = True
        if header.startswith("__"):  # the shaping step's own keys: extra cells, page, section
            continue
        field = overrides.get(header) or _known(header)
        if field and field not in fields:
            fields[field] = header
        else:
            unmapped.append(header)
    if section and "region" not in fields:
        fields["region"] = SECTION
    return ColumnMap(fields, tuple(unmapped))
