"""Issue 13.4: a key made or revoked with `innograph api-key` works, or stops working, on the
running server at once, in every worker, with no restart; the CLI lists keys without their
secrets. Against `innograph serve --workers 2` in its own process, over real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.auth import ApiKeys, Role, add_key, read_keys, revoke_keys
from api.errors import ApiError, AuthError
from api.settings import Settings

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[1]
# needs an analyst or bureau key (tests/test_audit_trail.py): the role is read from the key
TRAIL = {"query": "{ auditTrail(first: 1) { totalCount } }"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(settings: Settings, keys: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INNOGRAPH_")}
    env |= {
        "PYTHONPATH": str(ROOT),
        "INNOGRAPH_DATA_DIR": str(settings.data_dir),
        "INNOGRAPH_NEO4J_PORT": str(settings.bolt_port),
        "INNOGRAPH_API_KEYS_FILE": str(keys),
        # these tests judge keys, not the rate limit: a fast machine sends more than the
        # default 50/s of one key (a 429 here says nothing about the key)
        "INNOGRAPH_RATE": "10000",
        "INNOGRAPH_RATE_BURST": "10000",
    }
    return env


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "api-key", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture()
def server(settings: Settings, tmp_path: Path) -> Iterator[tuple[str, dict[str, str], Path]]:
    """`innograph serve --workers 2` in its own process; its base URL, env and keys file."""
    keys = tmp_path / "api-keys.toml"
    env = _env(settings, keys)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "innograph serve did not start"
            time.sleep(0.2)
        yield base, env, keys
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def _ask(base: str, token: str) -> httpx.Response:
    # a new connection each time: the two workers accept connections in turn, so a series
    # of requests reaches both of them
    with httpx.Client(timeout=30) as client:
        return client.post(
            f"{base}/graphql", json=TRAIL, headers={"Authorization": f"Bearer {token}"}
        )


def test_a_key_works_at_once_and_stops_at_once_on_the_running_server(
    server: tuple[str, dict[str, str], Path],
) -> None:
    base, env, keys = server
    made = _cli(env, "carol", "--role", "analyst")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("ig_") and "accepts it at once" in made.stderr + made.stdout
    answers = [_ask(base, token) for _ in range(12)]
    assert [a.status_code for a in answers] == [200] * 12, [a.text for a in answers]
    assert all("errors" not in a.json() for a in answers)

    listed = _cli(env, "--list")
    assert listed.returncode == 0 and "carol" in listed.stdout and "analyst" in listed.stdout
    assert "in force" in listed.stdout
    (entry,) = read_keys(keys)
    assert token not in listed.stdout and entry.sha256 not in listed.stdout  # no secrets
    assert entry.created and entry.created[:4] in listed.stdout

    revoked = _cli(env, "--revoke", "carol")
    assert revoked.returncode == 0, revoked.stderr
    answers = [_ask(base, token) for _ in range(12)]
    assert [a.status_code for a in answers] == [401] * 12
    error = answers[0].json()["errors"][0]
    assert "revoked" in error["message"] and error["extensions"]["code"] == "UNAUTHENTICATED"
    # the revoked key is kept (the audit trail names it), marked revoked
    after = _cli(env, "--list").stdout
    assert "carol" in after and "in force" not in after
    again = _cli(env, "--revoke", "carol")
    assert again.returncode == 1 and "no key of 'carol' is in force" in again.stderr


def test_keys_change_while_requests_run_and_none_is_misjudged(
    server: tuple[str, dict[str, str], Path],
) -> None:
    base, _, keys = server
    stable = add_key(keys, "steady", Role.ANALYST)
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                r = client.post(
                    f"{base}/graphql", json=TRAIL, headers={"Authorization": f"Bearer {stable}"}
                )
                statuses.append(r.status_code)

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(15):  # keys made and revoked beside it, as fast as the CLI would
            token = add_key(keys, f"temp-{i}", Role.BUREAU)
            assert _ask(base, token).status_code == 200
            revoke_keys(keys, f"temp-{i}")
            assert _ask(base, token).status_code == 401
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert len(statuses) > 20 and set(statuses) == {200}


def test_a_keys_file_changed_within_one_clock_tick_is_read_again(tmp_path: Path) -> None:
    keys = tmp_path / "keys.toml"
    checker = ApiKeys.load(keys)
    for i in range(30):  # no pause: several writes fall within the file system's tick
        token = add_key(keys, f"k{i}", Role.ANALYST)
        assert checker.principal(f"Bearer {token}").name == f"k{i}"
        revoke_keys(keys, f"k{i}")
        with pytest.raises(AuthError, match="revoked"):
            checker.principal(f"Bearer {token}")
    assert oct(keys.stat().st_mode & 0o777) == "0o600"


def test_an_unreadable_keys_file_refuses_every_key_until_fixed(tmp_path: Path) -> None:
    keys = tmp_path / "keys.toml"
    token = add_key(keys, "dora", Role.BUREAU)
    checker = ApiKeys.load(keys)
    assert checker.principal(f"Bearer {token}").role is Role.BUREAU
    good = keys.read_text()
    keys.write_text(good + "\n[[key]]\nname = broken")
    with pytest.raises(AuthError, match="cannot be checked"):
        checker.principal(f"Bearer {token}")  # fail closed, the path not shown
    assert checker.principal(None).name == "anonymous"
    keys.write_text(good)
    assert checker.principal(f"Bearer {token}").name == "dora"
    with pytest.raises(AuthError, match="not a valid keys file"):
        ApiKeys.load(_broken(tmp_path))


def _broken(tmp_path: Path) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text("[[key]]\nname = 1\n")
    return path


def test_keys_made_before_dates_were_kept_still_work_and_list(tmp_path: Path) -> None:
    keys = tmp_path / "keys.toml"
    token = add_key(keys, "old.hand", Role.ANALYST)
    (entry,) = read_keys(keys)
    keys.write_text(  # the format of earlier releases: no created line
        f'\n[[key]]\nname = "old.hand"\nrole = "analyst"\nsha256 = "{entry.sha256}"\n'
    )
    assert read_keys(keys)[0].created is None
    assert ApiKeys.load(keys).principal(f"Bearer {token}").name == "old.hand"
    with pytest.raises(ApiError, match=r"keys in force: old\.hand"):
        revoke_keys(keys, "nobody")
