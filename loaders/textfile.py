"""Text files read as a stream of paragraphs with their offsets, in bounded memory.

The encoding is decided from the head of the file (UTF-8 with or without BOM, else
GB18030, the superset of GBK) and the rest is decoded incrementally; offsets count code
points of the decoded text, as ``open(path).read()`` would give them. Empty and binary
files, and bytes that do not decode, fail with the file and the cause named.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from loaders.errors import LoaderError

__all__ = ["CHUNK", "TextStream", "read_text", "text_sha256"]

CHUNK = 1 << 20  # bytes read at a time
MAX_BLOCK = 1 << 20  # characters held before a block is cut at a line end anyway
_BLANK = re.compile(r"\n[ \t\r\f\v]*\n")
# Formats people send instead of text, by their first bytes.
_NOT_TEXT = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP (DOCX/XLSX)"),
    (b"\xd0\xcf\x11\xe0", "legacy Office (DOC/XLS)"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"{\\rtf", "RTF"),
)


class TextStream:
    """``paragraphs()`` yields (offset, paragraph); ``sha256`` and ``chars`` after the read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sha256 = ""
        self.chars = 0
        self.encoding = ""
        self.head = ""  # the first characters, for a title
        self.bytes_read = 0

    def _encoding(self, head: bytes) -> str:
        if not head.strip():
            raise LoaderError(f"{self.path}: the file is empty")
        for magic, kind in _NOT_TEXT:
            if head.startswith(magic):
                raise LoaderError(
                    f"{self.path}: a {kind} file, not plain text; save it as .txt (UTF-8) first"
                )
        if b"\x00" in head[:4096]:
            raise LoaderError(f"{self.path}: binary content, not text")
        if head.startswith(b"\xef\xbb\xbf"):
            return "utf-8-sig"
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            return "utf-8"
        except UnicodeDecodeError:
            return "gb18030"

    def blocks(self) -> Iterator[tuple[int, str]]:
        """(offset, block): the text cut at blank lines, each block at most ~MAX_BLOCK."""
        try:
            f = self.path.open("rb")
        except OSError as e:
            raise LoaderError(f"{self.path}: cannot be read ({e.strerror})") from e
        digest = hashlib.sha256()
        with f:
            first = f.read(CHUNK)
            self.encoding = self._encoding(first)
            decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
            buffer, offset, chunk = "", 0, first
            while True:
                final = not chunk
                try:
                    text = decoder.decode(chunk, final=final)
                except UnicodeDecodeError as e:
                    raise LoaderError(
                        f"{self.path}: not valid {self.encoding} near byte {f.tell() - len(chunk) + e.start}"
                    ) from e
                digest.update(text.encode("utf-8"))
                if not self.head:
                    self.head = text[:2000]
                buffer += text
                cut = self._cut(buffer, final)
                while cut:
                    yield offset, buffer[:cut]
                    offset += cut
                    buffer = buffer[cut:]
                    cut = self._cut(buffer, final)
                self.bytes_read += len(chunk)
                if final:
                    break
                chunk = f.read(CHUNK)
        self.chars = offset + len(buffer)
        self.sha256 = digest.hexdigest()
        if buffer:
            yield offset, buffer

    @staticmethod
    def _cut(buffer: str, final: bool) -> int:
        """Where to end the next block: after the last blank line, or a line end if huge."""
        if final:
            return 0
        ends = [m.end() for m in _BLANK.finditer(buffer)]
        if ends:
            return ends[-1]
        if len(buffer) > MAX_BLOCK:
            return buffer.rfind("\n", 0, MAX_BLOCK) + 1 or MAX_BLOCK
        return 0


def read_text(path: Path) -> str:
    """A whole (small) text file, decoded and checked as :class:`TextStream` reads it."""
    return "".join(block for _, block in TextStream(path).blocks())


def text_sha256(path: Path) -> str:
    """The sha256 of ``path``'s text as :class:`TextStream` decodes it (what a Document
    stores), read through once in bounded memory; the same errors as reading it."""
    stream = TextStream(path)
    for _ in stream.blocks():
        pass
    return stream.sha256
