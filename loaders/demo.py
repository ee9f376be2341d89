"""A deterministic, clearly synthetic demo ecosystem of Xixian New Area, written as source files.

The files use the formats the real lists arrive in (XLSX, CSV with BOM, GBK CSV, HTML
table, platform JSON) so that the demo runs the real loaders end to end. Every source
that reads them is declared ``synthetic = true``: nobody should take them for official lists.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

from openpyxl import Workbook

from loaders.demo_names import (
    CITIES,
    CORES,
    FIELDS,
    FORMS,
    FORMS_EN,
    INDUSTRY_EN,
    INSTITUTE_FIELDS,
    NO_CONSORTIUM_OR_STANDARD,
    PINYIN,
    PREFIXES,
)
from loaders.uscc import USCC_CHARS, check_char

__all__ = ["DemoSize", "demo_plan", "write_demo"]

PLAN_DIR = Path(__file__).with_name("data") / "plan"


def demo_plan(lang: str = "en") -> Path:
    """The plan document the demo reads its targets from, in Chinese (zh) or English (en):
    the project's own summary of the published plan, with its title and source cited."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang {lang!r}: the demo plan is written in zh and en")
    return PLAN_DIR / f"xixian-carbon-peak-plan.{lang}.txt"


@dataclass(frozen=True, slots=True)
class DemoSize:
    firms: int = 4000
    rd_institutions: int = 40
    consortia: int = 30
    standards: int = 300
    tech_centres: int = 90
    rd_centres: int = 36


@dataclass(frozen=True, slots=True)
class _Firm:
    name: str
    uscc: str
    city: str
    field: str
    name_en: str = ""
    former_name: str = ""


def _names(prefix: str, core1: str, core2: str, word: str, form: str) -> tuple[str, str]:
    """An English name for about a third of the firms, and a former name (a change of legal
    form, as after a restructuring) for about one in twelve; chosen by the name's own hash so
    the random stream, and so every other demo value, stays as it was."""
    name = f"{prefix}{core1}{core2}{word}{form}"
    h = int(hashlib.blake2b(name.encode(), digest_size=4).hexdigest(), 16)
    trade = PINYIN[core1] + PINYIN[core2].lower()
    english = f"{PINYIN[prefix]} {trade} {INDUSTRY_EN[word]} {FORMS_EN[form]}" if h % 3 == 0 else ""
    former = (
        f"{prefix}{core1}{core2}{word}{FORMS[(FORMS.index(form) + 1) % len(FORMS)]}"
        if h % 12 == 5
        else ""
    )
    return english, former


def _uscc(rng: random.Random) -> str:
    body = (
        "91"
        + "6111"
        + f"{rng.randrange(100):02d}"
        + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    )
    return body + check_char(body)


def _firms(rng: random.Random, n: int) -> list[_Firm]:
    seen: set[str] = set()
    out: list[_Firm] = []
    while len(out) < n:
        field, word = rng.choice(FIELDS)
        prefix, core1, core2, form = (
            rng.choice(PREFIXES),
            rng.choice(CORES),
            rng.choice(CORES),
            rng.choice(FORMS),
        )
        name = f"{prefix}{core1}{core2}{word}{form}"
        if name in seen:
            continue
        seen.add(name)
        english, former = _names(prefix, core1, core2, word, form)
        out.append(_Firm(name, _uscc(rng), rng.choice(CITIES), field, english, former))
    return out


def _day(rng: random.Random, year: int) -> date:
    # High-tech certificates are issued late in the year, in batches.
    return date(year, rng.choice((10, 11, 12)), 1) + timedelta(days=rng.randrange(28))


def _hightech(rng: random.Random, firms: list[_Firm], path: Path) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("高新技术企业")
    ws.append(["示例数据(合成),非官方名单"])
    ws.append(
        [
            "序号",
            "企业名称",
            "统一社会信用代码",
            "证书编号",
            "发证日期",
            "所在区域",
            "技术领域",
            "批次",
            "英文名称",
            "曾用名",
        ]
    )
    rows = 0
    for firm in firms:
        year = rng.choice(
            (
                2016,
                2017,
                2018,
                2019,
                2019,
                2020,
                2021,
                2021,
                2022,
                2022,
                2023,
                2023,
                2024,
                2024,
                2025,
                2025,
            )
        )
        lapsed = rng.random() < 0.12  # some firms do not renew
        while year <= 2025:
            if year >= 2019:
                rows += 1
                granted = _day(rng, year)
                ws.append(
                    [
                        rows,
                        firm.name,
                        firm.uscc,
                        f"GR{year}61{rng.randrange(10**6):06d}",
                        granted,
                        f"陕西省西咸新区{firm.city}",
                        firm.field,
                        f"{year}年第{rng.choice((1, 2))}批",
                        firm.name_en,
                        firm.former_name,
                    ]
                )
            if lapsed:
                break
            year += 3
    wb.save(path)
    return rows


