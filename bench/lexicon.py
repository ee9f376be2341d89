"""Extraction of one 5 KB document against a registry of N organisations: wall time and peak
RSS of a fresh ``innograph extract``-like process, and the lexicon's build time and size.

No Neo4j: the registry's names are the demo generator's firms (``FirmTable.draw`` with the
demo seed: each firm's name, English name for about a third, former name for about one in
twelve), written into a data dir the way ``refresh_lexicon`` keeps them; the extraction
then runs with ``refresh=False`` (the kept lexicon), in a child process so that its start-up
and its peak RSS are its own. The document is ~5 KB of the shared policy texts plus a
paragraph naming registry firms (names, an English name, a former name, a typo).

    .venv/bin/python -m bench.lexicon                    # demo size (4,000) and 1,000,000
    .venv/bin/python -m bench.lexicon --firms 4000 100000 300000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.report import emit

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out" / "lexicon"
DOC_BYTES = 5 * 1024


def firms(n: int) -> Any:
    from loaders.demo_firms import FirmTable
    from loaders.demo_size import DEMO_SEED

    return FirmTable.draw(random.Random(DEMO_SEED), n)


def registry(n: int) -> Iterator[Any]:
    """The registry's names as the graph read gives them (nlp Entry records), streamed."""
    from nlp.gazetteer import Entry

    for i, firm in enumerate(firms(n)):
        node = f"org-{i:07d}"
        yield Entry("ORG", firm.name, node, "name", "Organization")
        if firm.name_en:
            yield Entry("ORG", firm.name_en, node, "name", "Organization")
        if firm.former_name:
            yield Entry("ORG", firm.former_name, node, "former_name", "Organization")


def document(n: int, path: Path) -> Path:
    """~5 KB: policy texts (zh and en) and a paragraph naming registry firms."""
    table = firms(n)
    picks = [table[i] for i in (0, 1, len(table) // 2, len(table) - 1)]
    english = next(f for f in table if f.name_en)
    former = next(f for f in table if f.former_name)
    typo = picks[2].name[:3] + ("华" if picks[2].name[3] != "华" else "秦") + picks[2].name[4:]
    names = (
        f"{picks[0].name}与{picks[1].name}签署合作协议，{picks[2].name}、{picks[3].name}"
        f"和{former.former_name}参加。{typo}也在名单上。\n\n"
        f"{english.name_en} joined the consortium.\n\n"
    )
    texts = sorted((SHARED / "raw" / "policy-excerpts").glob("*.txt"))
    body = ""
    for t in texts:
        part = t.read_text(encoding="utf-8").split("\n", 1)[1].strip() + "\n\n"
        if len((names + body + part).encode()) <= DOC_BYTES:
            body += part
    path.write_text(names + body, encoding="utf-8")
    return path


def build(data_dir: Path, n: int) -> dict[str, Any]:
    """Keep the registry's names in ``data_dir`` and build their index, as a refresh does
    when the registry's version changed: time, peak RSS (of this process) and sizes."""
    from api.settings import Settings
    from api.usecases.lexicon import lexicon_cache, lexicon_index
    from nlp.gazetteer import read_entries, write_entries
    from nlp.registry_index import build_index

    settings = Settings(data_dir=data_dir)
    start = time.perf_counter()
    names = write_entries(lexicon_cache(settings), registry(n))
    written = time.perf_counter() - start
    build_index(read_entries(lexicon_cache(settings)), lexicon_index(settings), f"bench-{n}")
    index = lexicon_index(settings)
    return {
        "names": names,
        "names_s": round(written, 2),
        "index_s": round(time.perf_counter() - start - written, 2),
        "index_bytes": sum(p.stat().st_size for p in index.rglob("*") if p.is_file()),
        "names_bytes": lexicon_cache(settings).stat().st_size,
        "build_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _peak_rss_mb() -> int:
    """This process's peak RSS (VmHWM: its own, where ru_maxrss would start from the RSS
    of the parent that forked it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def child(data_dir: Path, doc: Path) -> None:
    """One extraction as ``innograph extract --no-refresh`` does it; figures on stdout."""
    start = time.perf_counter()
    from api.settings import Settings
    from api.usecases.extract import extract_texts

    items: list[dict[str, Any]] = []
    run = extract_texts(Settings(data_dir=data_dir), [doc], refresh=False, emit=items.append)
    linked = sorted(
        {(i["text"], i["link"], i["link_method"]) for i in items if i.get("link")},
    )
    print(
        json.dumps(
            {
                "in_process_s": round(time.perf_counter() - start, 2),
                "records": run.records,
                "linked": linked,
                "peak_rss_mb": _peak_rss_mb(),
            },
            ensure_ascii=False,
        )
    )


def measure(n: int, keep: bool = False) -> dict[str, Any]:
    data_dir = OUT / f"firms-{n}"
    built: dict[str, Any] = {"index": "kept from an earlier run"}
    if not (keep and (data_dir / "lexicon" / "manifest.json").is_file()):
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        built = build(data_dir, n)
    doc = document(n, OUT / f"doc-{n}.txt")
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bench.lexicon", "--child", str(data_dir), str(doc)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "firms": n,
        **built,
        "doc_bytes": doc.stat().st_size,
        "process_s": round(wall, 2),
        **result,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, nargs="+", default=[4_000, 1_000_000])
    ap.add_argument("--child", nargs=2, type=Path, metavar=("DATA_DIR", "DOC"))
    ap.add_argument("--keep", action="store_true", help="reuse an index an earlier run built")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    runs = [measure(n, args.keep) for n in args.firms]
    results: dict[str, Any] = {"runs": runs}
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        results["ratio"] = {
            k: round(last[k] / first[k], 2)
            for k in ("process_s", "peak_rss_mb", "index_bytes")
            if k in first and k in last
        }
    emit(results, args.json)


if __name__ == "__main__":
    main()
