from pathlib import Path

import pytest

from api.settings import Settings
from loaders.errors import SettingsError


def test_defaults_run_a_local_server_under_var() -> None:
    s = Settings.from_env({})
    assert s.local
    assert s.data_dir == Path("var")
    assert s.neo4j_home == Path("var/neo4j")
    assert s.bolt_uri == "bolt://127.0.0.1:7687"


def test_neo4j_uri_selects_an_existing_server() -> None:
    s = Settings.from_env(
        {
            "NEO4J_URI": "neo4j://cluster.example:7687",
            "NEO4J_USER": "app",
            "NEO4J_PASSWORD": "pw",
            "NEO4J_DATABASE": "innograph",
        }
    )
    assert not s.local
    assert s.bolt_uri == "neo4j://cluster.example:7687"
    assert (s.neo4j_user, s.neo4j_password, s.neo4j_database) == ("app", "pw", "innograph")
    assert "pw" not in repr(s)


def test_flags_override_environment() -> None:
    s = Settings.from_env(
        {"INNOGRAPH_DATA_DIR": "/env/dir", "INNOGRAPH_NEO4J_PORT": "7700"}, data_dir="/flag/dir"
    )
    assert s.data_dir == Path("/flag/dir")
    assert s.bolt_port == 7700


@pytest.mark.parametrize("value", ["http", "0", "70000"])
def test_bad_port_names_the_variable_and_value(value: str) -> None:
    with pytest.raises(SettingsError, match=f"INNOGRAPH_NEO4J_PORT={value!r}"):
        Settings.from_env({"INNOGRAPH_NEO4J_PORT": value})
