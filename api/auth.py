"""Bearer API keys with roles, kept (hashed) in a file outside the code.

The keys file (``<data dir>/api-keys.toml``, mode 600) holds one ``[[key]]`` table per key:
its name, role, the SHA-256 of its token, when it was created and, once revoked, when.
Nothing is removed: a revoked key stays listed (the audit trail names keys), it just stops
working. ``innograph api-key`` writes the file (under a lock, whole, by atomic rename); a
running server sees each change at its next request: :class:`ApiKeys` compares the file's
identity (inode, size, modification and change times) with what it last read, which costs
one ``stat``, and reads the file again when it differs.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import re
import secrets
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from api.errors import ApiError, AuthError

__all__ = [
    "ANONYMOUS",
    "ApiKeys",
    "KeyEntry",
    "Principal",
    "Role",
    "add_key",
    "read_keys",
    "revoke_keys",
]

log = logging.getLogger("innograph.auth")

# What a client is told when the keys file cannot be read (the server's log says why).
KEYS_UNREADABLE = "API keys cannot be checked right now; try again later"


class Role(StrEnum):
    BUREAU = "bureau"  # may write
    ANALYST = "analyst"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    role: Role


ANONYMOUS = Principal("anonymous", Role.PUBLIC)


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One key of the file: never its token, only the token's hash."""

    name: str
    role: Role
    sha256: str
    created: str | None = None  # ISO 8601, UTC; None for keys made before it was recorded
    revoked: str | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _parse(path: Path) -> list[KeyEntry]:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        return [
            KeyEntry(
                name=str(k["name"]),
                role=Role(k["role"]),
                sha256=str(k["sha256"]),
                created=str(k["created"]) if "created" in k else None,
                revoked=str(k["revoked"]) if "revoked" in k else None,
            )
            for k in doc.get("key", [])
        ]
    except (tomllib.TOMLDecodeError, KeyError, ValueError, TypeError, UnicodeDecodeError) as e:
        raise AuthError(
            f"{path}: not a valid keys file ({e}); recreate it with `innograph api-key`"
        ) from e


def read_keys(path: Path) -> list[KeyEntry]:
    """Every key of the file, revoked ones included, in the order they were made."""
    return _parse(path) if path.exists() else []


def _toml(entries: list[KeyEntry]) -> str:
    # names are [\w.@-] and roles, hashes and times plain: nothing in them needs escaping
    out = ["# innograph API keys: hashes only (`innograph api-key --list` shows them)\n"]
    for k in entries:
        out.append(f'\n[[key]]\nname = "{k.name}"\nrole = "{k.role}"\nsha256 = "{k.sha256}"\n')
        if k.created:
            out.append(f'created = "{k.created}"\n')
        if k.revoked:
            out.append(f'revoked = "{k.revoked}"\n')
    return "".join(out)


def _signature(path: Path) -> tuple[int, int, int, int] | None:
    """What tells one version of the file from another, without reading it (None: no file)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer of the keys file at a time (a lock file beside it, mode 600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _write(path: Path, entries: list[KeyEntry]) -> None:
    """The whole file, replaced atomically: a reader sees the old version or the new one."""
    before = _signature(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(_toml(entries))
        f.flush()
        os.fsync(f.fileno())
    after = _signature(tmp)
    if before is not None and after is not None and after[1:3] == before[1:3]:
        # same size and time within the clock's tick: move the time on, so that a server
        # comparing signatures cannot mistake this version for the last (inodes are reused)
        os.utime(tmp, ns=(after[2], before[2] + 1_000_000))
    os.replace(tmp, path)


def add_key(path: Path, name: str, role: Role) -> str:
    """Create a key for ``name`` with ``role``; only its hash is stored. Returns the token."""
    if not re.fullmatch(r"[\w.@-]{1,64}", name):
        raise ApiError(f"key name {name!r}: use letters, digits and . _ @ - (at most 64)")
    token = "ig_" + secrets.token_urlsafe(32)
    with _locked(path):
        entries = read_keys(path)
        _write(path, [*entries, KeyEntry(name, Role(role), _digest(token), created=_now())])
    return token


def revoke_keys(path: Path, name: str) -> list[KeyEntry]:
    """Revoke every key of ``name`` still in force (kept in the file, marked revoked); the
    keys revoked. Refused when ``name`` has none."""
    with _locked(path):
        entries = read_keys(path)
        when = _now()
        revoked = [k for k in entries if k.name == name and k.revoked is None]
        if not revoked:
            held = sorted({k.name for k in entries if k.revoked is None})
            names = ", ".join(held) if held else "none"
            raise ApiError(
                f"no key of {name!r} is in force (keys in force: {names}); "
                "`innograph api-key --list` shows every key"
            )
        _write(
            path,
            [replace(k, revoked=when) if k in revoked else k for k in entries],
        )
    return [replace(k, revoked=when) for k in revoked]


class ApiKeys:
    """The keys a server checks, re-read whenever the keys file changes: a key made or revoked
    with `innograph api-key` works, or stops working, at the next request, in every worker.

    Checking costs one ``stat`` of the file; a new version is parsed once (under a lock, so
    concurrent requests do not parse it twice) and swapped in whole. A file that turns
    unreadable while the server runs refuses every key (fail closed) until it is fixed."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        # (the file's signature, its keys by digest; None: unreadable)
        self._state: tuple[tuple[int, int, int, int] | None, dict[str, KeyEntry] | None] = (
            None,
            {},
        )

    @classmethod
    def load(cls, path: Path) -> ApiKeys:
        """The keys of ``path``; a file that cannot be read is an error now, at start-up."""
        keys = cls(path)
        keys._state = (_signature(path), {k.sha256: k for k in read_keys(path)})
        return keys

    def _keys(self) -> dict[str, KeyEntry] | None:
        if self.path is None:
            return self._state[1]
        signature = _signature(self.path)
        seen, keys = self._state
        if signature == seen:
            return keys
        with self._lock:
            seen, keys = self._state
            if signature != seen:
                try:
                    entries = read_keys(self.path)
                    keys = {k.sha256: k for k in entries}
                    log.info("keys file %s read again: %d keys", self.path, len(entries))
                except (AuthError, OSError) as e:
                    log.error("keys file unreadable, every key refused: %s", e)
                    keys = None
                self._state = (signature, keys)
        return keys

    def principal(self, authorization: str | None) -> Principal:
        """Who the Authorization header names; anonymous (public) when there is none."""
        if not authorization:
            return ANONYMOUS
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("Authorization must be 'Bearer <API key>'")
        keys = self._keys()
        if keys is None:
            raise AuthError(KEYS_UNREADABLE)
        found = keys.get(_digest(token.strip()))
        if found is None:
            raise AuthError("unknown API key")
        if found.revoked is not None:
            raise AuthError(f"this API key was revoked ({found.revoked}); ask for a new one")
        return Principal(found.name, found.role)
