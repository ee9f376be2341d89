"""Counts maintained at write time: how many organisations hold a valid recognition of a
group of kinds on any day, per area and technology, without visiting every recognition.

The design (issue 14.4):

- An organisation's **contribution** is, per *group* of recognition kinds (each kind, each
  kind at each level, each year of each kind, the vocabulary's coverage columns and counted
  indicators, and any kind at all), the union of the validity windows of its recognitions
  in that group. A merged entry contributes nothing: its root holds its recognitions.
- A contribution falls in a **bucket**: the group, the set of areas the organisation is
  located in, and (for the groups technology questions ask) the set of technologies it
  works on. Every organisation is in one bucket per group, so adding buckets never counts
  one twice; a question about an area (or technology) subtree adds the buckets whose set
  meets it.
- A bucket's windows are kept as **deltas**: +1 on the first valid day, -1 the day after
  the last, each in three cells (its year, its month and its day), so a count on day D is
  the sum of the year cells before D's year, the month cells of D's year before D's month
  and the day cells of D's month up to D: at most ~50 index reads per bucket, whatever the
  registry's size.
- Each write that changes what a contribution depends on (a recognition, HOLDS,
  LOCATED_IN, WORKS_ON, a merge) recomputes the contribution of the organisations it
  touched **in the same transaction** and applies the difference, so the cells cannot
  drift; :func:`graph.tallies.expected_cells` recomputes them from scratch for the test
  that compares both.

The ledger's renewal outlook (graph.reads.renewals) reads four more families of groups,
kept for each counted indicator's set of kinds ``G`` (area buckets only):

- ``o:first:G``: from an organisation's first start on, open: how many had begun by a day
  (the entrants of a period are the difference of two days);
- ``o:last:G:Y``: its union of windows, under the year ``Y`` its last certificate ends
  (``open`` if one has no end): holders on a day whose every certificate ends by 31
  December of a year are the sum of those groups up to that year;
- ``o:ended:G`` and ``o:renewed:G``: one window per certificate from the day after its end
  on (renewed: followed by a new one starting within :data:`RENEWAL_GRACE_DAYS`): how many
  certificates had ended by a day, so those of a period are again a difference. These
  count certificates, not organisations (two of one holder ending on the same day count
  once).

This module is pure (no database): groups, contributions, and the cell rows a change adds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from loaders.vocabulary import vocabulary

__all__ = [
    "ANY",
    "NO_TECH",
    "OUTLOOK_GROUPS",
    "RENEWAL_GRACE_DAYS",
    "SET_GROUPS",
    "STANDARDS",
    "Held",
    "bucket_key",
    "cell_rows",
    "contribution",
    "group_for",
    "has_tech_dimension",
    "kind_group",
    "level_group",
    "outlook_group",
    "standard_contribution",
    "year_group",
]

ANY = "*"  # the group of every recognition kind
NO_TECH = "~"  # a bucket without the technology dimension
_OPEN = date.max  # an open end
RENEWAL_GRACE_DAYS = 365  # a new certificate within a year of the old one's end renews it
# Group standards in force (coverage's standards column): one bucket per set of technologies
# a standard covers, no areas (coverage counts a standard wherever it was drafted).
STANDARDS = "std"
_REPEALED = "废止"  # a status that takes a standard out of force whatever its dates


@dataclass(frozen=True, slots=True)
class Held:
    """One recognition as a contribution reads it."""

    kind: str
    level: str | None
    valid_from: date | None
    valid_to: date | None
    year: int | None = None


def kind_group(kind: str) -> str:
    return f"k:{kind}"


def level_group(kind: str, level: str | None) -> str:
    return f"l:{kind}/{level or ''}"


def year_group(kind: str | None, year: int | None) -> str:
    """Recognitions of a year (``kind`` None: of any kind); a year not stated is ''."""
    return f"y:{kind or ANY}:{'' if year is None else year}"


def _all_levels() -> frozenset[str]:
    return frozenset(vocabulary().keys("levels"))


def group_for(kinds: Iterable[str] | None, levels: Iterable[str] | None = None) -> str:
    """The group counting organisations with a recognition of one of ``kinds`` (None: any)
    at one of ``levels`` (None or every level: any level)."""
    ks = sorted(set(kinds)) if kinds is not None else None
    ls = sorted(set(levels)) if levels else None
    if ls is not None and frozenset(ls) >= _all_levels():
        ls = None
    if ks is None:
        return ANY if ls is None else "s:*@" + ",".join(ls)
    if ls is None and len(ks) == 1:
        return kind_group(ks[0])
    return "s:" + ",".join(ks) + ("@" + ",".join(ls) if ls else "")


def _set_groups() -> dict[str, tuple[frozenset[str], frozenset[str] | None]]:
    """The vocabulary's sets of kinds (coverage columns, counted indicators) as groups."""
    v = vocabulary()
    sets: list[tuple[Sequence[str], Sequence[str]]] = [
        (c.recognitions, ()) for c in v.coverage_columns.values() if c.recognitions
    ] + [(i.recognitions, i.levels) for i in v.counted_indicators.values() if i.recognitions]
    out: dict[str, tuple[frozenset[str], frozenset[str] | None]] = {}
    for kinds, levels in sets:
        key = group_for(kinds, levels)
        if key.startswith("s:"):
            lv = frozenset(levels) if levels and frozenset(levels) < _all_levels() else None
            out[key] = (frozenset(kinds), lv)
    return out


