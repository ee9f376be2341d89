"""How a use case reports progress: callbacks, each a no-op unless the caller gives one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the loader's modules (0.25 s) are not imported by extract, which needs none
    from graph.ingest import LoadReport

__all__ = ["NO_EVENTS", "Events"]


def _ignore(*_: object) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Events:
    """Progress of a use case. Texts are plain (no markup), for a person."""

    on_message: Callable[[str], None] = _ignore  # a line of information
    on_warning: Callable[[str], None] = _ignore  # something fell back, the run goes on
    # A transient status line (Neo4j starting, Maven resolving), until on_status_end.
    on_status: Callable[[str], None] = _ignore
    on_status_end: Callable[[], None] = _ignore
    # Loading sources: between on_load_start and on_load_end, once per source
    # on_source_start(name), on_rows(name, done, total) every few rows, then
    # on_source_done(report) or on_source_failed(name, message).
    on_load_start: Callable[[], None] = _ignore
    on_source_start: Callable[[str], None] = _ignore
    on_rows: Callable[[str, int, int], None] = _ignore
    on_source_done: Callable[[LoadReport], None] = _ignore
    on_source_failed: Callable[[str, str], None] = _ignore
    on_load_end: Callable[[], None] = _ignore
    # Extracting texts: bytes read of all files (done, total); a file that cannot be read.
    on_bytes: Callable[[int, int], None] = _ignore
    on_file_failed: Callable[[str, str], None] = _ignore


NO_EVENTS = Events()
