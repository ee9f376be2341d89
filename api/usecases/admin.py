"""Small administrative use cases: the graph's counts, and API keys."""

from __future__ import annotations

from api.auth import Role, add_key
from api.errors import ApiError
from api.settings import Settings
from graph.driver import open_driver
from graph.stats import GraphStats, graph_stats

__all__ = ["create_api_key", "graph_counts"]


def graph_counts(settings: Settings) -> GraphStats:
    """Node counts per label and relationship counts per type."""
    with open_driver(settings) as driver:
        return graph_stats(driver, settings.neo4j_database)


def create_api_key(settings: Settings, name: str, role: str) -> str:
    """A new key for ``name`` with ``role``, its hash added to the keys file; the token."""
    try:
        checked = Role(role)
    except ValueError as e:
        raise ApiError(str(e)) from e
    return add_key(settings.keys_file, name, checked)
