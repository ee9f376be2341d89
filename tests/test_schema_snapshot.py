"""The GraphQL schema (SDL) against the committed schema.graphql: a change to the API's
contract shows up in review as a diff of that file, never by accident."""

from __future__ import annotations

from pathlib import Path

from api.graphql import schema

SDL = Path(__file__).resolve().parents[1] / "schema.graphql"


def test_schema_matches_the_committed_sdl() -> None:
    committed = SDL.read_text(encoding="utf-8")
    assert schema.as_str() + "\n" == committed, (
        "the GraphQL schema differs from schema.graphql. If the change is intended and "
        "reviewed, regenerate the file with `innograph schema > schema.graphql` (or "
        "`python -m api.cli schema > schema.graphql`) and commit it with the change."
    )
