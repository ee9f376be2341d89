"""One text file through the whole extraction, block by block, in bounded memory.

The file is streamed (loaders.textfile); each block's quantities, entity mentions and
relations come out with offsets into the whole decoded text, as soon as the block is read.
A web page, PDF or Word file comes as the text loaders.documents read from it (``source``):
the offsets index that text, and its title, date and pages are the file's.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from loaders.dates import find_date
from loaders.documents import SourceText, TextInMemory
from loaders.textfile import TextStream
from nlp.entities import Mention, Pipelines, paragraphs
from nlp.quantities import Quantity, extract_quantities
from nlp.relations import Relation, find_relations

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
    langs: Counter[str] = field(default_factory=Counter)
    source: SourceText | None = None  # a page, PDF or Word file's text, read already
    stream: TextStream = field(init=False)

    def __post_init__(self) -> None:
        self.stream = TextInMemory(self.source) if self.source else TextStream(self.path)

    def blocks(self) -> Iterator[BlockResult]:
        for offset, block in self.stream.blocks():
            mentions = list(
                self.pipelines.mentions_in(paragraphs(block, offset), self.lang, langs=self.langs)
            )
            quantities = [
                dataclasses.replace(q, start=q.start + offset, end=q.end + offset)
                for q in extract_quantities(block)
            ]
            relations = find_relations(block, mentions, offset)
            yield BlockResult(offset, len(block), quantities, mentions, relations)

    @property
    def doc_lang(self) -> str:
        return self.langs.most_common(1)[0][0] if self.langs else "en"

    @property
    def published(self) -> date | None:
        """The page's own date, else the first date written near the top (a dateline or
        release date), if any."""
        if self.source and self.source.published:
            return self.source.published
        return find_date(self.stream.head)

    @property
    def title(self) -> str:
        if self.source and self.source.title:
            return self.source.title
        return title_of(self.stream.head, self.path.name)

    def page_of(self, offset: int | None) -> int | None:
        """The PDF page an offset of the text is printed on (None when not paged)."""
        return self.source.page_of(offset) if self.source and offset is not None else None
