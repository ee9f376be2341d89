"""One text file through the whole extraction, block by block, in bounded memory.

The file is streamed (loaders.textfile); each block's quantities, entity mentions and
relations come out with offsets into the whole decoded text, as soon as the block is read.
A web page, PDF or Word file comes as the text loaders.documents read from it (``source``):
the offsets index that text, and its title, date and pages are the file's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loaders.documents import SourceText, TextInMemory
from loaders.textfile import TextStream
from nlp.entities import Mention, Pipelines, paragraphs
from nlp.quantities import Quantity, extract_quantities, with_scopes
from nlp.relations import Relation, find_relations
from nlp.sentences import sentence_spans
from nlp.timeframe import document_date

__all__ = ["BlockResult", "DocumentReader", "title_of"]


# A title line: 关于…的通知 / …规划 / …方案 / …意见 (a document's own name), or the
# English headline shape (several words, no full stop at the end).
_ZH_TITLE = re.compile(
    r"关于.{2,80}的(?:通知|意见|方案|规划|决定|办法|批复|报告|函)|"
    r"(?:规划|方案|意见|通知|办法|纲要|计划)》?(?:（[^）]*）|\([^)]*\))?$"
)
_EN_HEADLINE = re.compile(r"^[A-Z0-9\"“'][^.!?]*[A-Za-z0-9%)'’\"”]$")
# A site's banner or navigation: a site name, a breadcrumb, a menu (首页 > 新闻, Home | News)
_BANNER = re.compile(
    r"(?:首页|当前位置|您的位置|Home\b|[>»|]|\s·\s)|"
    r"^\S{0,16}(?:网|平台|门户|频道|官网)$|^(?:[A-Z][\w&-]*\s+){0,4}(?:Platform|Network|Portal|Online|Website|News)$"
)
_META = re.compile(
    r"^(?:https?://|来源|发布时间|发布日期|作者|编辑|Source:|By\s|Updated:)|^\W*\d{4}[-/年.]\d"
)
HEAD_LINES = 8  # a title is written this near the top


def title_of(text: str, name: str) -> str:
    """A document's title (at most 200 chars): among its first lines, the one shaped like a
    title (关于…的通知, …规划, an English headline), else the first that is not a site's
    banner, navigation, a source or date line; else its file name."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:HEAD_LINES]
    content = [x for x in lines if not _BANNER.search(x) and not _META.search(x)]
    titled = [x for x in content if _ZH_TITLE.search(x)]
    headline = [x for x in content if len(x.split()) >= 4 and _EN_HEADLINE.match(x)]
    return (titled or headline or content or [name])[0][:200]


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
    source: SourceText | None = None  # a page, PDF or Word file's text, read already
    stream: TextStream = field(init=False)

    def __post_init__(self) -> None:
        self.stream = TextInMemory(self.source) if self.source else TextStream(self.path)

    def blocks(self) -> Iterator[BlockResult]:
        for offset, block in self.stream.blocks():
            mentions = list(
                self.pipelines.mentions_in(paragraphs(block, offset), self.lang, langs=self.langs)
            )
            local = [m.shifted(-offset) for m in mentions] if offset else mentions
            sentences = sentence_spans(block)  # found once for the three readers
            figures = extract_quantities(block, self.published, sentences)
            quantities = [
                q.shifted(offset) if offset else q
                for q in with_scopes(block, figures, local, sentences)
            ]
            relations = find_relations(block, mentions, offset, sentences)
            yield BlockResult(offset, len(block), quantities, mentions, relations)

    @property
    def doc_lang(self) -> str:
        return self.langs.most_common(1)[0][0] if self.langs else "en"

    @property
    def published(self) -> dt.date | None:
        """The page's own date (a web page's metadata, a PDF or Word file's), else the first
        date written near the top (a dateline or release date: ``nlp.timeframe``'s
        ``document_date``, which reads what ``loaders.dates.find_date`` reads and English
        abbreviated dates), else the date given (``--date``), if any."""
        if self.source and self.source.published:
            return self.source.published
        return document_date(self.stream.head) or self.date

    @property
    def title(self) -> str:
        if self.source and self.source.title:
            return self.source.title
        return title_of(self.stream.head, self.path.name)

    def page_of(self, offset: int | None) -> int | None:
        """The PDF page an offset of the text is printed on (None when not paged)."""
        return self.source.page_of(offset) if self.source and offset is not None else None
