"""A deterministic, clearly synthetic demo ecosystem of Xixian New Area, written as source files.

The files use the formats the real lists arrive in (XLSX, CSV with BOM, GBK CSV, HTML
table, platform JSON) so that the demo runs the real loaders end to end. Every source
that reads them is declared ``synthetic = true``: nobody should take them for official lists.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from pathlib import Path

from loaders.demo_firms import Firm, FirmTable, new_uscc
from loaders.demo_names import (
    CITIES,
    CORES,
    FIELDS,
    FORMS,
    INSTITUTE_FIELDS,
    NO_CONSORTIUM_OR_STANDARD,
    PREFIXES,
)
from loaders.demo_size import DEMO_SEED, MAX_FIRMS, MIN_FIRMS, DemoSize
from loaders.parts import XLSX_MAX_ROWS, PartedXlsx

__all__ = ["DEMO_SEED", "MAX_FIRMS", "MIN_FIRMS", "DemoSize", "demo_plan", "write_demo"]
_ = (DEMO_SEED, MAX_FIRMS, MIN_FIRMS)  # re-exported from loaders.demo_size

# (CITIES, CORES, FIELDS, FORMS, PREFIXES: also read from here by bench/gen_firms.py)
_NAME_PARTS = (CITIES, CORES, FIELDS, FORMS, PREFIXES)
PLAN_DIR = Path(__file__).with_name("data") / "plan"


def demo_plan(lang: str = "en") -> Path:
    """The plan document the demo reads its targets from, in Chinese (zh) or English (en):
    the project's own summary of the published plan, with its title and source cited."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang {lang!r}: the demo plan is written in zh and en")
    return PLAN_DIR / f"xixian-carbon-peak-plan.{lang}.txt"


def _uscc(rng: random.Random) -> str:
    """A valid USCC of a Shaanxi firm (bench/gen_firms.py draws its own this way)."""
    return new_uscc(rng, set())


def _day(rng: random.Random, year: int) -> date:
    # High-tech certificates are issued late in the year, in batches.
    return date(year, rng.choice((10, 11, 12)), 1) + timedelta(days=rng.randrange(28))


HIGHTECH_HEADERS = (
    ("示例数据(合成),非官方名单",),
    (
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
    ),
)


def _hightech(
    rng: random.Random, firms: Sequence[Firm], path: Path, max_rows: int
) -> tuple[int, int]:
    """The recognitions, one XLSX sheet; in parts when the rows pass ``max_rows``.
    Rows and files written."""
    rows = 0
    with PartedXlsx(path, "高新技术企业", HIGHTECH_HEADERS, max_rows) as ws:
        for firm in firms:
            rows = _hightech_rows(rng, firm, ws, rows)
    return rows, len(ws.parts)


# the first year of a firm's certificate, renewed every three years
_FIRST_YEAR: tuple[int, ...] = (2016, 2017, 2018, 2019, 2019, 2020, 2021, 2021)
_FIRST_YEAR += (2022, 2022, 2023, 2023, 2024, 2024, 2025, 2025)


def _hightech_rows(rng: random.Random, firm: Firm, ws: PartedXlsx, rows: int) -> int:
    """One firm's certificates 2019-2025 (renewed every three years unless it lapses)."""
    year = rng.choice(_FIRST_YEAR)
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


def _institutes(rng: random.Random, firms: FirmTable, n: int, path: Path) -> list[list[object]]:
    """``n`` institutes, fewer when a name repeats in the district demo (as it always was);
    a scaled demo draws again until it has ``n``."""
    institutes: list[list[object]] = []
    names: set[str] = set()
    attempts = n if not firms.space.unique_stems else 50 * n
    for i in range(attempts):
        if len(institutes) == n:
            break
        field, word = INSTITUTE_FIELDS[i % len(INSTITUTE_FIELDS)]
        name = f"西咸新区{rng.choice(firms.space.cores)}{word}{rng.choice(('研究院', '技术研究院', '创新研究院', '产业技术研究院'))}"
        if name not in names:
            names.add(name)
            institutes.append(
                [
                    len(institutes) + 1,
                    name,
                    new_uscc(rng, firms.usccs) if rng.random() < 0.5 else "",
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


def _tech_centres(rng: random.Random, firms: Sequence[Firm], n: int, path: Path) -> int:
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


def _rd_centres(rng: random.Random, firms: Sequence[Firm], n: int, path: Path) -> int:
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
    rng: random.Random, firms: FirmTable, institutes: list[list[object]], n: int, path: Path
) -> int:
    topics = _topics()
    consortia = []
    for i in range(n):
        field, _ = topics[i % len(topics)]
        pool = firms.of_field(field) or firms
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
    rng: random.Random, i: int, firms: FirmTable, institutes: list[list[object]]
) -> dict[str, object]:
    """One record as the group-standards platform's list API returns it."""
    topics = _topics()
    field, _ = topics[i % len(topics)]
    year = rng.choice((2020, 2021, 2022, 2023, 2024, 2025))
    society = SOCIETIES[i % len(SOCIETIES)]
    series = ["PV", "H2", "DR", "XNY", "JN"][i % 5]
    code = f"T/SX{series} {i + 1:04d}—{year}" if i % 2 else f"T/SX{series} {i + 1:04d}-{year}"
    pool = firms.of_field(field) or firms
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
    rng: random.Random, firms: FirmTable, institutes: list[list[object]], n: int, path: Path
) -> int:
    """The platform's JSON, written row by row: the bytes ``json.dumps(payload,
    ensure_ascii=False, indent=1)`` gives, without holding every row."""
    head = {"code": 200, "msg": "示例数据(合成),非官方", "data": {"total": n, "rows": []}}
    before, after = json.dumps(head, ensure_ascii=False, indent=1).split("[]")
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(before + ("[" if n else "[]"))
        for i in range(n):
            row = json.dumps(_standard_row(rng, i, firms, institutes), ensure_ascii=False, indent=1)
            f.write(("," if i else "") + "\n" + row.replace("\n", "\n   ").join(("   ", "")))
        f.write(("\n  ]" if n else "") + after)
    return n


def write_demo(
    out_dir: Path,
    seed: int = DEMO_SEED,
    size: DemoSize | None = None,
    *,
    xlsx_max_rows: int = XLSX_MAX_ROWS,
) -> dict[str, int]:
    """Write the demo files into ``out_dir``; the same seed and size write the same bytes.
    The recognitions go into parts (``hightech_enterprises-1.xlsx``, ...) when they pass
    ``xlsx_max_rows`` rows per sheet; the parts of an earlier run are removed first."""
    size = size or DemoSize()
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    firms = FirmTable.draw(rng, size.firms)
    rows, files = _hightech(rng, firms, out_dir / "hightech_enterprises.xlsx", xlsx_max_rows)
    counts = {"hightech_rows": rows, "hightech_files": files}
    institutes = _institutes(rng, firms, size.rd_institutions, out_dir / "rd_institutions.csv")
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
