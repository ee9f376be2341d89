"""The application's settings: one typed object, read once at the edge (the CLI or the app
factory). graph takes what it needs of it as a ``graph.driver.Neo4jTarget``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from loaders.errors import SettingsError

__all__ = ["Settings"]

DEFAULT_BOLT_PORT = 7687
DEFAULT_QUERY_DEADLINE_S = 10.0


def _seconds(value: str, name: str) -> float:
    try:
        seconds = float(value)
    except ValueError as e:
        raise SettingsError(f"{name}={value!r} is not a number of seconds; use e.g. 10") from e
    if not 0 < seconds <= 600:
        raise SettingsError(f"{name}={value!r} is out of range; use more than 0 and up to 600")
    return seconds


def _port(value: str, name: str) -> int:
    try:
        port = int(value)
    except ValueError as e:
        raise SettingsError(f"{name}={value!r} is not a port number; use 1-65535") from e
    if not 0 < port < 65536:
        raise SettingsError(f"{name}={value!r} is out of range; use 1-65535")
    return port


# setting name -> (environment variable, type, smallest value)
_LIMITS: dict[str, tuple[str, type[int] | type[float], float]] = {
    "max_body": ("INNOGRAPH_MAX_BODY", int, 1),
    "body_timeout": ("INNOGRAPH_BODY_TIMEOUT", float, 0.1),
    "header_timeout": ("INNOGRAPH_HEADER_TIMEOUT", float, 0.1),
    "rate": ("INNOGRAPH_RATE", float, 0.001),
    "rate_burst": ("INNOGRAPH_RATE_BURST", int, 1),
    "max_concurrent": ("INNOGRAPH_MAX_CONCURRENT", int, 1),
    "max_concurrent_per_client": ("INNOGRAPH_MAX_CONCURRENT_PER_CLIENT", int, 1),
}


def _limits(env: Mapping[str, str]) -> dict[str, object]:
    """The HTTP edge's limits given in the environment, checked."""
    values: dict[str, object] = {}
    for field_name, (name, kind, least) in _LIMITS.items():
        if not env.get(name):
            continue
        try:
            value = kind(env[name])
        except ValueError as e:
            raise SettingsError(f"{name}={env[name]!r} is not a {kind.__name__}") from e
        if value < least:
            raise SettingsError(f"{name}={env[name]!r}: use at least {least}")
        values[field_name] = value
    return values


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the data lives and which Neo4j to use.

    With ``neo4j_uri`` unset the CLI runs a local Neo4j under ``data_dir/neo4j``;
    with it set, that server is used and nothing is started.
    """

    data_dir: Path = Path("var")
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str = "neo4j"
    bolt_port: int = DEFAULT_BOLT_PORT
    neo4j_heap: str = "1g"
    neo4j_pagecache: str = "512m"
    # API keys (hashed) with roles, kept outside the code; None: <data_dir>/api-keys.toml
    api_keys_file: Path | None = None
    reads_need_key: bool = False
    java_home: Path | None = None  # JAVA_HOME: which Java runs the local Neo4j
    # INNOGRAPH_QUERY_DEADLINE: seconds a request's database work may take, connecting
    # included; past it the request is answered with a TIMEOUT error
    query_deadline: float = DEFAULT_QUERY_DEADLINE_S
    # The HTTP edge's limits (api/http/); rates and concurrency are per worker process.
    max_body: int = 1024 * 1024  # INNOGRAPH_MAX_BODY: bytes of a request body
    body_timeout: float = 10.0  # INNOGRAPH_BODY_TIMEOUT: seconds to send a whole body
    header_timeout: float = 10.0  # INNOGRAPH_HEADER_TIMEOUT: seconds to send the headers
    rate: float = 50.0  # INNOGRAPH_RATE: requests per second per key or address
    rate_burst: int = 200  # INNOGRAPH_RATE_BURST: requests at once above the rate
    max_concurrent: int = 256  # INNOGRAPH_MAX_CONCURRENT: requests in progress in all
    max_concurrent_per_client: int = 64  # INNOGRAPH_MAX_CONCURRENT_PER_CLIENT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``INNOGRAPH_*`` and ``NEO4J_*`` variables; keyword overrides (CLI flags) win."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        if env.get("INNOGRAPH_DATA_DIR"):
            values["data_dir"] = Path(env["INNOGRAPH_DATA_DIR"])
        if env.get("NEO4J_URI"):
            values["neo4j_uri"] = env["NEO4J_URI"]
        if env.get("NEO4J_USER"):
            values["neo4j_user"] = env["NEO4J_USER"]
        if env.get("NEO4J_PASSWORD"):
            values["neo4j_password"] = env["NEO4J_PASSWORD"]
        if env.get("NEO4J_DATABASE"):
            values["neo4j_database"] = env["NEO4J_DATABASE"]
        if env.get("INNOGRAPH_NEO4J_PORT"):
            values["bolt_port"] = _port(env["INNOGRAPH_NEO4J_PORT"], "INNOGRAPH_NEO4J_PORT")
        if env.get("INNOGRAPH_NEO4J_HEAP"):
            values["neo4j_heap"] = env["INNOGRAPH_NEO4J_HEAP"]
        if env.get("JAVA_HOME"):
            values["java_home"] = Path(env["JAVA_HOME"])
        if env.get("INNOGRAPH_API_KEYS_FILE"):
            values["api_keys_file"] = Path(env["INNOGRAPH_API_KEYS_FILE"])
        if env.get("INNOGRAPH_READS_NEED_KEY"):
            values["reads_need_key"] = env["INNOGRAPH_READS_NEED_KEY"].lower() in (
                "1",
                "true",
                "yes",
            )
        if env.get("INNOGRAPH_QUERY_DEADLINE"):
            values["query_deadline"] = _seconds(
                env["INNOGRAPH_QUERY_DEADLINE"], "INNOGRAPH_QUERY_DEADLINE"
            )
        if env.get("INNOGRAPH_NEO4J_PAGECACHE"):
            values["neo4j_pagecache"] = env["INNOGRAPH_NEO4J_PAGECACHE"]
        values.update(_limits(env))
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "data_dir" in values:
            values["data_dir"] = Path(str(values["data_dir"]))
        return replace(cls(), **values)  # type: ignore[arg-type]

    @property
    def local(self) -> bool:
        """True when innograph runs its own Neo4j (no ``NEO4J_URI`` given)."""
        return self.neo4j_uri is None

    @property
    def neo4j_home(self) -> Path:
        return self.data_dir / "neo4j"

    @property
    def keys_file(self) -> Path:
        return self.api_keys_file or self.data_dir / "api-keys.toml"

    @property
    def bolt_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.bolt_port}"
