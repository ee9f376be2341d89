"""Mentions and figures moved to a block's offset keep every other field (``shifted`` is
``dataclasses.replace`` of the offsets, written out for speed: a new field must be in it)."""

from __future__ import annotations

import dataclasses

from nlp.entities import Mention
from nlp.gazetteer import Link
from nlp.quantities import Quantity


def _filled(cls: type, **fixed: object) -> object:
    values: dict[str, object] = {}
    for k, f in enumerate(dataclasses.fields(cls)):
        values[f.name] = fixed.get(f.name, f"{f.name}-{k}")
    return cls(**values)


def test_a_shifted_mention_moves_its_offsets_only() -> None:
    m = _filled(Mention, start=10, end=14, link=Link(None, "candidate", 0.0, None))
    assert isinstance(m, Mention)
    assert m.shifted(-7) == dataclasses.replace(m, start=3, end=7)


def test_a_shifted_figure_moves_its_offsets_only() -> None:
    q = _filled(Quantity, start=100, end=104, value=1.5, year=2027)
    assert isinstance(q, Quantity)
    assert q.shifted(25) == dataclasses.replace(q, start=125, end=129)
