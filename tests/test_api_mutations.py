"""The bureau's writes: refused to other roles, idempotent, audited, reversible."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import neo4j
import pytest

from api.app import create_app
from api.auth import Principal, Role, add_key
from api.graphql import Context, schema
from api.settings import Settings
from graph.driver import open_async_driver
from graph.model import Label, RelType
from graph.records import NodeRecord, NodeRef, RelRecord
from graph.writer import Writer
from loaders.provenance import Provenance
from tests.http_server import serving

pytestmark = pytest.mark.neo4j

BUREAU = Principal("li.wei", Role.BUREAU)
ANALYST = Principal("analyst.one", Role.ANALYST)
P = Provenance("test-list", "loader:test", row=1)


@pytest.fixture()
def registry(db: neo4j.Driver) -> neo4j.Driver:
    orgs = [
        NodeRecord(
            Label.ORGANIZATION,
            "org-a",
            {"name": "陕西甲科技有限公司", "kind": "firm", "status": "active"},
            P,
            frozenset({Label.FIRM}),
        ),
        NodeRecord(
            Label.ORGANIZATION,
            "org-b",
            {"name": "陕西甲科技", "kind": "firm", "status": "active"},
            P,
            frozenset({Label.FIRM}),
        ),
        NodeRecord(Label.CONSORTIUM, "cons-h2", {"name": "氢能创新联合体"}, P),
    ]
    member = RelRecord(
        RelType.MEMBER_OF,
        NodeRef(Label.ORGANIZATION, "org-b"),
        NodeRef(Label.CONSORTIUM, "cons-h2"),
        {"role": "member"},
        P,
    )
    Writer(db).write(orgs, [member])
    return db


def run(
    settings: Settings, principal: Principal, query: str, variables: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[str]]:
    async def go() -> tuple[dict[str, Any] | None, list[str]]:
        driver = open_async_driver(settings)
        try:
            result = await schema.execute(
                query,
                variable_values=variables,
                context_value=Context(driver, settings.neo4j_database, principal),
            )
            return result.data, [e.message for e in result.errors or []]
        finally:
            await driver.close()

    return asyncio.run(go())


def audit(db: neo4j.Driver) -> list[dict[str, Any]]:
    records, _, _ = db.execute_query("MATCH (a:AuditEntry) RETURN a {.*} AS a ORDER BY a.at")
    return [r["a"] for r in records]


CORRECT = """mutation($o: String!, $c: OrganizationCorrection!, $r: String!) {
  correctOrganization(organization: $o, changes: $c, reason: $r) { changed before after } }"""


def test_a_correction_is_audited_once_and_keeps_the_old_name(
    registry: neo4j.Driver, settings: Settings
) -> None:
    variables = {
        "o": "org-a",
        "c": {"name": "陕西甲新能源科技有限公司"},
        "r": "renamed 2024 (notice 12)",
    }
    data, errors = run(settings, BUREAU, CORRECT, variables)
    assert errors == [] and data is not None
    assert data["correctOrganization"]["changed"] is True
    again, _ = run(settings, BUREAU, CORRECT, variables)
    assert again is not None and again["correctOrganization"]["changed"] is False  # idempotent
    (entry,) = audit(registry)
    assert (entry["who"], entry["role"], entry["action"], entry["target"]) == (
        "li.wei",
        "bureau",
        "correctOrganization",
        "org-a",
    )
    assert (
        "name=陕西甲科技有限公司" in entry["before"]
        and "name=陕西甲新能源科技有限公司" in entry["after"]
    )
    records, _, _ = registry.execute_query(
        "MATCH (o:Organization {id: 'org-a'}) RETURN o.name AS name, o.name_zh AS zh, "
        "o.aliases AS aliases, o.former_names AS former"
    )
    # issue 13.5: the old name is a former name (with its date, tests/test_corrections.py),
    # not an alias, and the Chinese name follows the name
    assert (records[0]["name"], records[0]["zh"]) == ("陕西甲新能源科技有限公司",) * 2
    assert records[0]["former"] == ["陕西甲科技有限公司"]
    assert "陕西甲科技有限公司" not in (records[0]["aliases"] or [])


def test_writes_without_the_bureau_role_are_refused_and_change_nothing(
    registry: neo4j.Driver, settings: Settings
) -> None:
    for who in (ANALYST, Principal("anonymous", Role.PUBLIC)):
        data, errors = run(
            settings, who, CORRECT, {"o": "org-a", "c": {"status": "withdrawn"}, "r": "test"}
        )
        assert data is None and "writes need an API key with the bureau role" in errors[0]
    records, _, _ = registry.execute_query(
        "MATCH (o:Organization {id: 'org-a'}) RETURN o.status AS s"
    )
    assert records[0]["s"] == "active" and audit(registry) == []


def test_bad_input_gets_a_clear_error(registry: neo4j.Driver, settings: Settings) -> None:
    _, errors = run(
        settings, BUREAU, CORRECT, {"o": "org-a", "c": {"uscc": "91350100M000100Y44"}, "r": "x"}
    )
    assert "check digit" in errors[0]
    _, errors = run(
        settings, BUREAU, CORRECT, {"o": "org-zzz", "c": {"status": "inactive"}, "r": "x"}
    )
    assert errors == ["no organisation 'org-zzz'"]


MERGE = 'mutation($k: String!, $m: String!) { mergeOrganizations(keep: $k, merge: $m, reason: "same firm") { changed } }'
UNDO = 'mutation($m: String!) { undoMerge(organization: $m, reason: "not the same") { changed } }'


def test_merge_is_kept_as_history_and_reversible(
    registry: neo4j.Driver, settings: Settings
) -> None:
    first, _ = run(settings, BUREAU, MERGE, {"k": "org-a", "m": "org-b"})
    second, _ = run(settings, BUREAU, MERGE, {"k": "org-a", "m": "org-b"})
    assert first == {"mergeOrganizations": {"changed": True}} and second == {
        "mergeOrganizations": {"changed": False}
    }
    records, _, _ = registry.execute_query(
        "MATCH (b {id: 'org-b'})-[s:SAME_AS]->(a {id: 'org-a'}) RETURN b.status AS st, s.by AS by"
    )
    assert (records[0]["st"], records[0]["by"]) == ("merged", "li.wei")
    # reads follow the merge: the list shows one organisation, a search for the merged name
    # leads to the one kept
    listed, _ = run(
        settings, ANALYST, "{ organizations(first: 10) { totalCount edges { node { key } } } }", {}
    )
    assert listed is not None and listed["organizations"]["totalCount"] == 1
    found, _ = run(
        settings, ANALYST, "query($t: String!) { search(text: $t) { key } }", {"t": "陕西甲科技"}
    )
    assert found is not None and {h["key"] for h in found["search"]} == {"org-a"}
    undone, _ = run(settings, BUREAU, UNDO, {"m": "org-b"})
    assert undone == {"undoMerge": {"changed": True}}
    records, _, _ = registry.execute_query(
        "MATCH (b {id: 'org-b'}) RETURN b.status AS st, EXISTS { (b)-[:SAME_AS]->() } AS linked"
    )
    assert (records[0]["st"], records[0]["linked"]) == ("active", False)
    assert [e["action"] for e in audit(registry)] == ["mergeOrganizations", "undoMerge"]


def test_memberships_set_and_end_idempotently(registry: neo4j.Driver, settings: Settings) -> None:
    set_q = 'mutation { setMembership(organization: "org-a", consortium: "cons-h2", role: "lead", since: "2024-03-01", reason: "letter") { changed } }'
    end_q = 'mutation { endMembership(organization: "org-b", consortium: "cons-h2", until: "2025-01-31", reason: "left") { changed } }'
    assert run(settings, BUREAU, set_q, {})[0] == {"setMembership": {"changed": True}}
    assert run(settings, BUREAU, set_q, {})[0] == {"setMembership": {"changed": False}}
    assert run(settings, BUREAU, end_q, {})[0] == {"endMembership": {"changed": True}}
    assert run(settings, BUREAU, end_q, {})[0] == {"endMembership": {"changed": False}}
    records, _, _ = registry.execute_query(
        "MATCH (o)-[r:MEMBER_OF]->(:Consortium {id: 'cons-h2'}) RETURN o.id AS o, r.role AS role, r.until AS until ORDER BY o"
    )
    assert [
        (r["o"], r["role"], r["until"] and r["until"].to_native().isoformat()) for r in records
    ] == [
        ("org-a", "lead", None),
        ("org-b", "member", "2025-01-31"),
    ]


def test_reported_figure_is_stored_once_with_its_source(
    registry: neo4j.Driver, settings: Settings
) -> None:
    q = """mutation { reportFigure(indicator: "non-fossil energy share", value: 14.2, unit: "%",
      asOf: "2025-12-31", source: "Xixian statistical bulletin 2025", reason: "annual figure") { changed } }"""
    assert run(settings, BUREAU, q, {})[0] == {"reportFigure": {"changed": True}}
    assert run(settings, BUREAU, q, {})[0] == {"reportFigure": {"changed": False}}
    records, _, _ = registry.execute_query(
        "MATCH (f:ReportedFigure) RETURN f.value AS v, f.source AS s, f.entered_by AS by"
    )
    assert [dict(r) for r in records] == [
        {"v": 14.2, "s": "Xixian statistical bulletin 2025", "by": "li.wei"}
    ]


def test_keys_over_http(registry: neo4j.Driver, settings: Settings, tmp_path: Path) -> None:
    keys = tmp_path / "keys.toml"
    bureau = add_key(keys, "li.wei", Role.BUREAU)
    analyst = add_key(keys, "analyst.one", Role.ANALYST)
    assert bureau not in keys.read_text() and oct(keys.stat().st_mode & 0o777) == "0o600"
    app = create_app(
        Settings.from_env(
            {}, data_dir=settings.data_dir, bolt_port=settings.bolt_port, api_keys_file=keys
        )
    )
    body = {
        "query": CORRECT,
        "variables": {"o": "org-a", "c": {"status": "inactive"}, "r": "closed"},
    }
    with serving(app) as base:
        wrong = httpx.post(
            f"{base}/graphql", json=body, headers={"Authorization": "Bearer nope"}, timeout=30
        )
        assert (
            wrong.status_code == 401 and wrong.json()["errors"][0]["message"] == "unknown API key"
        )
        refused = httpx.post(
            f"{base}/graphql", json=body, headers={"Authorization": f"Bearer {analyst}"}, timeout=30
        )
        assert "bureau role" in refused.json()["errors"][0]["message"]
        ok = httpx.post(
            f"{base}/graphql", json=body, headers={"Authorization": f"Bearer {bureau}"}, timeout=30
        )
        assert ok.json()["data"]["correctOrganization"]["changed"] is True
        reads = httpx.post(
            f"{base}/graphql",
            json={"query": "{ organizations(first: 1) { totalCount } }"},
            timeout=30,
        )
        assert (
            reads.json()["data"]["organizations"]["totalCount"] == 2
        )  # reads need no key by default
