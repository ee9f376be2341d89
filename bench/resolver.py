"""Benchmark: entity resolution against a registry of N organisations, memory and time.

A load resolves every mention against the organisations the graph already holds
(``loaders.resolve.Resolver``, fed by ``graph.ingest.known_orgs``). For each size, in a
child process of its own (so its peak RSS is its own): the demo generator's firms (names,
USCCs, English and former names) registered as known, then mentions resolved as a later
list states them: re-listed firms with their USCC, new firms with a USCC, and names without
one (the similarity search over every normalised name). Reported: registration time, the
RSS the resolver adds once its mentions are resolved, microseconds per mention of each
kind; and, as the reference in the same child (measured first, then freed), the RSS a bare
``dict`` of the same names to ids adds (the least any in-memory index of them would hold).
Growth large / small of each figure.

    .venv/bin/python -m bench.resolver                  # demo size (4,000) and 1,000,000
    .venv/bin/python -m bench.resolver --firms 4000 300000
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.lexicon import firms
from bench.report import emit

ROOT = Path(__file__).resolve().parents[1]
RELISTED, NEW, NAME_ONLY = 20_000, 5_000, 200


def _rss_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024)
    raise RuntimeError("no VmRSS in /proc/self/status")


def child(n: int) -> dict[str, Any]:
    from loaders.org_store import KnownOrg
    from loaders.provenance import Provenance
    from loaders.records import OrgKind, OrgMention
    from loaders.resolve import Resolver, org_id

    table = firms(n + NEW)
    known, fresh = table[:n], table[n:]
    # the reference: the names alone, in a dict (no USCCs, no records, no normalised keys)
    before = _rss_mb()
    reference = {f.name: org_id(f.uscc, f.name) for f in known}
    reference_mb = _rss_mb() - before
    assert len(reference) <= n
    del reference
    gc.collect()
    base = _rss_mb()
    t0 = time.perf_counter()
    resolver = Resolver(
        KnownOrg(
            org_id(f.uscc, f.name),
            f.name,
            OrgKind.FIRM,
            f.uscc,
            {f.name},
            {f.former_name} if f.former_name else set(),
            f.name_en or None,
        )
        for f in known
    )
    registered = time.perf_counter() - t0
    prov = Provenance("bench", "bench")

    def timed(mentions: list[OrgMention]) -> float:
        t = time.perf_counter()
        for m in mentions:
            resolver.resolve(m)
        return (time.perf_counter() - t) / max(len(mentions), 1) * 1e6

    step = max(len(known) // RELISTED, 1)
    relisted = timed(
        [OrgMention(f.name, OrgKind.FIRM, prov, uscc=f.uscc) for f in known[::step]][:RELISTED]
    )
    new = timed([OrgMention(f.name, OrgKind.FIRM, prov, uscc=f.uscc) for f in fresh])
    # names as a list without USCCs writes them: a typo of a known one, or a new one
    name_only = timed(
        [
            OrgMention(f.name[:-2] + "公司" if i % 2 else f.name + "分公司", OrgKind.FIRM, prov)
            for i, f in enumerate(known[:: max(len(known) // NAME_ONLY, 1)][:NAME_ONLY])
        ]
    )
    added = _rss_mb() - base
    return {
        "firms": n,
        "register_s": round(registered, 1),
        "resolver_rss_mb": added,
        "reference_dict_rss_mb": reference_mb,
        "relisted_us": round(relisted, 1),
        "new_us": round(new, 1),
        "name_only_us": round(name_only, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--firms", type=int, nargs="+", default=[4_000, 1_000_000])
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    runs = []
    for n in args.firms:
        out = subprocess.run(
            [sys.executable, "-m", "bench.resolver", "--child", str(n)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    small, large = runs[0], runs[-1]
    growth = {
        k: round(large[k] / small[k], 1) if small[k] else None
        for k in (
            "resolver_rss_mb",
            "reference_dict_rss_mb",
            "relisted_us",
            "new_us",
            "name_only_us",
        )
    }
    emit({"runs": runs, "growth": growth}, args.json)


if __name__ == "__main__":
    main()
