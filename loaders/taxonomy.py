"""The technology taxonomy and the areas, seeded from data files shipped with the package."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from loaders.normalize import clean_text
from loaders.provenance import Provenance
from loaders.records import AreaRecord, TechnologyRecord

__all__ = ["TaxonomyMatcher", "seed_areas", "seed_technologies"]

SEED_SOURCE = "seed:taxonomy"


def _jsonl(name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    text = resources.files("loaders").joinpath("data", name).read_text(encoding="utf-8")
    for i, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield i, json.loads(line)


def seed_technologies() -> list[TechnologyRecord]:
    """The plan's technologies (``in_plan``) and their broader terms."""
    return [
        TechnologyRecord(
            id=d["id"],
            name_zh=d["name_zh"],
            name_en=d["name_en"],
            aliases=tuple(d.get("aliases", ())),
            broader=tuple(d.get("broader", ())),
            in_plan=bool(d.get("in_plan")),
            prov=Provenance(SEED_SOURCE, "loader:taxonomy", row=i),
        )
        for i, d in _jsonl("technologies.jsonl")
    ]


def seed_areas() -> list[AreaRecord]:
    """Xixian New Area and its five new cities."""
    return [
        AreaRecord(
            id=d["id"],
            name_zh=d["name_zh"],
            name_en=d["name_en"],
            kind=d.get("kind", "new_city"),
            parent=d.get("parent"),
            aliases=tuple(d.get("aliases", ())),
            prov=Provenance(SEED_SOURCE, "loader:taxonomy", row=i),
        )
        for i, d in _jsonl("areas.jsonl")
    ]


@dataclass(frozen=True, slots=True)
class TaxonomyMatcher:
    """Finds technology and area ids named in free text (longest names first)."""

    technologies: tuple[tuple[str, str], ...]  # (lower-cased name, id)
    areas: tuple[tuple[str, str], ...]

    @classmethod
    def build(
        cls, technologies: Iterable[TechnologyRecord], areas: Iterable[AreaRecord]
    ) -> TaxonomyMatcher:
        def pairs(items: Iterable[tuple[str, Iterable[str]]]) -> tuple[tuple[str, str], ...]:
            out = {(clean_text(n).lower(), i) for i, names in items for n in names if n}
            return tuple(sorted(out, key=lambda p: (-len(p[0]), p)))

        return cls(
            pairs((t.id, (t.name_zh, t.name_en, *t.aliases)) for t in technologies),
            pairs((a.id, (a.name_zh, a.name_en, *a.aliases)) for a in areas),
        )

    @classmethod
    def default(cls) -> TaxonomyMatcher:
        return cls.build(seed_technologies(), seed_areas())

    @staticmethod
    def _find(pairs: tuple[tuple[str, str], ...], text: str) -> tuple[str, ...]:
        rest = clean_text(text).lower()
        found: list[str] = []
        for name, ident in pairs:
            if name in rest:
                rest = rest.replace(name, " ")  # a longer name claims its text first
                if ident not in found:
                    found.append(ident)
        return tuple(found)

    def technologies_in(self, text: str | None) -> tuple[str, ...]:
        return self._find(self.technologies, text) if text else ()

    def area_in(self, text: str | None) -> str | None:
        """The most specific area named in ``text`` (a new city over the whole district)."""
        if not text:
            return None
        found = self._find(self.areas, text)
        cities = [a for a in found if a != "xixian"]
        return cities[0] if cities else (found[0] if found else None)
