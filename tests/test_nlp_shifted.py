"""Copies written out for speed (``dataclasses.replace`` cost 6 us each): mentions and figures
moved to a block's offset, a figure time under another frame or for one sentence, keep every
other field (a new field must be in them)."""

from __future__ import annotations

import dataclasses

from nlp.entities import Mention
from nlp.figure_years import FigureTime
from nlp.gazetteer import Link
from nlp.quantities import Quantity
from nlp.timeframe import Frame


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
    assert q.scoped("西咸新区") == dataclasses.replace(q, scope="西咸新区")


def test_a_figure_time_copied_keeps_every_other_field() -> None:
    t = _filled(FigureTime)  # every field set, so a field the copies forget shows
    assert isinstance(t, FigureTime)
    frame = Frame(2026)
    assert t.framed(frame) == dataclasses.replace(t, frame=frame)
    assert t.of_sentence([(9, 2030)], []) == dataclasses.replace(t, deadlines=[(9, 2030)], bases=[])