SET_GROUPS = _set_groups()
# Groups also kept per technology set: what coverage, counts by technology and a list total
# filtered by technology ask (any kind, each kind, the vocabulary's sets).
_TECH_SETS = frozenset({ANY, *SET_GROUPS})


def _outlook_groups() -> dict[str, tuple[frozenset[str], frozenset[str] | None]]:
    """The counted indicators' sets of kinds (and levels), by group key."""
    out: dict[str, tuple[frozenset[str], frozenset[str] | None]] = {}
    for i in vocabulary().counted_indicators.values():
        if i.recognitions:
            levels = frozenset(i.levels) if i.levels else None
            if levels is not None and levels >= _all_levels():
                levels = None
            out[group_for(i.recognitions, i.levels)] = (frozenset(i.recognitions), levels)
    return out


OUTLOOK_GROUPS = _outlook_groups()


def outlook_group(part: str, group: str, year: int | None = None) -> str:
    """``o:first:G``, ``o:ended:G``, ``o:renewed:G`` or ``o:last:G:Y`` (see the module)."""
    if part == "last":
        return f"o:last:{group}:{'open' if year is None else year}"
    return f"o:{part}:{group}"


def _window(h: Held) -> tuple[date, date] | None:
    """The days a recognition is valid on, or None if none (valid_on needs a start)."""
    if h.valid_from is None or (h.valid_to is not None and h.valid_to < h.valid_from):
        return None
    return (h.valid_from, h.valid_to or _OPEN)


def _outlook_windows(held: Sequence[Held]) -> dict[str, list[tuple[date, date]]]:
    """The outlook families' windows (see the module), as the ledger's scan reads them."""
    out: dict[str, list[tuple[date, date]]] = {}
    grace = timedelta(days=RENEWAL_GRACE_DAYS)
    for g, (kinds, levels) in OUTLOOK_GROUPS.items():
        rs = [h for h in held if h.kind in kinds and (levels is None or h.level in levels)]
        if not rs:
            continue
        starts = [h.valid_from for h in rs if h.valid_from is not None]
        if starts:
            out[outlook_group("first", g)] = [(min(starts), _OPEN)]
        ends = [h.valid_to for h in rs]
        last = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
        valid = [w for h in rs if (w := _window(h)) is not None]
        if valid:
            out[outlook_group("last", g, None if last is None else last.year)] = valid
        for x in rs:
            if x.valid_to is None:
                continue
            after = (_next_day(x.valid_to), _OPEN)
            out.setdefault(outlook_group("ended", g), []).append(after)
            if x.valid_from is not None and any(
                y.valid_from is not None and x.valid_from < y.valid_from <= x.valid_to + grace
                for y in rs
            ):
                out.setdefault(outlook_group("renewed", g), []).append(after)
    return out


def _counts_each(group: str) -> bool:
    """Whether a group's windows count one each (certificates), not as their union."""
    return group.startswith(("o:ended:", "o:renewed:"))


def has_tech_dimension(group: str) -> bool:
    """Whether ``group`` is kept per technology set as well as per area set."""
    return group in _TECH_SETS or group.startswith("k:")


def _groups_of(h: Held) -> list[str]:
    out = [
        ANY,
        kind_group(h.kind),
        level_group(h.kind, h.level),
        year_group(None, h.year),
        year_group(h.kind, h.year),
    ]
    out += [
        key
        for key, (kinds, levels) in SET_GROUPS.items()
        if h.kind in kinds and (levels is None or h.level in levels)
    ]
    return out


def bucket_key(group: str, areas: Sequence[str], techs: Sequence[str] | None) -> str:
    """``group#areas#techs`` (sorted, comma-joined; ``~`` for no technology dimension)."""
    t = NO_TECH if techs is None else ",".join(sorted(techs))
    return f"{group}#{','.join(sorted(areas))}#{t}"


