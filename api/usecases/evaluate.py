"""Extraction scored against gold files, with the gold README's matching rule (per label).

Entities are found with the seed gazetteer only (no registry), so the score does not depend
on what a graph holds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.textfile import read_text
from nlp.entities import Pipelines
from nlp.errors import ExtractionError
from nlp.evaluate import (
    QuantityScores,
    entity_error_rows,
    entity_errors,
    quantity_error_rows,
    quantity_errors,
    score_entities,
    score_quantities,
)
from nlp.gazetteer import Gazetteer
from nlp.quantities import extract_quantities, with_scopes

__all__ = ["EvalRun", "evaluate_extraction", "gold_text"]


@dataclass(frozen=True, slots=True)
class EvalRun:
    quantities: QuantityScores
    entities: dict[str, dict[str, dict[str, float | int]]]  # {} without entity gold
    quantity_gold: int  # rows in quantities.jsonl (0: none, the quantity score means nothing)
    # counts per class of error: quantities (missed, spurious, kind, comparator, year_*,
    # targets_fully_right) and entities per label (missed, wrong_label, boundary, spurious)
    errors: dict[str, Any] = field(default_factory=dict)
    # every error, one row each (nlp.evaluate.quantity_error_rows, entity_error_rows): which
    # gold row, which prediction, what differs
    error_rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.quantities.as_dict(),
            "entities": self.entities,
            "errors": self.errors,
            "error_rows": self.error_rows,
        }


def _gold_rows(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def gold_text(path: Path) -> str:
    """A gold document's text as its offsets count it: after the source-URL line, if any."""
    text = read_text(path)
    first, _, rest = text.partition("\n")
    return rest if first.strip().startswith(("http://", "https://")) else text


def evaluate_extraction(gold: Path | Sequence[Path], texts: Path) -> EvalRun:
    """Score the extractor on the documents named in ``gold/quantities.jsonl`` and
    ``gold/entities.jsonl`` (of each gold folder given, scored together), found under
    ``texts``."""
    folders = [gold] if isinstance(gold, Path) else list(gold)
    rows: list[dict[str, Any]] = []
    entity_rows: list[dict[str, Any]] = []
    for folder in folders:
        q, e = _gold_rows(folder / "quantities.jsonl"), _gold_rows(folder / "entities.jsonl")
        if not q and not e:
            raise ExtractionError(f"{folder}: neither quantities.jsonl nor entities.jsonl is there")
        rows += q
        entity_rows += e
    pipelines = Pipelines(Gazetteer())
    predicted: list[dict[str, Any]] = []
    predicted_entities: list[dict[str, Any]] = []
    for doc in sorted({r["doc"] for r in [*rows, *entity_rows]}):
        found = sorted(texts.rglob(doc))
        if not found:
            raise ExtractionError(f"{doc} (named in the gold) is not under {texts}")
        text = gold_text(found[0])
        mentions = list(pipelines.mentions(text))
        quantities = with_scopes(text, extract_quantities(text), mentions)
        predicted += [{**q.as_dict(), "doc": doc} for q in quantities]
        predicted_entities += [{**m.as_dict(), "doc": doc} for m in mentions]
    entities = score_entities(predicted_entities, entity_rows) if entity_rows else {}
    errors = {
        "quantities": quantity_errors(predicted, rows),
        "entities": entity_errors(predicted_entities, entity_rows),
    }
    listed = {
        "quantities": quantity_error_rows(predicted, rows),
        "entities": entity_error_rows(predicted_entities, entity_rows),
    }
    return EvalRun(score_quantities(predicted, rows), entities, len(rows), errors, listed)