def _csv_bytes(header: list[str], rows: Sequence[Sequence[object]], encoding: str) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def _variant(rng: random.Random, name: str) -> str:
    """How another list might write the same name: full-width brackets, no legal form, spaces."""
    choice = rng.random()
    if choice < 0.3:
        return name.replace("有限公司", "有限责任公司") if "股份" not in name else name
    if choice < 0.5:
        return name.removesuffix("股份有限公司").removesuffix("有限公司")
    if choice < 0.6:
        return name.replace("西咸新区", "西咸新区 ")
    return name


def _institutes(rng: random.Random, n: int, path: Path) -> list[list[object]]:
    institutes: list[list[object]] = []
    for i in range(n):
        field, word = INSTITUTE_FIELDS[i % len(INSTITUTE_FIELDS)]
        name = f"西咸新区{rng.choice(CORES)}{word}{rng.choice(('研究院', '技术研究院', '创新研究院', '产业技术研究院'))}"
        if name not in {r[1] for r in institutes}:
            institutes.append(
                [
                    len(institutes) + 1,
                    name,
                    _uscc(rng) if rng.random() < 0.5 else "",
                    f"{rng.choice((2021, 2022, 2023, 2024, 2025))}-{rng.randrange(1, 13):02d}-15",
                    rng.choice(("市级", "市级", "省级")),
                    f"西咸新区{rng.choice(CITIES)}",
                    field,
                ]
            )
    path.write_bytes(
        _csv_bytes(
            ["序号", "机构名称", "统一社会信用代码", "认定时间", "级别", "所在区域", "技术领域"],
            institutes,
            "utf-8-sig",
        )
    )
    return institutes


def _tech_centres(rng: random.Random, firms: list[_Firm], n: int, path: Path) -> int:
    """An HTML table, as the lists are published on web pages."""
    cells = []
    for i, firm in enumerate(rng.sample(firms, n), 1):
        level = "国家级" if i % 15 == 0 else ("省级" if i % 3 == 0 else "市级")
        year = rng.choice((2019, 2020, 2021, 2022, 2023, 2024, 2025))
        cells.append(
            (
                i,
                _variant(rng, firm.name),
                level,
                f"第{year - 2005}批",
                f"{year}年{rng.randrange(1, 13)}月{rng.randrange(1, 28)}日",
                firm.city,
            )
        )
    html = [
        "<html><head><meta charset='utf-8'><title>企业技术中心名单(示例,合成数据)</title></head><body>",
        "<p>示例数据(合成),非官方名单</p><table border='1'>",
        "<tr><th>序号</th><th>企业名称</th><th>级别</th><th>批次</th><th>认定时间</th><th>所在区域</th></tr>",
    ]
    html += [f"<tr>{''.join(f'<td>{escape(str(c))}</td>' for c in row)}</tr>" for row in cells]
    html.append("</table></body></html>")
    path.write_text("\n".join(html), encoding="utf-8")
    return len(cells)


def _rd_centres(rng: random.Random, firms: list[_Firm], n: int, path: Path) -> int:
    """A GBK-encoded CSV, as older office software writes them."""
    rd = rng.sample(firms, n)
    path.write_bytes(
        _csv_bytes(
            ["序号", "企业名称", "统一社会信用代码", "认定日期", "所在区域"],
            [
                [
                    i,
                    f.name,
                    f.uscc,
                    f"{rng.choice((2021, 2022, 2023, 2024, 2025))}.{rng.randrange(1, 13)}.{rng.randrange(1, 28)}",
                    f"西咸新区{f.city}",
                ]
                for i, f in enumerate(rd, 1)
            ],
            "gbk",
        )
    )
    return len(rd)


def _topics() -> list[tuple[str, str]]:
    """The fields consortia and standards are about."""
    return [f for f in FIELDS[:9] if f[0] != NO_CONSORTIUM_OR_STANDARD]


