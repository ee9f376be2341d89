"""The registry's closed vocabulary, defined once in ``data/vocabulary.json``.

Organisation kinds and statuses, recognition kinds and levels, membership roles, standard
statuses, the ledger's indicators (which the registry counts, and from what) and the
coverage matrix's columns, each with its Chinese and English label. The loaders, the
extractor, the Cypher builders, the API and the dashboard (served by the API) all read it
from here, so a new kind is added in one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "CoverageColumn",
    "Indicator",
    "Term",
    "Vocabulary",
    "vocabulary",
]

# The sections of plain terms (key -> labels); indicators and coverage columns have more.
TERM_SECTIONS = (
    "organization_kinds",
    "organization_statuses",
    "recognition_kinds",
    "levels",
    "membership_roles",
    "standard_statuses",
)


@dataclass(frozen=True, slots=True)
class Term:
    key: str
    zh: str
    en: str
    # how a sentence names it (a recognition: "a national high-tech enterprise"); else the label
    phrase_zh: str
    phrase_en: str

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def phrase(self, lang: str) -> str:
        return self.phrase_zh if lang == "zh" else self.phrase_en


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    zh: str
    en: str
    unit: str
    words: tuple[str, ...]
    # counted from the registry: recognitions of these kinds, or consortia; at these levels
    recognitions: tuple[str, ...] = ()
    consortia: bool = False
    levels: tuple[str, ...] = ()

    @property
    def countable(self) -> bool:
        return bool(self.recognitions) or self.consortia


@dataclass(frozen=True, slots=True)
class CoverageColumn:
    key: str
    zh: str
    en: str
    list: str  # the connection field that lists what a cell counts
    recognitions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    terms: dict[str, dict[str, Term]]
    recognition_groups: dict[str, tuple[str, ...]]
    indicators: dict[str, Indicator]
    indicator_match_order: tuple[str, ...]
    coverage_columns: dict[str, CoverageColumn]

    def keys(self, section: str) -> tuple[str, ...]:
        """The keys of one section of terms (``recognition_kinds``, ``levels``, ...)."""
        return tuple(self.terms[section])

    @property
    def counted_indicators(self) -> dict[str, Indicator]:
        return {k: i for k, i in self.indicators.items() if i.countable}

    def as_dict(self) -> dict[str, Any]:
        """Everything with its labels, for the dashboard (served by the API)."""
        out: dict[str, Any] = {
            section: [
                {
                    "key": t.key,
                    "zh": t.zh,
                    "en": t.en,
                    "phraseZh": t.phrase_zh,
                    "phraseEn": t.phrase_en,
                }
                for t in terms.values()
            ]
            for section, terms in self.terms.items()
        }
        out["indicators"] = [
            {"key": i.key, "zh": i.zh, "en": i.en, "unit": i.unit, "countable": i.countable}
            for i in self.indicators.values()
        ]
        out["coverage_columns"] = [
            {
                "key": c.key,
                "zh": c.zh,
                "en": c.en,
                "list": c.list,
                "recognitions": list(c.recognitions),
            }
            for c in self.coverage_columns.values()
        ]
        return out


def _group(value: Any, groups: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A list of recognition kinds, or the name of a group of them."""
    if isinstance(value, str):
        return groups[value]
    return tuple(value or ())


def _term(key: str, raw: dict[str, Any]) -> Term:
    zh, en = raw["label"]
    phrase_zh, phrase_en = raw.get("phrase", raw["label"])
    return Term(key, zh, en, phrase_zh, phrase_en)


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, read once from the package's data."""
    text = resources.files("loaders").joinpath("data", "vocabulary.json").read_text("utf-8")
    raw = json.loads(text)
    groups = {k: tuple(v) for k, v in raw["recognition_groups"].items()}
    terms = {s: {k: _term(k, v) for k, v in raw[s].items()} for s in TERM_SECTIONS}
    indicators = {
        key: Indicator(
            key,
            v["label"][0],
            v["label"][1],
            unit=v["unit"],
            words=tuple(v["words"]),
            recognitions=_group(v.get("counted", {}).get("recognitions"), groups),
            consortia=bool(v.get("counted", {}).get("consortia")),
            levels=tuple(v.get("counted", {}).get("levels", ())),
        )
        for key, v in raw["indicators"].items()
    }
    columns = {
        key: CoverageColumn(
            key,
            v["label"][0],
            v["label"][1],
            list=v["list"],
            recognitions=_group(v.get("recognitions"), groups),
        )
        for key, v in raw["coverage_columns"].items()
    }
    return Vocabulary(terms, groups, indicators, tuple(raw["indicator_match_order"]), columns)
