"""The resolver's memory: every organisation it knows and the indexes that find one, kept in
a private temporary SQLite database so the client's memory does not grow with the registry.

A national registry has a million organisations; as Python objects (a record with sets of
names, three dict entries each) they took about 1.2 KB apiece, most of a 1M-firm load's
client memory. Here an organisation is one row (its fields as JSON) and each name one index
row; only the organisations used lately stay in memory (``cache`` of them, written back when
they leave). The names for similarity search are read into memory (and indexed,
:mod:`loaders.similar_names`) only when a mention without a USCC first needs them (a list
of all USCC-keyed rows never does).

The database is SQLite's private temporary one (an empty file name): on disk beyond its
page cache, deleted when closed. Lookups keep the dict semantics the resolver had: the
first organisation to claim a name keeps it (``INSERT OR IGNORE``), names in insertion
order (the order similarity ties are broken in).
"""

from __future__ import annotations

import sqlite3
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Literal

import orjson

from loaders.records import OrgKind
from loaders.similar_names import SimilarNames

__all__ = ["Index", "KnownOrg", "OrgStore"]


@dataclass(slots=True)
class KnownOrg:
    id: str
    name: str
    kind: OrgKind
    uscc: str | None = None
    names: set[str] = field(default_factory=set)  # every name it has been listed under
    former_names: set[str] = field(default_factory=set)
    name_en: str | None = None
    # As the graph already has them: kept so that a later source does not flip them.
    region: str | None = None
    synthetic: bool | None = None


Index = Literal["uscc", "name", "key"]
# the statements of each index (an index is a table)
_FIND: dict[Index, str] = {
    "uscc": "SELECT id FROM uscc WHERE k = ?",
    "name": "SELECT id FROM name WHERE k = ?",
    "key": "SELECT id FROM key WHERE k = ?",
}
_CLAIM: dict[Index, str] = {
    "uscc": "INSERT OR IGNORE INTO uscc VALUES (?, ?)",
    "name": "INSERT OR IGNORE INTO name VALUES (?, ?)",
    "key": "INSERT OR IGNORE INTO key (k, id) VALUES (?, ?)",
}
_BULK = 5000  # known organisations registered per executemany


def _row(org: KnownOrg) -> tuple[str, bytes]:
    data = [
        org.name,
        org.kind.value,
        org.uscc,
        sorted(org.names),
        sorted(org.former_names),
        org.name_en,
        org.region,
        org.synthetic,
    ]
    return org.id, orjson.dumps(data)


class OrgStore(Mapping[str, KnownOrg]):
    """Organisations by id (a read-only mapping; :meth:`put` stores one) and their names by
    index: ``uscc``, ``name`` (the cleaned name) and ``key`` (the normalised name)."""

    def __init__(self, cache: int = 20_000) -> None:
        if cache < 1:
            raise ValueError(f"cache={cache}: keep at least one organisation in memory")
        self._db = sqlite3.connect("")
        # nothing to recover after a crash: the load starts again from the graph
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-32768; "
            "CREATE TABLE org (id TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID; "
            "CREATE TABLE uscc (k TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID; "
            "CREATE TABLE name (k TEXT PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID; "
            # rowid order is insertion order: the order names are compared in
            "CREATE TABLE key (k TEXT NOT NULL UNIQUE, id TEXT NOT NULL);"
        )
        self._finalizer = weakref.finalize(self, self._db.close)
        self._cache_size = cache
        self._cache: OrderedDict[str, KnownOrg] = OrderedDict()
        self._dirty: set[str] = set()
        self._count = 0
        # every normalised name, indexed for similarity once a mention without a USCC asks
        self._similar: SimilarNames | None = None

    # -- organisations ---------------------------------------------------------------------

    def __getitem__(self, ident: str) -> KnownOrg:
        org = self._cache.get(ident)
        if org is not None:
            self._cache.move_to_end(ident)
            return org
        row = self._db.execute("SELECT data FROM org WHERE id = ?", (ident,)).fetchone()
        if row is None:
            raise KeyError(ident)
        org = _org(ident, row[0])
        self._keep(org)
        return org

    def __contains__(self, ident: object) -> bool:
        if ident in self._cache:
            return True
        found = self._db.execute("SELECT 1 FROM org WHERE id = ?", (ident,)).fetchone()
        return found is not None

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        self._flush()
        for (ident,) in self._db.execute("SELECT id FROM org ORDER BY id"):
            yield ident

    def add(self, org: KnownOrg) -> None:
        """A new organisation (its id not stored yet)."""
        self._count += 1
        self.put(org)

    def put(self, org: KnownOrg) -> None:
        """``org`` as it is now (after a change): written back when it leaves the cache."""
        self._dirty.add(org.id)
        self._keep(org)

    def add_many(self, orgs: Iterable[KnownOrg]) -> Iterator[KnownOrg]:
        """Known organisations stored in bulk (not cached); each yielded once stored, for its
        names to be indexed."""
        it = iter(orgs)
        while chunk := list(islice(it, _BULK)):
            self._db.executemany("INSERT INTO org VALUES (?, ?)", map(_row, chunk))
            self._count += len(chunk)
            yield from chunk

    def _keep(self, org: KnownOrg) -> None:
        self._cache[org.id] = org
        self._cache.move_to_end(org.id)
        while len(self._cache) > self._cache_size:
            ident, old = self._cache.popitem(last=False)
            if ident in self._dirty:
                self._dirty.discard(ident)
                self._db.execute("INSERT OR REPLACE INTO org VALUES (?, ?)", _row(old))

    def _flush(self) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO org VALUES (?, ?)",
            (_row(self._cache[i]) for i in self._dirty),
        )
        self._dirty.clear()

    # -- names -----------------------------------------------------------------------------

    def find(self, index: Index, k: str) -> str | None:
        """The organisation that claimed ``k`` first in ``index``."""
        row = self._db.execute(_FIND[index], (k,)).fetchone()
        return None if row is None else str(row[0])

    def claim(self, index: Index, k: str, ident: str) -> None:
        """``k`` names ``ident`` in ``index``, unless an organisation claimed it before."""
        cur = self._db.execute(_CLAIM[index], (k, ident))
        if index == "key" and cur.rowcount and self._similar is not None:
            self._similar.add(k)

    def claim_many(self, index: Index, pairs: Iterable[tuple[str, str]]) -> None:
        """:meth:`claim` for each ``(k, ident)`` in order."""
        if index == "key" and self._similar is not None:
            for k, ident in pairs:
                self.claim(index, k, ident)
            return
        self._db.executemany(_CLAIM[index], pairs)

    def most_similar(self, k: str, cutoff: float) -> tuple[str, float] | None:
        """The normalised name most similar to ``k`` (``fuzz.ratio`` >= ``cutoff``; ties go
        to the one claimed first), with its score."""
        if self._similar is None or self._similar.cutoff != cutoff:
            keys = (key for (key,) in self._db.execute("SELECT k FROM key ORDER BY rowid"))
            self._similar = SimilarNames(keys, cutoff)
        return self._similar.best(k)

    def has_keys(self) -> bool:
        return self._db.execute("SELECT 1 FROM key LIMIT 1").fetchone() is not None


def _org(ident: str, data: bytes) -> KnownOrg:
    name, kind, uscc, names, former, name_en, region, synthetic = orjson.loads(data)
    return KnownOrg(
        ident, name, OrgKind(kind), uscc, set(names), set(former), name_en, region, synthetic
    )