def _consortia(
    rng: random.Random, firms: list[_Firm], institutes: list[list[object]], n: int, path: Path
) -> int:
    topics = _topics()
    consortia = []
    for i in range(n):
        field, _ = topics[i % len(topics)]
        pool = [f for f in firms if f.field == field] or firms
        lead = rng.choice(pool)
        members = rng.sample(pool, min(len(pool), rng.randrange(3, 9)))
        members += [rng.choice(institutes)[1]] if institutes and rng.random() < 0.7 else []  # type: ignore[list-item]
        names = [m if isinstance(m, str) else _variant(rng, m.name) for m in members if m != lead]
        consortia.append(
            [
                f"西咸新区{field}创新联合体{'' if i < len(topics) else f'({i // len(topics) + 1})'}",
                lead.name,
                "、".join(dict.fromkeys(names)),
                field,
                rng.choice(("市级", "市级", "省级")),
                f"{rng.choice((2021, 2022, 2023, 2024, 2025))}-{rng.randrange(1, 13):02d}-01",
                f"西咸新区{lead.city}",
            ]
        )
    path.write_bytes(
        _csv_bytes(
            ["联合体名称", "牵头单位", "成员单位", "技术领域", "级别", "成立时间", "所在区域"],
            consortia,
            "utf-8",
        )
    )
    return len(consortia)


SOCIETIES = (
    "陕西省光伏产业协会",
    "陕西省氢能产业协会",
    "陕西省地热能协会",
    "西咸新区新能源产业联盟",
    "陕西省节能协会",
)


def _standard_row(
    rng: random.Random, i: int, firms: list[_Firm], institutes: list[list[object]]
) -> dict[str, object]:
    """One record as the group-standards platform's list API returns it."""
    topics = _topics()
    field, _ = topics[i % len(topics)]
    year = rng.choice((2020, 2021, 2022, 2023, 2024, 2025))
    society = SOCIETIES[i % len(SOCIETIES)]
    series = ["PV", "H2", "DR", "XNY", "JN"][i % 5]
    code = f"T/SX{series} {i + 1:04d}—{year}" if i % 2 else f"T/SX{series} {i + 1:04d}-{year}"
    pool = [f for f in firms if f.field == field] or firms
    drafters = [f.name for f in rng.sample(pool, min(len(pool), rng.randrange(2, 7)))]
    if institutes and rng.random() < 0.5:
        drafters.append(str(rng.choice(institutes)[1]))
    published = date(year, rng.randrange(1, 13), rng.randrange(1, 28))
    return {
        "standardNo": code,
        "standardTitleCn": f"{field}{rng.choice(('技术规范', '通用技术要求', '测试方法', '运行维护规程', '评价导则'))}",
        "organName": society,
        "organCode": f"SX{i % len(SOCIETIES):03d}",
        "icsl1Name": "27 能源和热传导工程",
        "ccsl1Name": "F 能源、核技术",
        "standardStatusName": "现行" if year > 2020 or rng.random() < 0.7 else "废止",
        "publishDate": published.isoformat(),
        "implementDate": (published + timedelta(days=30)).isoformat(),
        "abolishDate": None,
        "draftingUnits": ";".join(drafters),
    }


def _standards(
    rng: random.Random, firms: list[_Firm], institutes: list[list[object]], n: int, path: Path
) -> int:
    rows = [_standard_row(rng, i, firms, institutes) for i in range(n)]
    payload = {
        "code": 200,
        "msg": "示例数据(合成),非官方",
        "data": {"total": len(rows), "rows": rows},
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(rows)


def write_demo(out_dir: Path, seed: int = 20260101, size: DemoSize | None = None) -> dict[str, int]:
    """Write the demo files into ``out_dir``; the same seed writes the same files."""
    size = size or DemoSize()
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    firms = _firms(rng, size.firms)
    counts = {"hightech_rows": _hightech(rng, firms, out_dir / "hightech_enterprises.xlsx")}
    institutes = _institutes(rng, size.rd_institutions, out_dir / "rd_institutions.csv")
    counts["rd_institutions"] = len(institutes)
    # one random stream, in this order: the same seed writes the same files
    counts["tech_centres"] = _tech_centres(
        rng, firms, size.tech_centres, out_dir / "tech_centres.html"
    )
    counts["rd_centres"] = _rd_centres(rng, firms, size.rd_centres, out_dir / "rd_centres_gbk.csv")
    counts["consortia"] = _consortia(
        rng, firms, institutes, size.consortia, out_dir / "consortia.csv"
    )
    counts["standards"] = _standards(
        rng, firms, institutes, size.standards, out_dir / "group_standards.json"
    )
    counts["firms"] = len(firms)
    return counts
