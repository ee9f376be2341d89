"""Extraction throughput (chars/s) against jieba.cut alone, on one mixed zh/en corpus.

Builds the corpus from the policy texts in ../shared/data (repeated to --mb megabytes),
then in one run: jieba.cut over it, and the whole extraction (quantities, entities with
linking, relations, streamed block by block) over it, each with 1 and 2 processes (the
corpus cut into two halves at paragraph ends), alternated --rounds times; the ratio is of
the median speeds. Dictionaries and pipelines are loaded before the clock starts. Also
reports each run's peak resident memory.

    .venv/bin/python -m bench.extract --mb 5
    .venv/bin/python -m bench.extract --mb 200 --only-extract   # bounded memory on a big file
"""

from __future__ import annotations

import argparse
import logging
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import jieba

from bench.report import emit

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out"

_pipelines: Any = None


def corpus(mb: float) -> Path:
    texts = sorted((SHARED / "raw" / "policy-excerpts").glob("*.txt")) + sorted(
        (SHARED / "seed").glob("*.txt")
    )
    unit = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in texts) + "\n\n"
    path = OUT / f"corpus-{mb:g}mb.txt"
    want = int(mb * 1024 * 1024)
    if not path.exists() or path.stat().st_size < want:
        OUT.mkdir(parents=True, exist_ok=True)
        data = unit.encode("utf-8")
        with path.open("wb") as f:
            for _ in range(want // len(data) + 1):
                f.write(data)
    return path


def halves(path: Path) -> list[Path]:
    text = path.read_text(encoding="utf-8")
    cut = text.find("\n\n", len(text) // 2) + 2
    parts = []
    for i, part in enumerate((text[:cut], text[cut:])):
        p = path.with_suffix(f".part{i}.txt")
        p.write_text(part, encoding="utf-8")
        parts.append(p)
    return parts


def _init_jieba() -> None:
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


def _jieba(path: Path) -> tuple[int, float]:
    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    for _ in jieba.cut(text):
        pass
    return len(text), time.perf_counter() - start


def _init_extract() -> None:
    global _pipelines
    from nlp.entities import Pipelines
    from nlp.gazetteer import Gazetteer
    from nlp.jieba_dict import load_dictionary

    # as `innograph extract` starts (api.usecases.extract): jieba's dictionary and its
    # words' tags from the pickle, before any word is added; else the tags are read from
    # jieba's dictionary file at the first firm name, inside the clock
    load_dictionary(OUT / "cache")
    _pipelines = Pipelines(Gazetteer())


def _extract(path: Path) -> tuple[int, float]:
    from nlp.document import DocumentReader

    start = time.perf_counter()
    reader = DocumentReader(path, _pipelines)
    found = 0
    for block in reader.blocks():
        found += len(block.mentions) + len(block.quantities) + len(block.relations)
    assert found
    return reader.stream.chars, time.perf_counter() - start


def run(kind: str, paths: list[Path]) -> dict[str, Any]:
    init, work = (_init_jieba, _jieba) if kind == "jieba" else (_init_extract, _extract)
    with ProcessPoolExecutor(len(paths), initializer=init) as pool:
        # every worker started (and so initialised) before the clock
        list(pool.map(time.sleep, [0.2] * len(paths)))
        start = time.perf_counter()
        results = list(pool.map(work, paths))
        wall = time.perf_counter() - start
    chars = sum(c for c, _ in results)
    return {
        "processes": len(paths),
        "chars": chars,
        "seconds": round(wall, 2),
        "chars_per_s": round(chars / wall),
        "peak_rss_mb_children": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
    }


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median speed, with every round's chars/s beside it."""
    ranked = sorted(runs, key=lambda r: r["chars_per_s"])
    return {**ranked[len(ranked) // 2], "rounds_chars_per_s": [r["chars_per_s"] for r in runs]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0, help="corpus size in megabytes")
    ap.add_argument("--only-extract", action="store_true", help="skip jieba (big corpora)")
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="extraction and jieba alternated this many times; medians compared (this "
        "machine's speed moves by a quarter from one minute to the next)",
    )
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    path = corpus(args.mb)
    two = halves(path)
    results: dict[str, Any] = {"corpus": str(path), "bytes": path.stat().st_size}
    for n, paths in ((1, [path]), (2, two)):
        ext: list[dict[str, Any]] = []
        ref: list[dict[str, Any]] = []
        for _ in range(max(1, args.rounds)):
            ext.append(run("extract", paths))
            if not args.only_extract:
                ref.append(run("jieba", paths))
        results[f"extract_{n}p"] = _median_run(ext)
        if ref:
            results[f"jieba_{n}p"] = _median_run(ref)
            results[f"ratio_{n}p"] = round(
                results[f"extract_{n}p"]["chars_per_s"] / results[f"jieba_{n}p"]["chars_per_s"], 3
            )
            results[f"ratio_{n}p_rounds"] = [
                round(e["chars_per_s"] / r["chars_per_s"], 3) for e, r in zip(ext, ref, strict=True)
            ]
    emit(results, args.json)


if __name__ == "__main__":
    main()
