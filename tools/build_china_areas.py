"""Regenerate nlp/data/china_areas.jsonl from jionlp's administrative divisions of China.

    /work/main/.venv/bin/python tools/build_china_areas.py

jionlp (a maintained package, offline: the list ships in its wheel) is needed only here, not
when extracting: the extractor reads the generated file. Each row is one name of one division:
the full name (西安市, 武功县) of every province, prefecture and county, the short name
(alias: 西安, 陕西) of provinces and prefectures, and of counties as ``county_alias`` — a
bare county short name (武功, 兴平) is also an ordinary word, so the extractor takes it only in
a list of places or after its prefecture. English names of provinces and prefectures are
their toneless pinyin (Xianyang, Yan'an), with the few conventional spellings below.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jionlp

OUT = Path(__file__).resolve().parents[1] / "nlp" / "data" / "china_areas.jsonl"
# conventional English names that are not the toneless pinyin
ENGLISH = {
    "陕西": "Shaanxi",
    "内蒙古": "Inner Mongolia",
    "西藏": "Tibet",
    "香港": "Hong Kong",
    "澳门": "Macao",
    "哈尔滨": "Harbin",
}
LEVELS = ("province", "prefecture", "county")
# counties whose full name is a common noun (山西 长治市城区, 阳泉市矿区, 铜陵市郊区): in a text
# 城区 is "the urban area" of whatever city it speaks of, not that county
COMMON_WORD_NAMES = frozenset({"城区", "郊区", "矿区"})


def _pinyin(name: str) -> str:
    syllables = [s.rstrip("012345") for s in jionlp.pinyin(name, formater="simple")]
    word = syllables[0]
    for s in syllables[1:]:
        word += ("'" if s[:1] in "aeo" else "") + s
    return word.capitalize()


def _aliases(node: dict[str, Any]) -> list[str]:
    alias = node.get("_alias") or []
    return [alias] if isinstance(alias, str) else list(alias)


def rows() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(text: str, level: str, code: str, kind: str) -> None:
        if len(text) >= 2 and (text, kind) not in seen and text not in COMMON_WORD_NAMES:
            seen.add((text, kind))
            out.append(
                {"label": "AREA", "pattern": text, "level": level, "code": code, "kind": kind}
            )

    def walk(name: str, node: dict[str, Any], depth: int) -> None:
        level, code = LEVELS[depth], str(node.get("_admin_code", ""))
        add(node.get("_full_name", name), level, code, "name")
        for alias in _aliases(node):
            # a short name still ending in 区 (高新区, 经开区, 新区) is a kind of zone, not a name
            if alias != node.get("_full_name") and not alias.endswith("区"):
                add(alias, level, code, "county_alias" if depth == 2 else "alias")
                if depth < 2:
                    en = ENGLISH.get(alias) or _pinyin(alias)
                    add(en, level, code, "english")
                    if "'" in en:
                        add(en.replace("'", "\u2019"), level, code, "english")
        for child, sub in node.items():
            if not child.startswith("_") and isinstance(sub, dict) and depth < 2:
                walk(child, sub, depth + 1)

    for province, node in sorted(jionlp.china_location_loader().items()):
        walk(province, node, 0)
    return out


def main() -> None:
    data = rows()
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data), "utf-8")
    print(f"{OUT}: {len(data)} names")


if __name__ == "__main__":
    main()
