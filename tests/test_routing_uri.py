"""Issue 14.8: the API runs through a routing (``neo4j://``) URI, as replicas against a
cluster would, here against the local single server (which answers the routing table with
itself). Reads go out as reads, writes as writes, over real HTTP."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import httpx
import neo4j
import pytest

from api.app import create_app
from api.auth import Role, add_key
from api.settings import Settings
from graph.driver import local_server, open_driver
from graph.model import Label
from graph.records import NodeRecord
from graph.writer import Writer
from loaders.provenance import Provenance
from tests.http_server import serving

pytestmark = pytest.mark.neo4j


def _routing(settings: Settings, keys: Path) -> Settings:
    """The same server named by a ``neo4j://`` URI with explicit credentials, as a deployment
    against a cluster sets NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD."""
    where = urlsplit(settings.bolt_uri)
    env = {
        "NEO4J_URI": f"neo4j://{where.hostname}:{where.port}",
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password or local_server(settings).password(),
    }
    return Settings.from_env(env, data_dir=settings.data_dir, api_keys_file=keys)


def test_the_api_reads_and_writes_through_a_routing_uri(
    db: neo4j.Driver, settings: Settings, tmp_path: Path
) -> None:
    p = Provenance("test-list", "loader:test", row=1)
    Writer(db).write(
        [
            NodeRecord(
                Label.ORGANIZATION, "org-r", {"name": "陕西路由科技有限公司", "kind": "firm"}, p
            ),
        ]
    )
    keys = tmp_path / "keys.toml"
    bureau = add_key(keys, "li.wei", Role.BUREAU)
    routed = _routing(settings, keys)
    assert routed.neo4j_uri is not None and routed.neo4j_uri.startswith("neo4j://")
    with open_driver(routed) as driver:
        # a routing driver, which asked the server for its routing table
        assert isinstance(driver, neo4j.Neo4jDriver)
        records, _, _ = driver.execute_query(
            "MATCH (o:Organization {id: $id}) RETURN o.name AS name",
            {"id": "org-r"},
            routing_=neo4j.RoutingControl.READ,
            database_=routed.neo4j_database,
        )
        assert [r["name"] for r in records] == ["陕西路由科技有限公司"]
    with serving(create_app(routed)) as base:
        read = httpx.post(
            f"{base}/graphql",
            json={"query": '{ organization(id: "org-r") { name } }'},
            timeout=30,
        ).json()
        assert read["data"]["organization"]["name"] == "陕西路由科技有限公司", read
        wrote = httpx.post(
            f"{base}/graphql",
            json={
                "query": "mutation($c: OrganizationCorrection!) { correctOrganization("
                'organization: "org-r", changes: $c, reason: "renamed") { changed } }',
                "variables": {"c": {"name": "陕西路由新科技有限公司"}},
            },
            headers={"Authorization": f"Bearer {bureau}"},
            timeout=30,
        ).json()
        assert wrote["data"]["correctOrganization"]["changed"] is True, wrote
        again = httpx.post(
            f"{base}/graphql",
            json={"query": '{ organization(id: "org-r") { name formerNames } }'},
            timeout=30,
        ).json()
    assert again["data"]["organization"] == {
        "name": "陕西路由新科技有限公司",
        "formerNames": ["陕西路由科技有限公司"],
    }, again
