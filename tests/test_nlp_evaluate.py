"""The gold README's matching rule, on hand-built rows and on the dev gold itself."""

import json
from pathlib import Path

import pytest

from nlp.evaluate import (
    entity_error_rows,
    entity_errors,
    match_pairs,
    quantity_error_rows,
    quantity_errors,
    score_entities,
    score_quantities,
)


def q(start: int, end: int, value: float, unit: str = "count", **kw: object) -> dict[str, object]:
    return {
        "doc": "d.txt",
        "start": start,
        "end": end,
        "value": value,
        "unit": unit,
        "kind": "target",
        "comparator": ">=",
        "year": 2025,
        "indicator": "x",
        "scope": None,
        **kw,
    }


def test_quantities_match_on_overlap_value_and_unit() -> None:
    gold = [q(10, 14, 3500), q(20, 23, 16.0, "%", comparator="~")]
    predicted = [
        q(9, 13, 3500.0000000001),  # overlapping, value within 1e-9
        q(20, 23, 16.0, "count"),  # wrong unit: no match
        q(40, 43, 16.0, "%"),  # no overlap
    ]
    scores = score_quantities(predicted, gold)
    assert (scores.overall.tp, scores.overall.predicted, scores.overall.gold) == (1, 3, 2)
    assert round(scores.overall.f1, 4) == round(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5), 4)
    assert scores.attributes["comparator"] == 1.0


def test_pairs_are_one_to_one_by_largest_overlap() -> None:
    gold = [{"doc": "d", "start": 0, "end": 10}, {"doc": "d", "start": 8, "end": 12}]
    predicted = [{"doc": "d", "start": 7, "end": 12}]
    assert match_pairs(predicted, gold, lambda a, b: True) == [(0, 1)]


def test_indicator_and_scope_compare_without_whitespace() -> None:
    gold = [q(0, 4, 25, indicator="new R & D institutions", scope="Xixian New Area")]
    predicted = [q(0, 4, 25, indicator="new R&D  institutions", scope="XixianNewArea", year=2030)]
    acc = score_quantities(predicted, gold).attributes
    assert acc["indicator"] == 1.0 and acc["scope"] == 1.0 and acc["year"] == 0.0


def test_entities_strict_and_lenient() -> None:
    gold = [
        {"doc": "d", "label": "ORG", "start": 0, "end": 10},
        {"doc": "d", "label": "AREA", "start": 20, "end": 25},
    ]
    predicted = [
        {"doc": "d", "label": "ORG", "start": 0, "end": 8},  # lenient only
        {"doc": "d", "label": "AREA", "start": 20, "end": 25},  # strict
        {"doc": "d", "label": "TECH", "start": 30, "end": 35},  # spurious
    ]
    s = score_entities(predicted, gold)
    assert s["strict"]["micro"]["tp"] == 1 and s["lenient"]["micro"]["tp"] == 2
    assert s["lenient"]["ORG"]["f1"] == 1.0 and s["strict"]["ORG"]["f1"] == 0.0
    assert s["lenient"]["TECH"]["precision"] == 0.0


