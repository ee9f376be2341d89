"""One text file through the whole extraction, block by block, in bounded memory.

The file is streamed (loaders.textfile); each block's quantities, entity mentions and
relations come out with offsets into the whole decoded text, as soon as the block is read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loaders.textfile import TextStream
from nlp.entities import Mention, Pipelines, paragraphs
from nlp.quantities import Quantity, extract_quantities, with_scopes
from nlp.relations import Relation, find_relations
from nlp.timeframe import document_date

__all__ = ["BlockResult", "DocumentReader", "title_of"]


def title_of(text: str, name: str) -> str:
    """A document's title: its first non-blank line (else its file name), at most 200 chars."""
    return next((line.strip() for line in text.splitlines() if line.strip()), name)[:200]


@dataclass(frozen=True, slots=True)
class BlockResult:
    offset: int
    chars: int
    quantities: list[Quantity]
    mentions: list[Mention]
    relations: list[Relation]


@dataclass(slots=True)
class DocumentReader:
    """Reads ``path``; after ``blocks()`` is exhausted, ``sha256``/``chars``/``lang``/``title``
    describe the whole text."""

    path: Path
    pipelines: Pipelines
    lang: str = "auto"
    date: dt.date | None = None  # its date when the text states none (--date)
    langs: Counter[str] = field(default_factory=Counter)
    stream: TextStream = field(init=False)

    def __post_init__(self) -> None:
        self.stream = TextStream(self.path)

    def blocks(self) -> Iterator[BlockResult]:
        for offset, block in self.stream.blocks():
            mentions = list(
                self.pipelines.mentions_in(paragraphs(block, offset), self.lang, langs=self.langs)
            )
            local = [
                dataclasses.replace(m, start=m.start - offset, end=m.end - offset) for m in mentions
            ]
            quantities = [
                dataclasses.replace(q, start=q.start + offset, end=q.end + offset)
                for q in with_scopes(block, extract_quantities(block, self.published), local)
            ]
            relations = find_relations(block, mentions, offset)
            yield BlockResult(offset, len(block), quantities, mentions, relations)

    @property
    def doc_lang(self) -> str:
        return self.langs.most_common(1)[0][0] if self.langs else "en"

    @property
    def published(self) -> dt.date | None:
        """The first date written near the top (a dateline or release date), else the date
        given, if any."""
        return document_date(self.stream.head) or self.date

    @property
    def title(self) -> str:
        return title_of(self.stream.head, self.path.name)
