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

from loaders.uscc import USCC_CHARS, check_char

__all__ = ["DemoSize", "demo_plan", "write_demo"]

PLAN_DIR = Path(__file__).with_name("data") / "plan"


def demo_plan(lang: str = "en") -> Path:
    """The plan document the demo reads its targets from, in Chinese (zh) or English (en):
    the project's own summary of the published plan, with its title and source cited."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang {lang!r}: the demo plan is written in zh and en")
    return PLAN_DIR / f"xixian-carbon-peak-plan.{lang}.txt"


CITIES = ("沣东新城", "沣西新城", "秦汉新城", "空港新城", "泾河新城")
PREFIXES = ("陕西", "西安", "西咸新区", "陕西西咸", "西安西咸")
CORES = tuple(
    [
        "华晟",
        "秦创",
        "沣源",
        "汉唐",
        "长安",
        "丝路",
        "博远",
        "中科",
        "天和",
        "瑞能",
        "恒信",
        "鼎盛",
        "金泰",
        "宏图",
        "远航",
        "启明",
        "新源",
        "蓝海",
        "银河",
        "北辰",
        "星火",
        "众诚",
        "德润",
        "嘉禾",
        "睿达",
        "卓越",
        "凯迪",
        "海创",
        "光启",
        "智远",
        "普惠",
        "明德",
        "安泰",
        "盛世",
        "华清",
        "渭水",
        "泾渭",
        "终南",
        "骊山",
        "大秦",
        "雁塔",
        "未央",
        "灞河",
        "曲江",
        "碑林",
        "莲湖",
        "周原",
        "咸阳",
        "兴平",
    ]
)
# (field written in the list, industry word in names)
FIELDS = (
    ("碲化镉薄膜电池", "光电"),
    ("高效智能光伏组件", "光伏"),
    ("地热能供热制冷", "地热"),
    ("氢燃料电池", "氢能"),
    ("车网互动", "智能电网"),
    ("二氧化碳资源化利用", "碳汇"),
    ("储能", "储能"),
    ("绿色建筑", "建筑节能"),
    ("数控机床", "数控"),
    ("电子信息", "电子"),
    ("生物医药", "生物"),
    ("新材料", "新材料"),
)
# Gaps the demo leaves on purpose, so the coverage matrix has something to show: nobody
# has formed a consortium or written a standard on vehicle-grid interaction, and no new R&D
# institution works on CO2 utilisation.
NO_CONSORTIUM_OR_STANDARD = "车网互动"
# English names as firms write them: pinyin of the trade name, the industry in English.
PINYIN = {
    "陕西": "Shaanxi",
    "西安": "Xi'an",
    "西咸新区": "Xixian",
    "陕西西咸": "Shaanxi Xixian",
    "西安西咸": "Xi'an Xixian",
    "华晟": "Huasheng",
    "秦创": "Qinchuang",
    "沣源": "Fengyuan",
    "汉唐": "Hantang",
    "长安": "Chang'an",
    "丝路": "Silu",
    "博远": "Boyuan",
    "中科": "Zhongke",
    "天和": "Tianhe",
    "瑞能": "Ruineng",
    "恒信": "Hengxin",
    "鼎盛": "Dingsheng",
    "金泰": "Jintai",
    "宏图": "Hongtu",
    "远航": "Yuanhang",
    "启明": "Qiming",
    "新源": "Xinyuan",
    "蓝海": "Lanhai",
    "银河": "Yinhe",
    "北辰": "Beichen",
    "星火": "Xinghuo",
    "众诚": "Zhongcheng",
    "德润": "Derun",
    "嘉禾": "Jiahe",
    "睿达": "Ruida",
    "卓越": "Zhuoyue",
    "凯迪": "Kaidi",
    "海创": "Haichuang",
    "光启": "Guangqi",
    "智远": "Zhiyuan",
    "普惠": "Puhui",
    "明德": "Mingde",
    "安泰": "Antai",
    "盛世": "Shengshi",
    "华清": "Huaqing",
    "渭水": "Weishui",
    "泾渭": "Jingwei",
    "终南": "Zhongnan",
    "骊山": "Lishan",
    "大秦": "Daqin",
    "雁塔": "Yanta",
    "未央": "Weiyang",
    "灞河": "Bahe",
    "曲江": "Qujiang",
    "碑林": "Beilin",
    "莲湖": "Lianhu",
    "周原": "Zhouyuan",
    "咸阳": "Xianyang",
    "兴平": "Xingping",
}
INDUSTRY_EN = {
    "光电": "Photoelectric",
    "光伏": "Photovoltaic",
    "地热": "Geothermal",
    "氢能": "Hydrogen",
    "智能电网": "Smart Grid",
    "碳汇": "Carbon",
    "储能": "Energy Storage",
    "建筑节能": "Building Energy",
    "数控": "CNC",
    "电子": "Electronics",
    "生物": "Biotech",
    "新材料": "New Materials",
}
FORMS_EN = {
    "科技有限公司": "Technology Co., Ltd.",
    "技术有限公司": "Technologies Co., Ltd.",
    "股份有限公司": "Co., Ltd.",
    "能源有限公司": "Energy Co., Ltd.",
    "装备有限公司": "Equipment Co., Ltd.",
}
NO_RD_INSTITUTION = "二氧化碳资源化利用"
FORMS = ("科技有限公司", "技术有限公司", "股份有限公司", "能源有限公司", "装备有限公司")


INSTITUTE_FIELDS = tuple(f for f in FIELDS if f[0] != NO_RD_INSTITUTION)


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


def write_demo(out_dir: Path, seed: int = 20260101, size: DemoSize | None = None) -> dict[str, int]:
    """Write the demo files into ``out_dir``; the same seed writes the same files."""
    size = size or DemoSize()
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    firms = _firms(rng, size.firms)
    counts = {"hightech_rows": _hightech(rng, firms, out_dir / "hightech_enterprises.xlsx")}

    institutes: list[list[object]] = []
    for i in range(size.rd_institutions):
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
    (out_dir / "rd_institutions.csv").write_bytes(
        _csv_bytes(
            ["序号", "机构名称", "统一社会信用代码", "认定时间", "级别", "所在区域", "技术领域"],
            institutes,
            "utf-8-sig",
        )
    )
    counts["rd_institutions"] = len(institutes)

    centres = rng.sample(firms, size.tech_centres)
    cells = []
    for i, firm in enumerate(centres, 1):
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
    (out_dir / "tech_centres.html").write_text("\n".join(html), encoding="utf-8")
    counts["tech_centres"] = len(cells)

    rd = rng.sample(firms, size.rd_centres)
    (out_dir / "rd_centres_gbk.csv").write_bytes(
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
    counts["rd_centres"] = len(rd)

    consortia = []
    topics = [f for f in FIELDS[:9] if f[0] != NO_CONSORTIUM_OR_STANDARD]
    for i in range(size.consortia):
        field, word = topics[i % len(topics)]
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
    (out_dir / "consortia.csv").write_bytes(
        _csv_bytes(
            ["联合体名称", "牵头单位", "成员单位", "技术领域", "级别", "成立时间", "所在区域"],
            consortia,
            "utf-8",
        )
    )
    counts["consortia"] = len(consortia)

    societies = (
        "陕西省光伏产业协会",
        "陕西省氢能产业协会",
        "陕西省地热能协会",
        "西咸新区新能源产业联盟",
        "陕西省节能协会",
    )
    rows = []
    for i in range(size.standards):
        field, _ = topics[i % len(topics)]
        year = rng.choice((2020, 2021, 2022, 2023, 2024, 2025))
        society = societies[i % len(societies)]
        code = (
            f"T/SX{['PV', 'H2', 'DR', 'XNY', 'JN'][i % 5]} {i + 1:04d}—{year}"
            if i % 2
            else f"T/SX{['PV', 'H2', 'DR', 'XNY', 'JN'][i % 5]} {i + 1:04d}-{year}"
        )
        pool = [f for f in firms if f.field == field] or firms
        drafters = [f.name for f in rng.sample(pool, min(len(pool), rng.randrange(2, 7)))]
        if institutes and rng.random() < 0.5:
            drafters.append(str(rng.choice(institutes)[1]))
        published = date(year, rng.randrange(1, 13), rng.randrange(1, 28))
        rows.append(
            {
                "standardNo": code,
                "standardTitleCn": f"{field}{rng.choice(('技术规范', '通用技术要求', '测试方法', '运行维护规程', '评价导则'))}",
                "organName": society,
                "organCode": f"SX{i % len(societies):03d}",
                "icsl1Name": "27 能源和热传导工程",
                "ccsl1Name": "F 能源、核技术",
                "standardStatusName": "现行" if year > 2020 or rng.random() < 0.7 else "废止",
                "publishDate": published.isoformat(),
                "implementDate": (published + timedelta(days=30)).isoformat(),
                "abolishDate": None,
                "draftingUnits": ";".join(drafters),
            }
        )
    payload = {
        "code": 200,
        "msg": "示例数据(合成),非官方",
        "data": {"total": len(rows), "rows": rows},
    }
    (out_dir / "group_standards.json").write_text(
        json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    counts["standards"] = len(rows)
    counts["firms"] = len(firms)
    return counts
