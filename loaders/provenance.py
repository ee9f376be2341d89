"""Where a fact came from: carried by every record from its source to the graph."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Provenance"]


@dataclass(frozen=True, slots=True)
class Provenance:
    """A source id plus the row (for lists; with its page in a PDF) or character span (for
    text) that stated the fact."""

    source: str
    extractor: str
    row: int | None = None
    start: int | None = None
    end: int | None = None
    confidence: float = 1.0
    load: str | None = None
    page: int | None = None  # the page of a PDF the row or span is printed on

    def __post_init__(self) -> None:
        if not self.source:
            raise ValueError("provenance needs a source id")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence!r} must lie in [0, 1]")

    def as_properties(self) -> dict[str, object]:
        """Flat properties stored on the node or relationship (Neo4j has no nested maps);
        ``prov_page`` only where there is a page."""
        props: dict[str, object] = {
            "prov_source": self.source,
            "prov_extractor": self.extractor,
            "prov_row": self.row,
            "prov_start": self.start,
            "prov_end": self.end,
            "prov_confidence": self.confidence,
            "prov_load": self.load,
        }
        if self.page is not None:
            props["prov_page"] = self.page
        return props
