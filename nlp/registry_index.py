"""The registry's names on disk: found in a text and linked without loading them.

A registry of a million organisations has millions of names; turning them into spaCy
patterns and jieba words on every run took minutes and gigabytes. Instead the names are
built once per registry version into three static tries (marisa-trie), memory-mapped when
opened, so a run touches only the pages its text needs:

- ``names.marisa``: each name folded to lower case (:func:`fold`, one character for one) ->
  the payloads of the entries that carry it (rank, label, node, kind, node label);
- ``keys.marisa``: ``label|length|name_key`` -> the same payloads (the normalised link);
- ``rkeys.marisa``: ``label|length|reversed name_key`` (the fuzzy link's suffix probe).

A payload's rank orders entries as linking wants them: a node's own names (and codes)
before aliases and former names, then the order the registry read gave them. Every name
is found in a text by one prefix look-up per character (:meth:`RegistryIndex.find`).

The fuzzy link (rapidfuzz ``ratio`` >= 90 on the name key) compares only the keys that
share, at the right length, the mention's first part or its last part: every key that
differs from the mention in one place (one character wrong, missing, added, or a few
neighbouring ones) is compared, as before; a key that differs in two separate places is
not (the mention is then a new candidate).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import marisa_trie

from loaders.normalize import name_key
from nlp.errors import ExtractionError

__all__ = [
    "FORMAT",
    "Hit",
    "IndexInfo",
    "RegistryIndex",
    "build_index",
    "fold",
    "fuzzy_lengths",
    "rank_of",
]

FORMAT = 1  # bumped when the files change shape: an index of another format is rebuilt
NAMES, KEYS, RKEYS, MANIFEST = "names.marisa", "keys.marisa", "rkeys.marisa", "manifest.json"
SEP = "\x1f"
MAX_NAME = 200  # longer "names" are not names (a whole sentence in a cell): not indexed
MAX_CANDIDATES = 20_000  # keys read per fuzzy probe, at most (bounded work per mention)
_LATIN = re.compile(r"[0-9a-z]")
Rank = tuple[int, int, int]


def fold(text: str) -> str:
    """Lower case, one character for one (so offsets in the folded text are the text's)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def rank_of(kind: str, source: int, index: int) -> Rank:
    """Names and codes first, then aliases and former names; then seed (0) before
    registry (1); then the order read."""
    return (0 if kind in ("name", "code") else 1, source, index)


@dataclass(frozen=True, slots=True)
class Hit:
    rank: Rank
    label: str
    node: str
    kind: str
    node_label: str | None


@dataclass(frozen=True, slots=True)
class IndexInfo:
    version: str  # the registry version the index was built for
    names: int  # entries indexed
    max_len: int  # longest name, in characters
    format: int = FORMAT


def _payload(rank: Rank, label: str, node: str, kind: str, node_label: str | None) -> bytes:
    head = bytes([rank[0]]) + rank[2].to_bytes(5, "big")
    return head + SEP.join((label, node, kind, node_label or "")).encode()


def _hit(value: bytes) -> Hit:
    label, node, kind, node_label = value[6:].decode().split(SEP)
    rank = (value[0], 1, int.from_bytes(value[1:6], "big"))
    return Hit(rank, label, node, kind, node_label or None)


def _key(label: str, key: str) -> str:
    return f"{label}{SEP}{len(key):03d}{SEP}{key}"


def fuzzy_lengths(n: int) -> Iterator[tuple[int, int]]:
    """(length, most indel edits) of the keys whose ratio with a key of ``n`` characters
    can reach 90: 100 * (1 - edits / (n + m)) >= 90."""
    for m in range(max(1, n * 9 // 11 - 1), n * 11 // 9 + 2):
        if 10 * abs(n - m) <= n + m:
            yield m, (n + m) // 10


class RegistryIndex:
    """The three tries of one registry version (see the module docstring)."""

    def __init__(
        self,
        names: marisa_trie.BytesTrie,
        keys: marisa_trie.BytesTrie,
        rkeys: marisa_trie.Trie,
        info: IndexInfo,
    ) -> None:
        self.names, self.keys, self.rkeys, self.info = names, keys, rkeys, info

    @classmethod
    def open(cls, directory: Path) -> RegistryIndex:
        """The index kept in ``directory``, memory-mapped; ExtractionError when it is not
        a complete index of this format (build it again)."""
        try:
            info = IndexInfo(**json.loads((directory / MANIFEST).read_text(encoding="utf-8")))
            if info.format != FORMAT:
                raise ValueError(f"format {info.format}, this version reads {FORMAT}")
            names, keys, rkeys = (
                marisa_trie.BytesTrie(),
                marisa_trie.BytesTrie(),
                marisa_trie.Trie(),
            )
            names.mmap(str(directory / NAMES))
            keys.mmap(str(directory / KEYS))
            rkeys.mmap(str(directory / RKEYS))
        except (OSError, ValueError, TypeError) as e:
            raise ExtractionError(
                f"{directory}: not a registry index ({e}); run `innograph extract --refresh` "
                "to build it again"
            ) from e
        return cls(names, keys, rkeys, info)

    @classmethod
    def from_entries(cls, entries: Iterable[Any], version: str = "memory") -> RegistryIndex:
        """An index held in memory (a small registry, tests)."""
        rows = list(_rows(entries))
        names, keys, rkeys = _tries(lambda: iter(rows))
        info = IndexInfo(version, len(rows), max((len(r[0]) for r in rows), default=0))
        return cls(names, keys, rkeys, info)

    def __len__(self) -> int:
        return self.info.names

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, folded name) of every indexed name in ``text``, overlaps included.
        A name that starts with a Latin letter or digit starts a word: never inside one."""
        folded = fold(text)
        width = self.info.max_len
        if not width:
            return
        for i in range(len(folded)):
            if i and _LATIN.match(folded, i) and _LATIN.match(folded, i - 1):
                continue
            for name in self.names.prefixes(folded[i : i + width]):
                yield i, i + len(name), name

    def hits(self, folded: str) -> list[Hit]:
        """The entries of one folded name, best rank first."""
        return sorted((_hit(v) for v in self.names.get(folded, [])), key=lambda h: h.rank)

    def exact(self, label: str, folded: str) -> Hit | None:
        return next((h for h in self.hits(folded) if h.label == label), None)

    def normalised(self, label: str, key: str) -> Hit | None:
        values = self.keys.get(_key(label, key), [])
        return min((_hit(v) for v in values), key=lambda h: h.rank, default=None)

    def near(self, label: str, key: str) -> dict[str, Hit]:
        """Keys (of ``label``) that may be within the fuzzy threshold of ``key`` and differ
        from it in one place: those starting with its first part or ending with its last
        part, at each length that can reach the threshold; each with its best entry."""
        found: set[str] = set()
        n = len(key)
        for m, edits in fuzzy_lengths(n):
            head = max(1, (n - edits + 1) // 2)
            tail = key[head - 1 + edits :] or key[-1:]
            prefix = f"{label}{SEP}{m:03d}{SEP}"
            found.update(islice(self.keys.iterkeys(prefix + key[:head]), MAX_CANDIDATES))
            reversed_keys = islice(self.rkeys.iterkeys(prefix + tail[::-1]), MAX_CANDIDATES)
            found.update(prefix + k[len(prefix) :][::-1] for k in reversed_keys)
        out: dict[str, Hit] = {}
        for k in found:
            hit = self.normalised(label, k.rsplit(SEP, 1)[1])
            if hit is not None:
                out[k.rsplit(SEP, 1)[1]] = hit
        return out


Row = tuple[str, str, str, bytes]  # folded name, label, name key, payload


def _rows(entries: Iterable[Any]) -> Iterator[Row]:
    """The index's rows of registry entries (nlp Entry records), in the order read."""
    for i, e in enumerate(entries):
        text = str(e.text).strip()
        if not text or len(text) > MAX_NAME or e.node is None:
            continue
        payload = _payload(rank_of(e.kind, 1, i), e.label, e.node, e.kind, e.node_label)
        yield fold(text), e.label, name_key(text), payload


def _tries(
    rows: Callable[[], Iterator[Row]],
) -> tuple[marisa_trie.BytesTrie, marisa_trie.BytesTrie, marisa_trie.Trie]:
    """Each trie from one pass over ``rows`` (streamed into marisa's own key set)."""
    names = marisa_trie.BytesTrie((name, p) for name, _, _, p in rows())
    keys = marisa_trie.BytesTrie((_key(label, k), p) for _, label, k, p in rows() if k)
    rkeys = marisa_trie.Trie(_key(label, k[::-1]) for _, label, k, _ in rows() if k)
    return names, keys, rkeys


def build_index(entries: Iterable[Any], directory: Path, version: str) -> IndexInfo:
    """Build the index of ``entries`` into ``directory`` (replaced whole, never half
    written): the entries are streamed once into a scratch file, then each trie is built
    from one pass over it, so memory holds the tries' key sets, not the entries."""
    tmp = directory.with_name(directory.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    scratch = tmp / "rows.tsv"
    count, width = 0, 0
    with scratch.open("w", encoding="utf-8") as f:
        for name, label, key, payload in _rows(entries):
            clean = [s.replace("\n", " ").replace("\t", " ") for s in (name, label, key)]
            f.write("\t".join([*clean, payload.hex()]) + "\n")
            count, width = count + 1, max(width, len(name))

    def rows() -> Iterator[Row]:
        with scratch.open(encoding="utf-8") as f:
            for line in f:
                name, label, key, payload = line.rstrip("\n").split("\t")
                yield name, label, key, bytes.fromhex(payload)

    names, keys, rkeys = _tries(rows)
    names.save(str(tmp / NAMES))
    keys.save(str(tmp / KEYS))
    rkeys.save(str(tmp / RKEYS))
    scratch.unlink()
    info = IndexInfo(version, count, width)
    (tmp / MANIFEST).write_text(json.dumps(asdict(info)), encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    tmp.replace(directory)
    return info
