"""Small administrative use cases: the graph's counts, and API keys."""

from __future__ import annotations

from api.auth import KeyEntry, Role, add_key, read_keys, revoke_keys
from api.errors import ApiError
from api.settings import Settings
from graph.driver import open_driver
from graph.stats import GraphStats, graph_stats

__all__ = ["api_keys", "create_api_key", "graph_counts", "revoke_api_key"]


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


def revoke_api_key(settings: Settings, name: str) -> list[KeyEntry]:
    """Revoke every key of ``name`` in force; a running server refuses them at once."""
    return revoke_keys(settings.keys_file, name)


def api_keys(settings: Settings) -> list[KeyEntry]:
    """Every key of the keys file (names, roles, dates; hashes, never tokens)."""
    return read_keys(settings.keys_file)
