"""Cypher fragments every read shares, each written once: pure functions of fixed text.

The arguments are variable and parameter names chosen by code (never user input); values
always travel as parameters. A null parameter means "no filter".
"""

from __future__ import annotations

__all__ = [
    "AREA_DEPTH",
    "TECHNOLOGY_DEPTH",
    "in_area",
    "in_force",
    "member_on",
    "not_merged",
    "under_technology",
    "valid_on",
]

# How deep the area and technology trees go (district > new city > park; 3 broader levels).
AREA_DEPTH = 2
TECHNOLOGY_DEPTH = 3


def in_area(node: str, param: str = "$area") -> str:
    """``node`` is located in the area ``param`` or one of its parts (null: anywhere)."""
    return (
        f"({param} IS NULL OR EXISTS {{ ({node})-[:LOCATED_IN]->(:Area)"
        f"-[:PART_OF*0..{AREA_DEPTH}]->(:Area {{id: {param}}}) }})"
    )


def under_technology(node: str, rel: str | None, param: str = "$technology") -> str:
    """``node`` points (by ``rel``) at the technology ``param`` or a narrower one; with ``rel``
    None, ``node`` is itself that technology or a narrower one (null param: any)."""
    hop = f"-[:{rel}]->(:Technology)" if rel else ""
    return (
        f"({param} IS NULL OR EXISTS {{ ({node}){hop}"
        f"-[:BROADER*0..{TECHNOLOGY_DEPTH}]->(:Technology {{id: {param}}}) }})"
    )


def valid_on(recognition: str, day: str = "$as_of") -> str:
    """The recognition is valid on ``day`` (an open end is valid)."""
    return (
        f"({recognition}.valid_from <= {day} AND "
        f"({recognition}.valid_to IS NULL OR {recognition}.valid_to >= {day}))"
    )


def in_force(standard: str, day: str = "$as_of") -> str:
    """The group standard is published and not abolished on ``day``."""
    return (
        f"(({standard}.published_on IS NULL OR {standard}.published_on <= {day}) "
        f"AND ({standard}.abolished_on IS NULL OR {standard}.abolished_on > {day}) "
        f"AND coalesce({standard}.status, '') <> '废止')"
    )


def not_merged(org: str) -> str:
    """The organisation stands as itself (a merged entry lives on in the one it joined).

    Read from the SAME_AS edge, not the status text, which a load or a correction rewrites."""
    return f"NOT EXISTS {{ ({org})-[:SAME_AS]->() }}"


def member_on(membership: str, day: str = "$as_of") -> str:
    """The MEMBER_OF relationship holds on ``day`` (``until`` is the last day; open ends hold)."""
    return (
        f"(({membership}.since IS NULL OR {membership}.since <= {day}) AND "
        f"({membership}.until IS NULL OR {membership}.until >= {day}))"
    )
