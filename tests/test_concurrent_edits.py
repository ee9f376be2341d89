"""Concurrent identical edits over real HTTP: one change and one audit entry each (issue 18.6)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import neo4j
import pytest

from api.app import create_app
from api.auth import Role, add_key
from api.settings import Settings
from graph.model import Label, RelType
from graph.records import NodeRecord, NodeRef, RelRecord
from graph.writer import Writer
from loaders.provenance import Provenance
from tests.http_server import serving

pytestmark = pytest.mark.neo4j

P = Provenance("test-list", "loader:test", row=1)
N = 20  # identical requests fired at once

CORRECT = """mutation { correctOrganization(organization: "org-a",
  changes: {name: "陕西甲新能源科技有限公司"}, reason: "renamed") { changed } }"""
MEMBER = """mutation { setMembership(organization: "org-a", consortium: "cons-h2",
  role: "lead", since: "2024-03-01", reason: "letter") { changed } }"""
MERGE = """mutation { mergeOrganizations(keep: "org-a", merge: "org-b",
  reason: "same firm") { changed } }"""


def _registry(db: neo4j.Driver) -> None:
    orgs = [
        NodeRecord(
            Label.ORGANIZATION,
            key,
            {"name": name, "kind": "firm", "status": "active"},
            P,
            frozenset({Label.FIRM}),
        )
        for key, name in (("org-a", "陕西甲科技有限公司"), ("org-b", "陕西甲科技"))
    ]
    cons = NodeRecord(Label.CONSORTIUM, "cons-h2", {"name": "氢能创新联合体"}, P)
    member = RelRecord(
        RelType.MEMBER_OF,
        NodeRef(Label.ORGANIZATION, "org-b"),
        NodeRef(Label.CONSORTIUM, "cons-h2"),
        {"role": "member"},
        P,
    )
    Writer(db).write([*orgs, cons], [member])


async def _fire(base: str, key: str, query: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60
    ) as client:
        responses = await asyncio.gather(
            *(client.post("/graphql", json={"query": query}) for _ in range(N))
        )
    return [r.json() for r in responses]


def _actions(db: neo4j.Driver) -> list[str]:
    records, _, _ = db.execute_query("MATCH (a:AuditEntry) RETURN a.action AS a ORDER BY a")
    return [r["a"] for r in records]


def test_identical_edits_at_once_change_and_audit_once(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    _registry(db)
    keys = tmp_path / "keys.toml"
    bureau = add_key(keys, "li.wei", Role.BUREAU)
    app = create_app(
        Settings.from_env(
            {}, data_dir=settings.data_dir, bolt_port=settings.bolt_port, api_keys_file=keys
        )
    )
    with serving(app) as base:
        for field, query in (
            ("correctOrganization", CORRECT),
            ("setMembership", MEMBER),
            ("mergeOrganizations", MERGE),
        ):
            bodies = asyncio.run(_fire(base, bureau, query))
            assert all("errors" not in b for b in bodies), bodies
            changed = [b["data"][field]["changed"] for b in bodies]
            assert changed.count(True) == 1, (field, changed)
            assert _actions(db).count(field) == 1, (field, _actions(db))
    records, _, _ = db.execute_query(
        "MATCH (a:Organization {id: 'org-a'}) "
        "OPTIONAL MATCH (a)-[r:MEMBER_OF]->(:Consortium {id: 'cons-h2'}) "
        "OPTIONAL MATCH (:Organization {id: 'org-b'})-[s:SAME_AS]->(a) "
        "RETURN a.name AS name, a.former_names AS former, a.name_history AS history, "
        "collect(r.role) AS roles, "
        "count(DISTINCT s) AS same"
    )
    (row,) = records
    assert row["name"] == "陕西甲新能源科技有限公司"
    # the old name kept once, not 20 times (a former name since issue 13.5, not an alias)
    assert row["former"] == ["陕西甲科技有限公司"] and len(row["history"]) == 1
    assert row["roles"] == ["lead"] and row["same"] == 1