def _next_day(day: date) -> date:
    return day if day == _OPEN else day + timedelta(days=1)


def _union(windows: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping or adjoining windows as one (a renewal the day after counts on)."""
    out: list[tuple[date, date]] = []
    for start, end in sorted(windows):
        if out and start <= _next_day(out[-1][1]):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def contribution(held: Iterable[Held], areas: Sequence[str], techs: Sequence[str]) -> list[str]:
    """The organisation's windows per bucket, as sorted ``bucket|from|to`` strings (``to``
    empty when open): what it adds to the counts."""
    rows = list(held)
    by_group: dict[str, list[tuple[date, date]]] = {}
    for h in rows:
        window = _window(h)
        if window is None:
            continue
        for g in _groups_of(h):
            by_group.setdefault(g, []).append(window)
    by_group |= _outlook_windows(rows)
    out: list[str] = []
    for g, windows in by_group.items():
        buckets = [bucket_key(g, areas, None)]
        if has_tech_dimension(g):
            buckets.append(bucket_key(g, areas, techs))
        for start, end in sorted(set(windows)) if _counts_each(g) else _union(windows):
            to = "" if end == _OPEN else end.isoformat()
            out += [f"{b}|{start.isoformat()}|{to}" for b in buckets]
    return sorted(out)


def _deltas(entries: Iterable[str], sign: int, into: Counter[tuple[str, date]]) -> None:
    for e in entries:
        bucket, start, end = e.rsplit("|", 2)
        into[(bucket, date.fromisoformat(start))] += sign
        if end:
            into[(bucket, date.fromisoformat(end) + timedelta(days=1))] -= sign


def cell_rows(
    old: Mapping[str, Sequence[str]], new: Mapping[str, Sequence[str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What a change of contributions (organisation id -> entries, before and after) adds:
    the cell rows (``id``, ``cell``, ``day``, ``n``; sorted by id, so two transactions take
    the cells' locks in the same order) and the buckets they fall in, each with the change
    of its number of organisations."""
    deltas: Counter[tuple[str, date]] = Counter()
    members: Counter[str] = Counter()  # organisations entering (+) or leaving (-) a bucket
    for org in set(old) | set(new):
        before, after = set(old.get(org, ())), set(new.get(org, ()))
        _deltas(before - after, -1, deltas)
        _deltas(after - before, +1, deltas)
        was = {e.rsplit("|", 2)[0] for e in before}
        now = {e.rsplit("|", 2)[0] for e in after}
        members.update(dict.fromkeys(now - was, 1))
        members.subtract(dict.fromkeys(was - now, 1))
    cells: Counter[tuple[str, date]] = Counter()
    for (bucket, day), n in deltas.items():
        if n:
            cells[(f"{bucket}|Y", date(day.year, 1, 1))] += n
            cells[(f"{bucket}|M", date(day.year, day.month, 1))] += n
            cells[(f"{bucket}|D", day)] += n
    rows = sorted(
        (
            {"id": f"{cell}|{day.isoformat()}", "cell": cell, "day": day, "n": n}
            for (cell, day), n in cells.items()
            if n
        ),
        key=lambda r: str(r["id"]),
    )
    buckets = sorted({str(r["cell"])[:-2] for r in rows} | {b for b, n in members.items() if n})
    return rows, [_bucket_row(b, members[b]) for b in buckets]


def _bucket_row(key: str, members: int) -> dict[str, Any]:
    """A bucket and the change of how many organisations fall in it (at 0 it is removed)."""
    group, areas, techs = key.split("#")
    return {
        "key": key,
        "members": members,
        "group": group,
        "areas": [a for a in areas.split(",") if a],
        "techs": None if techs == NO_TECH else [t for t in techs.split(",") if t],
    }


def standard_contribution(
    published_on: date | None, abolished_on: date | None, status: str | None, techs: Sequence[str]
) -> list[str]:
    """A group standard's window in force, as :func:`contribution` writes one: from its
    publication (unknown: always) to the day before its abolition, none if it is repealed;
    the days ``graph.predicates.in_force`` is true on."""
    if status == _REPEALED:
        return []
    start = published_on or date.min
    if abolished_on is not None and abolished_on <= start:
        return []
    end = _OPEN if abolished_on is None else abolished_on - timedelta(days=1)
    to = "" if end == _OPEN else end.isoformat()
    return [f"{bucket_key(STANDARDS, (), techs)}|{start.isoformat()}|{to}"]
