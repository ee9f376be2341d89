"""Bearer API keys with roles, kept (hashed) in a file outside the code."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from api.errors import ApiError, AuthError

__all__ = ["ANONYMOUS", "ApiKeys", "Principal", "Role", "add_key"]


class Role(StrEnum):
    BUREAU = "bureau"  # may write
    ANALYST = "analyst"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    role: Role


ANONYMOUS = Principal("anonymous", Role.PUBLIC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ApiKeys:
    by_digest: dict[str, Principal]

    @classmethod
    def load(cls, path: Path) -> ApiKeys:
        if not path.exists():
            return cls({})
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
            keys = {
                k["sha256"]: Principal(str(k["name"]), Role(k["role"])) for k in doc.get("key", [])
            }
        except (tomllib.TOMLDecodeError, KeyError, ValueError) as e:
            raise AuthError(
                f"{path}: not a valid keys file ({e}); recreate it with `innograph api-key`"
            ) from e
        return cls(keys)

    def principal(self, authorization: str | None) -> Principal:
        """Who the Authorization header names; anonymous (public) when there is none."""
        if not authorization:
            return ANONYMOUS
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("Authorization must be 'Bearer <API key>'")
        found = self.by_digest.get(_digest(token.strip()))
        if found is None:
            raise AuthError("unknown API key")
        return found


def add_key(path: Path, name: str, role: Role) -> str:
    """Create a key for ``name`` with ``role``; only its hash is stored. Returns the token."""
    if not re.fullmatch(r"[\w.@-]{1,64}", name):
        raise ApiError(f"key name {name!r}: use letters, digits and . _ @ - (at most 64)")
    token = "ig_" + secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = f'\n[[key]]\nname = "{name}"\nrole = "{role}"\nsha256 = "{_digest(token)}"\n'
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(entry)
    return token
