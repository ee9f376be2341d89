"""The demo's firms: unique, plausible names and valid, unique USCCs, kept compactly (a few
bytes of codes per firm plus its USCC) so that a million firms fit in memory.

A name is 前缀 + two trade-name cores + the field's industry word + a legal form, such as
陕西华晟秦创光伏科技有限公司. The district demo (up to :data:`DISTRICT_MAX_FIRMS` firms) draws
from the original 49 cores exactly as it always has, so its files do not change; a larger
demo adds two-character cores made of :data:`~loaders.demo_names.TRADE_CHARS` until the
space holds :data:`NAMES_PER_FIRM` *stems* (the name without its legal form) per firm,
and never gives two firms the same stem: no two firms differ by their legal form only, so a
list that drops the form (有限公司) still names one firm, and a former name (the same stem
with another form) is never another firm's name.
"""

from __future__ import annotations

import hashlib
import math
import random
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import overload

from loaders.demo_names import (
    CITIES,
    CORES,
    FIELDS,
    FORMS,
    FORMS_EN,
    INDUSTRY_EN,
    PINYIN,
    PREFIXES,
    TRADE_CHARS,
)
from loaders.uscc import USCC_CHARS, check_char

__all__ = [
    "DISTRICT_MAX_FIRMS",
    "NAMES_PER_FIRM",
    "Firm",
    "FirmTable",
    "NameSpace",
    "extra_cores",
    "new_uscc",
]

NAMES_PER_FIRM = 100
# The original space: 5 prefixes x 49 x 49 cores x 12 fields x 5 forms = 720,300 names.
DISTRICT_MAX_FIRMS = len(PREFIXES) * len(CORES) ** 2 * len(FIELDS) * len(FORMS) // NAMES_PER_FIRM
_FIELD_INDEX = {f: i for i, f in enumerate(FIELDS)}


@dataclass(frozen=True, slots=True)
class Firm:
    name: str
    uscc: str
    city: str
    field: str
    name_en: str = ""
    former_name: str = ""


@cache
def extra_cores() -> tuple[tuple[str, str], ...]:
    """Every two-character core of TRADE_CHARS (core, pinyin) whose pinyin no original core
    has, in a fixed shuffled order (so that the first ones are not all 泰-something)."""
    taken = {PINYIN[c] for c in CORES}
    cores = [
        (a + b, (pa + pb).capitalize())
        for a, pa in TRADE_CHARS.items()
        for b, pb in TRADE_CHARS.items()
        if a != b and a + b not in CORES and (pa + pb).capitalize() not in taken
    ]
    random.Random(0).shuffle(cores)
    return tuple(cores)