def test_gold_scored_against_itself_is_perfect(shared: Path) -> None:
    gold_dir = shared / "data" / "gold"
    quantities = [
        json.loads(line)
        for line in (gold_dir / "quantities.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    entities = [
        json.loads(line)
        for line in (gold_dir / "entities.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(quantities) == 77 and len(entities) == 103
    scores = score_quantities(quantities, quantities)
    assert scores.overall.f1 == 1.0 and all(v == 1.0 for v in scores.attributes.values())
    assert score_entities(entities, entities)["strict"]["micro"]["f1"] == 1.0


EXTRA = Path(__file__).parent / "data" / "gold-extra"


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize(
    ("part", "docs", "n_q", "n_e"), [("dev", 36, 301, 444), ("heldout", 4, 23, 36)]
)
def test_extra_gold_offsets_index_the_texts(
    shared: Path, part: str, docs: int, n_q: int, n_e: int
) -> None:
    quantities = _rows(EXTRA / part / "quantities.jsonl")
    entities = _rows(EXTRA / part / "entities.jsonl")
    assert (len(quantities), len(entities)) == (n_q, n_e)
    names = {str(r["doc"]) for r in [*quantities, *entities]}
    assert len(names) == docs
    for row in [*quantities, *entities]:
        (path,) = (shared / "data" / "raw").glob(f"policy-*/{row['doc']}")
        raw = path.read_text("utf-8")
        text = raw.split("\n", 1)[1]
        assert text[int(str(row["start"])) : int(str(row["end"]))] == row.get(
            "evidence", row.get("text")
        )
    dev_docs = {
        str(r["doc"])
        for path in (EXTRA / "dev", shared / "data" / "gold")
        for r in [*_rows(path / "quantities.jsonl"), *_rows(path / "entities.jsonl")]
    }
    assert part == "dev" or not names & dev_docs  # the held-out passages are not dev passages


def test_error_classes_count_each_kind_of_miss() -> None:
    gold = [
        q(0, 4, 10, year=2025),
        q(10, 14, 20, year=2025),
        q(20, 24, 30, year=None, kind="actual", comparator="="),
        q(30, 34, 40, year=2020, kind="actual", comparator="="),
        q(40, 44, 50),
    ]
    predicted = [
        q(0, 4, 10, year=2025),  # fully right
        q(10, 14, 20, year=None),  # year missing
        q(20, 24, 30, year=2023, kind="actual", comparator="="),  # year where the text fixes none
        q(30, 34, 40, year=2021, kind="target"),  # wrong year, kind and comparator
        q(60, 64, 70),  # spurious; gold 40-44 missed
    ]
    errors = quantity_errors(predicted, gold)
    assert errors == {
        "missed": 1,
        "spurious": 1,
        "kind": 1,
        "comparator": 1,
        "year_missing": 1,
        "year_spurious": 1,
        "year_wrong": 1,
        "targets": 3,
        "targets_fully_right": round(1 / 3, 4),
    }
    gold_e = [
        {"doc": "d", "label": "ORG", "start": 0, "end": 5},
        {"doc": "d", "label": "AREA", "start": 10, "end": 15},
        {"doc": "d", "label": "TECH", "start": 20, "end": 25},
    ]
    predicted_e = [
        {"doc": "d", "label": "ORG", "start": 0, "end": 4},  # boundary
        {"doc": "d", "label": "ORG", "start": 10, "end": 15},  # wrong label for the AREA
        {"doc": "d", "label": "AREA", "start": 40, "end": 45},  # spurious
    ]
    e = entity_errors(predicted_e, gold_e)
    assert e["ORG"] == {"missed": 0, "wrong_label": 0, "boundary": 1, "spurious": 0}
    assert e["AREA"] == {"missed": 0, "wrong_label": 1, "boundary": 0, "spurious": 1}
    assert e["TECH"]["missed"] == 1


def test_every_error_is_listed_once_with_what_differs() -> None:
    gold = [
        q(0, 4, 10),
        q(10, 14, 20, indicator="高新技术企业"),
        q(20, 24, 30, kind="actual", comparator="=", year=None),
        q(40, 44, 50),
    ]
    predicted = [
        q(0, 4, 10),  # right: not listed
        q(10, 14, 20, indicator="高新 技术企业", scope="西安市"),  # whitespace is no error
        q(20, 24, 30, year=2023),  # kind, comparator and year
        q(60, 64, 70),
    ]
    rows = quantity_error_rows(predicted, gold)
    assert [(r["error"], r["fields"], (r["gold"] or r["predicted"])["start"]) for r in rows] == [
        ("wrong", ["scope"], 10),
        ("wrong", ["kind", "comparator", "year"], 20),
        ("missed", [], 40),
        ("spurious", [], 60),
    ]
    assert rows[1]["gold"]["year"] is None and rows[1]["predicted"]["year"] == 2023
    # the listing and the counts agree
    counts = quantity_errors(predicted, gold)
    assert sum(r["error"] == "missed" for r in rows) == counts["missed"]
    assert sum("kind" in r["fields"] for r in rows) == counts["kind"]
    gold_e = [
        {"doc": "d", "label": "ORG", "start": 0, "end": 5, "text": "甲公司有限"},
        {"doc": "d", "label": "AREA", "start": 10, "end": 15, "text": "西安市"},
        {"doc": "d", "label": "TECH", "start": 20, "end": 25, "text": "光伏"},
        {"doc": "d", "label": "AREA", "start": 30, "end": 33, "text": "陕西"},
    ]
    predicted_e = [
        {"doc": "d", "label": "ORG", "start": 0, "end": 4, "text": "甲公司"},
        {"doc": "d", "label": "ORG", "start": 10, "end": 15, "text": "西安市"},
        {"doc": "d", "label": "AREA", "start": 30, "end": 33, "text": "陕西"},  # right
        {"doc": "d", "label": "AREA", "start": 40, "end": 45, "text": "别处"},
    ]
    listed = entity_error_rows(predicted_e, gold_e)
    assert [(r["error"], (r["gold"] or r["predicted"][0])["text"]) for r in listed] == [
        ("boundary", "甲公司有限"),
        ("wrong_label", "西安市"),
        ("missed", "光伏"),
        ("spurious", "别处"),
    ]
    assert listed[0]["predicted"] == [{"label": "ORG", "start": 0, "end": 4, "text": "甲公司"}]
