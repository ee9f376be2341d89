"""Scoring extraction against gold files, with exactly the matching rule of the gold README.

Quantities: spans overlap and value (relative tolerance 1e-9) and unit are equal; pairs are
one-to-one, taken in order of largest overlap; then kind, comparator and year are scored by
exact equality over matched pairs, indicator and scope after removing whitespace.
Entities: strict (same doc, label, start, end) and lenient (same doc and label, overlapping
spans, one-to-one in order of largest overlap), per label and micro-averaged.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "PRF",
    "QUANTITY_FIELDS",
    "QuantityScores",
    "entity_error_rows",
    "entity_errors",
    "match_pairs",
    "quantity_error_rows",
    "quantity_errors",
    "score_entities",
    "score_quantities",
]

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PRF:
    tp: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def _overlap(a: Row, b: Row) -> int:
    return int(min(a["end"], b["end"]) - max(a["start"], b["start"]))


def match_pairs(
    predicted: Sequence[Row], gold: Sequence[Row], compatible: Callable[[Row, Row], bool]
) -> list[tuple[int, int]]:
    """One-to-one (prediction index, gold index) pairs of the same doc whose spans overlap
    and that ``compatible`` accepts, taken in order of largest overlap."""
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            if (
                p["doc"] == g["doc"]
                and p["start"] < g["end"]
                and g["start"] < p["end"]
                and compatible(p, g)
            ):
                candidates.append((-_overlap(p, g), i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def _squash(value: Any) -> Any:
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class QuantityScores:
    overall: PRF
    attributes: dict[str, float]  # accuracy over matched pairs

    def as_dict(self) -> dict[str, Any]:
        return {"quantities": self.overall.as_dict(), "accuracy_on_matched": self.attributes}


def score_quantities(predicted: Sequence[Row], gold: Sequence[Row]) -> QuantityScores:
    pairs = match_pairs(predicted, gold, _same_amount)
    accuracy = {}
    for key in ("kind", "comparator", "year", "indicator", "scope"):
        hits = sum(_squash(predicted[i].get(key)) == _squash(gold[j].get(key)) for i, j in pairs)
        accuracy[key] = round(hits / len(pairs), 4) if pairs else 0.0
    return QuantityScores(PRF(len(pairs), len(predicted), len(gold)), accuracy)


def score_entities(
    predicted: Sequence[Row], gold: Sequence[Row]
) -> dict[str, dict[str, dict[str, float | int]]]:
    """{'strict'|'lenient': {label or 'micro': P/R/F1}}."""
    labels = sorted({r["label"] for r in [*predicted, *gold]})
    out: dict[str, dict[str, dict[str, float | int]]] = {"strict": {}, "lenient": {}}
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for label in labels:
        p = [r for r in predicted if r["label"] == label]
        g = [r for r in gold if r["label"] == label]
        strict = len(
            {(r["doc"], r["start"], r["end"]) for r in p}
            & {(r["doc"], r["start"], r["end"]) for r in g}
        )
        lenient = len(match_pairs(p, g, lambda a, b: True))
        for mode, tp in (("strict", strict), ("lenient", lenient)):
            out[mode][label] = PRF(tp, len(p), len(g)).as_dict()
            t = totals[mode]
            t[0] += tp
            t[1] += len(p)
            t[2] += len(g)
    for mode in ("strict", "lenient"):
        tp, np_, ng = totals[mode]
        out[mode]["micro"] = PRF(tp, np_, ng).as_dict()
    return out


def _same_amount(p: Row, g: Row) -> bool:
    return bool(
        p["unit"] == g["unit"] and math.isclose(float(p["value"]), float(g["value"]), rel_tol=1e-9)
    )


def quantity_errors(predicted: Sequence[Row], gold: Sequence[Row]) -> dict[str, float | int]:
    """Counts per class of error (the issue's classes), and the share of gold targets read
    fully right (matched, with kind, year and comparator all equal)."""
    pairs = match_pairs(predicted, gold, _same_amount)
    out: dict[str, float | int] = {
        "missed": len(gold) - len(pairs),
        "spurious": len(predicted) - len(pairs),
    }
    for name in ("kind", "comparator", "year_missing", "year_spurious", "year_wrong"):
        out[name] = 0
    for i, j in pairs:
        p, g = predicted[i], gold[j]
        out["kind"] += p.get("kind") != g.get("kind")
        out["comparator"] += p.get("comparator") != g.get("comparator")
        py, gy = p.get("year"), g.get("year")
        if py != gy:
            key = "year_missing" if py is None else "year_spurious" if gy is None else "year_wrong"
            out[key] += 1
    targets = [j for j, g in enumerate(gold) if g.get("kind") == "target"]
    matched = dict((j, i) for i, j in pairs)
    right = sum(
        j in matched
        and all(
            predicted[matched[j]].get(k) == gold[j].get(k) for k in ("kind", "year", "comparator")
        )
        for j in targets
    )
    out["targets"] = len(targets)
    out["targets_fully_right"] = round(right / len(targets), 4) if targets else 0.0
    return out


def entity_errors(predicted: Sequence[Row], gold: Sequence[Row]) -> dict[str, dict[str, int]]:
    """Per gold label: missed (no overlapping prediction of any label), wrong_label (overlapped
    only by another label), boundary (lenient but not strict); per predicted label: spurious
    (overlapping no gold row at all)."""
    labels = sorted({r["label"] for r in [*predicted, *gold]})
    out = {label: {"missed": 0, "wrong_label": 0, "boundary": 0, "spurious": 0} for label in labels}

    def overlapping(r: Row, rows: Sequence[Row]) -> list[Row]:
        return [
            o
            for o in rows
            if o["doc"] == r["doc"] and o["start"] < r["end"] and r["start"] < o["end"]
        ]

    for g in gold:
        over = overlapping(g, predicted)
        same = [p for p in over if p["label"] == g["label"]]
        if not over:
            out[g["label"]]["missed"] += 1
        elif not same:
            out[g["label"]]["wrong_label"] += 1
        elif not any(p["start"] == g["start"] and p["end"] == g["end"] for p in same):
            out[g["label"]]["boundary"] += 1
    for p in predicted:
        if not overlapping(p, gold):
            out[p["label"]]["spurious"] += 1
    return out


# What a quantity row is judged on once its amount matched (scored as score_quantities does).
QUANTITY_FIELDS = ("kind", "comparator", "year", "indicator", "scope")
_SHOWN = ("start", "end", "evidence", "value", "unit", *QUANTITY_FIELDS)


def _shown(row: Row, keys: Sequence[str] = _SHOWN) -> dict[str, Any]:
    return {k: row.get(k) for k in keys}


def quantity_error_rows(predicted: Sequence[Row], gold: Sequence[Row]) -> list[dict[str, Any]]:
    """Every quantity error, one row each, in document order: ``missed`` (a gold row no
    prediction matched), ``spurious`` (a prediction matching none), ``wrong`` (a matched pair
    whose ``fields`` differ, as :func:`score_quantities` compares them), each with the gold
    and predicted row as far as they exist."""
    pairs = match_pairs(predicted, gold, _same_amount)
    out: list[dict[str, Any]] = []
    for i, j in pairs:
        p, g = predicted[i], gold[j]
        fields = [k for k in QUANTITY_FIELDS if _squash(p.get(k)) != _squash(g.get(k))]
        if fields:
            out.append(
                {"doc": g["doc"], "error": "wrong", "fields": fields}
                | {"gold": _shown(g), "predicted": _shown(p)}
            )
    paired_p, paired_g = {i for i, _ in pairs}, {j for _, j in pairs}
    out += [
        {"doc": g["doc"], "error": "missed", "fields": [], "gold": _shown(g), "predicted": None}
        for j, g in enumerate(gold)
        if j not in paired_g
    ]
    out += [
        {"doc": p["doc"], "error": "spurious", "fields": [], "gold": None, "predicted": _shown(p)}
        for i, p in enumerate(predicted)
        if i not in paired_p
    ]
    return sorted(out, key=lambda r: (r["doc"], (r["gold"] or r["predicted"])["start"]))


def entity_error_rows(predicted: Sequence[Row], gold: Sequence[Row]) -> list[dict[str, Any]]:
    """Every entity error of :func:`entity_errors`, one row each, in document order, with the
    gold row and the predictions overlapping it (``missed``, ``wrong_label``, ``boundary``)
    or the prediction alone (``spurious``)."""
    keys = ("label", "start", "end", "text")
    by_doc = _by_doc(predicted)
    out: list[dict[str, Any]] = []
    for g in gold:
        over = [
            p for p in by_doc.get(g["doc"], []) if p["start"] < g["end"] and g["start"] < p["end"]
        ]
        same = [p for p in over if p["label"] == g["label"]]
        exact = any(p["start"] == g["start"] and p["end"] == g["end"] for p in same)
        error = "missed" if not over else "wrong_label" if not same else None
        if error is None and not exact:
            error = "boundary"
        if error:
            found = [_shown(p, keys) for p in over]
            out.append(
                {"doc": g["doc"], "error": error, "gold": _shown(g, keys), "predicted": found}
            )
    gold_by_doc = _by_doc(gold)
    for p in predicted:
        if not any(
            g["start"] < p["end"] and p["start"] < g["end"] for g in gold_by_doc.get(p["doc"], [])
        ):
            out.append(
                {"doc": p["doc"], "error": "spurious", "gold": None, "predicted": [_shown(p, keys)]}
            )
    return sorted(
        out, key=lambda r: (r["doc"], (r["gold"] or r["predicted"][0])["start"], r["error"])
    )


def _by_doc(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        grouped[r["doc"]].append(r)
    return grouped