@dataclass(frozen=True, slots=True)
class NameSpace:
    """The cores a demo of some size draws from, and whether stems must be unique."""

    cores: tuple[str, ...]
    pinyin: Mapping[str, str]  # prefixes and cores
    unique_stems: bool

    @classmethod
    def for_firms(cls, n: int) -> NameSpace:
        if n <= DISTRICT_MAX_FIRMS:
            return cls(CORES, PINYIN, unique_stems=False)
        stems_per_core_pair = len(PREFIXES) * len(FIELDS)
        wanted = math.isqrt(-(-NAMES_PER_FIRM * n // stems_per_core_pair)) + 1
        extra = extra_cores()[: max(0, wanted - len(CORES))]
        if len(CORES) + len(extra) < wanted:
            raise ValueError(
                f"{n:,} firms need {wanted:,} name cores, the demo has "
                f"{len(CORES) + len(extra_cores()):,}"
            )
        return cls(CORES + tuple(c for c, _ in extra), {**PINYIN, **dict(extra)}, True)

    @property
    def names(self) -> int:
        """How many different names (stems when they must be unique) the space holds."""
        n = len(PREFIXES) * len(self.cores) ** 2 * len(FIELDS)
        return n if self.unique_stems else n * len(FORMS)


def new_uscc(rng: random.Random, seen: set[str]) -> str:
    """A valid USCC (GB 32100-2015 check character) of a Shaanxi firm, not in ``seen``; it
    is added to it. Drawn as the demo always drew them, again only on a (rare) repeat."""
    while True:
        body = (
            "91"
            + "6111"
            + f"{rng.randrange(100):02d}"
            + "".join(rng.choice(USCC_CHARS) for _ in range(9))
        )
        code = body + check_char(body)
        if code not in seen:
            seen.add(code)
            return code


class FirmTable(Sequence[Firm]):
    """The firms in the order drawn, each stored as one integer code of its name's parts,
    its city and its USCC; :class:`Firm` values are made on access."""

    def __init__(self, space: NameSpace) -> None:
        self.space = space
        self.usccs: set[str] = set()
        self._codes = array("Q")
        self._cities = array("B")
        self._usccs: list[str] = []
        self._seen = bytearray(space.names // 8 + 1)
        self._by_field: dict[str, array[int]] | None = None
        self._core = {c: i for i, c in enumerate(space.cores)}

    @classmethod
    def draw(cls, rng: random.Random, n: int) -> FirmTable:
        """``n`` firms from the one random stream (in the order and with the draws the
        district demo has always made)."""
        table = cls(NameSpace.for_firms(n))
        cores = table.space.cores
        while len(table) < n:
            field = rng.choice(FIELDS)
            prefix, core1, core2, form = (
                rng.choice(PREFIXES),
                rng.choice(cores),
                rng.choice(cores),
                rng.choice(FORMS),
            )
            if table._claim((prefix, core1, core2, field, form)):
                table._usccs.append(new_uscc(rng, table.usccs))
                table._cities.append(CITIES.index(rng.choice(CITIES)))
        return table

    def _claim(self, parts: tuple[str, str, str, tuple[str, str], str]) -> bool:
        prefix, core1, core2, field, form = parts
        c = len(self.space.cores)
        trade = (PREFIXES.index(prefix) * c + self._core[core1]) * c + self._core[core2]
        stem = trade * len(FIELDS) + _FIELD_INDEX[field]
        code = stem * len(FORMS) + FORMS.index(form)
        key = stem if self.space.unique_stems else code
        if self._seen[key >> 3] & (1 << (key & 7)):
            return False
        self._seen[key >> 3] |= 1 << (key & 7)
        self._codes.append(code)
        return True

    def __len__(self) -> int:
        return len(self._codes)

    @overload
    def __getitem__(self, i: int) -> Firm: ...
    @overload
    def __getitem__(self, i: slice) -> list[Firm]: ...
    def __getitem__(self, i: int | slice) -> Firm | list[Firm]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        code = self._codes[i]
        code, form = divmod(code, len(FORMS))
        code, field = divmod(code, len(FIELDS))
        c = len(self.space.cores)
        code, core2 = divmod(code, c)
        prefix, core1 = divmod(code, c)
        return self._firm(
            i, (PREFIXES[prefix], self.space.cores[core1], self.space.cores[core2]), field, form
        )

    def _firm(self, i: int, trade: tuple[str, str, str], field: int, form: int) -> Firm:
        prefix, core1, core2 = trade
        text, word = FIELDS[field]
        name = f"{prefix}{core1}{core2}{word}{FORMS[form]}"
        english, former = _names(self.space.pinyin, trade, word, FORMS[form])
        return Firm(name, self._usccs[i], CITIES[self._cities[i]], text, english, former)

    def __iter__(self) -> Iterator[Firm]:
        return (self[i] for i in range(len(self)))

    def of_field(self, field: str) -> Sequence[Firm]:
        """The firms of one field, in table order (what ``[f for f in firms if f.field ==
        field]`` gives, without a pass over every firm each time)."""
        if self._by_field is None:
            by_field: dict[str, array[int]] = {f: array("L") for f, _ in FIELDS}
            for i, code in enumerate(self._codes):
                by_field[FIELDS[code // len(FORMS) % len(FIELDS)][0]].append(i)
            self._by_field = by_field
        return _Subset(self, self._by_field.get(field, array("L")))


def _names(
    pinyin: Mapping[str, str], trade: tuple[str, str, str], word: str, form: str
) -> tuple[str, str]:
    """An English name for about a third of the firms, and a former name (a change of legal
    form, as after a restructuring) for about one in twelve; chosen by the name's own hash so
    the random stream, and so every other demo value, stays as it was."""
    prefix, core1, core2 = trade
    name = f"{prefix}{core1}{core2}{word}{form}"
    h = int(hashlib.blake2b(name.encode(), digest_size=4).hexdigest(), 16)
    trade_en = pinyin[core1] + pinyin[core2].lower()
    english = (
        f"{pinyin[prefix]} {trade_en} {INDUSTRY_EN[word]} {FORMS_EN[form]}" if h % 3 == 0 else ""
    )
    former = (
        f"{prefix}{core1}{core2}{word}{FORMS[(FORMS.index(form) + 1) % len(FORMS)]}"
        if h % 12 == 5
        else ""
    )
    return english, former


class _Subset(Sequence[Firm]):
    def __init__(self, table: FirmTable, rows: array[int]) -> None:
        self._table = table
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Firm: ...
    @overload
    def __getitem__(self, i: slice) -> list[Firm]: ...
    def __getitem__(self, i: int | slice) -> Firm | list[Firm]:
        if isinstance(i, slice):
            return [self._table[j] for j in self._rows[i]]
        return self._table[self._rows[i]]
