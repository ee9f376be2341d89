"""The benchmark's input: N synthetic firms with a high-tech recognition each, as one CSV."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from loaders.demo import CITIES, CORES, FIELDS, FORMS, PREFIXES, _uscc

HEADER = ["序号", "企业名称", "统一社会信用代码", "证书编号", "发证日期", "所在区域"]


def write_firms(path: Path, n: int, seed: int = 5) -> Path:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        i = 0
        while i < n:
            _, word = rng.choice(FIELDS)
            name = f"{rng.choice(PREFIXES)}{rng.choice(CORES)}{rng.choice(CORES)}{rng.choice(CORES)}{word}{rng.choice(FORMS)}"
            if name in seen:
                continue
            seen.add(name)
            i += 1
            year = rng.randrange(2019, 2026)
            granted = date(year, 11, 1) + timedelta(days=rng.randrange(50))
            w.writerow(
                [
                    i,
                    name,
                    _uscc(rng),
                    f"GR{year}61{i:07d}",
                    granted.isoformat(),
                    f"陕西省西咸新区{rng.choice(CITIES)}",
                ]
            )
    return path
