"""Sources declared as data: a TOML file with one ``[[source]]`` table per source."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from loaders.errors import SourceConfigError
from loaders.formats import Format
from loaders.kinds import KINDS
from loaders.parts import existing_parts, part_path

__all__ = ["DEFAULT_SOURCES", "SourceSpec", "read_sources"]

DEFAULT_SOURCES = Path(__file__).with_name("sources.toml")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One source: where it is, what kind of list it holds, and how its columns read."""

    name: str
    kind: str
    uri: str
    format: Format | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # header in the file -> field
    defaults: Mapping[str, str] = field(default_factory=dict)  # issuer, level, batch, ...
    synthetic: bool = False
    description: str = ""
    parts: bool = False  # the list may come in numbered parts: see read_sources
    declared_as: str = ""  # a part's source as declared (its name less ".part-k")

    @property
    def is_remote(self) -> bool:
        return self.uri.startswith(("http://", "https://"))


def _spec(raw: Mapping[str, Any], where: str, base: Path, data_dir: Path) -> SourceSpec:
    name = str(raw.get("name", ""))
    if not _NAME.match(name):
        raise SourceConfigError(f"{where}: name {name!r} must be lower-case letters, digits, . _ -")
    kind = str(raw.get("kind", ""))
    if kind not in KINDS:
        raise SourceConfigError(f"{where} ({name}): kind {kind!r} is not one of {', '.join(KINDS)}")
    uri = str(raw.get("uri", "")).replace("{data_dir}", str(data_dir.resolve()))
    if not uri:
        raise SourceConfigError(f"{where} ({name}): uri is missing")
    if not uri.startswith(("http://", "https://")):
        path = Path(uri)
        uri = str(path if path.is_absolute() else (base / path).resolve())
    fmt = raw.get("format")
    try:
        fmt_value = Format(fmt) if fmt else None
    except ValueError as e:
        raise SourceConfigError(
            f"{where} ({name}): format {fmt!r} is not one of {', '.join(Format)}"
        ) from e
    unknown = set(raw) - {
        "name",
        "kind",
        "uri",
        "format",
        "columns",
        "defaults",
        "synthetic",
        "description",
        "parts",
    }
    if unknown:
        raise SourceConfigError(f"{where} ({name}): unknown keys {sorted(unknown)}")
    return SourceSpec(
        name=name,
        kind=kind,
        uri=uri,
        format=fmt_value,
        columns={str(k): str(v) for k, v in dict(raw.get("columns", {})).items()},
        defaults={str(k): str(v) for k, v in dict(raw.get("defaults", {})).items()},
        synthetic=bool(raw.get("synthetic", False)),
        description=str(raw.get("description", "")),
        parts=bool(raw.get("parts", False)),
    )


def _parts(spec: SourceSpec, where: str) -> list[SourceSpec]:
    """A source declared with ``parts = true`` whose file is not there but whose parts
    ``NAME-1.ext``, ``NAME-2.ext``, ... are: one source per part, ``<name>.part-<k>``, so
    each fact's provenance names its file and row (and an unchanged part is skipped)."""
    if not spec.parts or spec.is_remote:
        return [spec]
    path = Path(spec.uri)
    parts = existing_parts(path)
    if not parts:
        return [spec]
    if path.exists():
        raise SourceConfigError(
            f"{where} ({spec.name}): both {path.name} and its parts {parts[0].name}.. exist; "
            "remove the one that is out of date"
        )
    return [
        replace(
            spec,
            name=f"{spec.name}.part-{k}",
            uri=str(part_path(path, k)),
            description=f"{spec.description} (part {k} of {len(parts)})".lstrip(),
            declared_as=spec.name,
        )
        for k in range(1, len(parts) + 1)
    ]


def read_sources(path: Path, data_dir: Path) -> list[SourceSpec]:
    """Every source of ``path``; relative local URIs are relative to the file's folder.
    A source declared with ``parts = true`` reads as its parts when its list was split."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise SourceConfigError(f"{path}: cannot be read ({e.strerror})") from e
    except tomllib.TOMLDecodeError as e:
        raise SourceConfigError(f"{path}: not valid TOML: {e}") from e
    specs = [
        part
        for i, raw in enumerate(doc.get("source", []), 1)
        for part in _parts(
            _spec(raw, f"{path} [[source]] #{i}", path.parent, data_dir),
            f"{path} [[source]] #{i}",
        )
    ]
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise SourceConfigError(f"{path}: source name {spec.name!r} is declared twice")
        seen.add(spec.name)
    return specs
