"""Names the extractor knows, each tied to a registry node when it has one, and linking.

The seed (areas and technologies of the taxonomy, plus general vocabulary in
``nlp/data/entity_phrases.jsonl``, China's administrative divisions in
``nlp/data/china_areas.jsonl`` and technology fields in ``nlp/data/tech_fields.jsonl``) is
always there, in memory; the registry's organisations, technologies, areas and standards
come from the graph (``innograph extract`` refreshes them) as a JSONL file and the on-disk
index built from it (``nlp.registry_index``), which finds them in texts and links them
without loading them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from loaders.normalize import name_key
from loaders.taxonomy import seed_areas, seed_technologies
from nlp.registry_index import Hit, RegistryIndex, fold, rank_of

__all__ = [
    "FUZZY_THRESHOLD",
    "LABELS",
    "LINKS_KEPT",
    "Entry",
    "Gazetteer",
    "Link",
    "read_entries",
    "write_entries",
]

LABELS = ("ORG", "TECH", "STANDARD", "AREA")
# A fuzzy link needs this rapidfuzz ratio (0-100); below it the mention is a new candidate.
FUZZY_THRESHOLD = 90.0
LINKS_KEPT = 100_000  # links remembered (about 30 MB at most), then forgotten at once


@dataclass(frozen=True, slots=True)
class Entry:
    """One name of one thing: ``node`` is the registry key (None for general vocabulary)."""

    label: str
    text: str
    node: str | None = None
    kind: str = "name"  # name | alias | former_name | code
    node_label: str | None = None  # the graph label of ``node``


@dataclass(frozen=True, slots=True)
class Link:
    node: str | None  # None: not in the registry, a new candidate
    method: str  # exact | alias | normalised | fuzzy | candidate
    confidence: float
    node_label: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _package_jsonl(name: str) -> list[dict[str, Any]]:
    text = resources.files("nlp").joinpath("data", name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@cache
def _seed() -> tuple[Entry, ...]:
    entries = [Entry(r["label"], r["pattern"]) for r in _package_jsonl("entity_phrases.jsonl")]
    # every administrative division of China (generated from jionlp: tools/) and technology
    # fields of the official classifications, as general vocabulary (no registry node); bare
    # county short names are not here (nlp/places.py takes them only in a list of places)
    entries += [
        Entry("AREA", r["pattern"], kind=r["kind"])
        for r in _package_jsonl("china_areas.jsonl")
        if r["kind"] != "county_alias"
    ]
    for r in _package_jsonl("tech_fields.jsonl"):
        entries += [Entry("TECH", r["zh"]), Entry("TECH", r["en"])]
    for t in seed_technologies():
        names = [t.name_zh, t.name_en]
        entries += [Entry("TECH", n, t.id, "name", "Technology") for n in names]
        entries += [Entry("TECH", a, t.id, "alias", "Technology") for a in t.aliases]
    for a in seed_areas():
        names = [a.name_zh, a.name_en]
        entries += [Entry("AREA", n, a.id, "name", "Area") for n in names]
        entries += [Entry("AREA", x, a.id, "alias", "Area") for x in a.aliases]
    return tuple(e for e in entries if e.text.strip())


class Gazetteer:
    """The seed (in memory: spaCy patterns and jieba words) plus the registry (a
    :class:`~nlp.registry_index.RegistryIndex`, found in texts and linked from disk); links
    a mention to a node by name."""

    def __init__(
        self, registry: Iterable[Entry] = (), *, index: RegistryIndex | None = None
    ) -> None:
        self.seed: tuple[Entry, ...] = _seed()
        self.index = index if index is not None else RegistryIndex.from_entries(registry)
        # Only names tied to a node can link; a node's own name before its aliases.
        linkable = sorted(
            (rank_of(e.kind, 0, i), e) for i, e in enumerate(self.seed) if e.node is not None
        )
        self._exact: dict[tuple[str, str], Hit] = {}
        self._by_key: dict[str, dict[str, Hit]] = {}
        for rank, e in linkable:
            assert e.node is not None
            hit = Hit(rank, e.label, e.node, e.kind, e.node_label)
            self._exact.setdefault((e.label, fold(e.text)), hit)
            self._by_key.setdefault(e.label, {}).setdefault(name_key(e.text), hit)
        # a document names the same few things again and again (a firm, its city): each
        # (label, text) is linked once; the seed and the index never change under it
        self._links: dict[tuple[str, str], Link] = {}

    def names(self, label: str | None = None) -> Iterator[Entry]:
        """The seed's names (the registry's are in :attr:`index`)."""
        return (e for e in self.seed if label is None or e.label == label)

    def link(self, label: str, text: str) -> Link:
        """The node ``text`` names as a ``label`` mention: exact, alias, normalised key or
        fuzzy; a candidate (no node) otherwise."""
        link = self._links.get((label, text))
        if link is None:
            if len(self._links) >= LINKS_KEPT:
                self._links.clear()
            link = self._links[(label, text)] = self._link(label, text)
        return link

    def _link(self, label: str, text: str) -> Link:
        exact = _best(self._exact.get((label, fold(text))), self.index.exact(label, fold(text)))
        if exact is not None:
            method = "exact" if exact.kind in ("name", "code") else "alias"
            return Link(exact.node, method, 1.0, exact.node_label)
        key = name_key(text)
        normal = _best(self._by_key.get(label, {}).get(key), self.index.normalised(label, key))
        if normal is not None:
            return Link(normal.node, "normalised", 0.95, normal.node_label)
        if len(key) >= 4:
            return self._fuzzy(label, key)
        return Link(None, "candidate", 0.0)

    def _fuzzy(self, label: str, key: str) -> Link:
        """The best key at ratio >= FUZZY_THRESHOLD (ties: the best ranked), seed and
        registry alike."""
        choices = dict(self.index.near(label, key))
        for k, hit in self._by_key.get(label, {}).items():
            choices[k] = _best(hit, choices.get(k)) or hit
        scored = process.extract(
            key, list(choices), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=None
        )
        if not scored:
            return Link(None, "candidate", 0.0)
        best = min(scored, key=lambda c: (-c[1], choices[c[0]].rank))
        hit = choices[best[0]]
        return Link(hit.node, "fuzzy", round(best[1] / 100 * 0.9, 3), hit.node_label)


def _best(a: Hit | None, b: Hit | None) -> Hit | None:
    if a is None or b is None:
        return a or b
    return min(a, b, key=lambda h: h.rank)


def write_entries(path: Path, entries: Iterable[Entry]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for e in entries:
            f.write(json.dumps(asdict(e), ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)  # a reader never sees half a file
    return n


def read_entries(path: Path) -> Iterator[Entry]:
    """The entries of a file ``write_entries`` wrote, streamed (none when it is absent)."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield Entry(**json.loads(line))
