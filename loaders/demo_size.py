"""How big the demo is: the district demo's counts, and the same proportions at another
number of firms (kept apart from the generator so the CLI reads it without openpyxl)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_FIRMS", "DEMO_SEED", "MAX_FIRMS", "MIN_FIRMS", "DemoSize"]

DEFAULT_FIRMS = 4_000
# A scaled demo needs at least one consortium per topic (8) and a national tech centre
# (every 15th): 1,000 firms give 8 and 22; past 2,000,000 the name space thins out.
MIN_FIRMS = 1_000
MAX_FIRMS = 2_000_000
DEMO_SEED = 20260101


@dataclass(frozen=True, slots=True)
class DemoSize:
    firms: int = DEFAULT_FIRMS
    rd_institutions: int = 40
    consortia: int = 30
    standards: int = 300
    tech_centres: int = 90
    rd_centres: int = 36

    @classmethod
    def scaled(cls, firms: int) -> DemoSize:
        """The district demo's proportions at ``firms`` firms (the default size gives the
        default demo); ValueError outside MIN_FIRMS..MAX_FIRMS."""
        if not MIN_FIRMS <= firms <= MAX_FIRMS:
            raise ValueError(
                f"a demo of {firms:,} firms: choose between {MIN_FIRMS:,} and {MAX_FIRMS:,} "
                f"(the default is {DEFAULT_FIRMS:,})"
            )
        base = cls()
        return cls(
            firms,
            *(
                max(1, (2 * getattr(base, f) * firms + base.firms) // (2 * base.firms))
                for f in ("rd_institutions", "consortia", "standards", "tech_centres", "rd_centres")
            ),
        )
