"""Typed, frozen records the writer upserts: one node or one relationship each."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from graph.errors import WhitelistError
from graph.model import ORG_KINDS, Label, RelType, check_property, key_of
from loaders.provenance import Provenance

__all__ = ["NodeRecord", "NodeRef", "RelRecord", "content_hash"]


def content_hash(props: Mapping[str, Any]) -> str:
    """Stable hash of what a record says, so an unchanged re-load writes nothing.

    orjson with sorted keys is canonical for the value types stored (str, int, float, bool,
    date, lists of them) and five times faster than ``repr`` of the sorted items: two hashes
    per record were a fifth of the loader's Python time. Any other type hashes by ``str``.
    """
    data = orjson.dumps(props, default=str, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _present(props: Mapping[str, Any]) -> dict[str, Any]:
    """Values a record states; an absent value never erases what another source said."""
    return {k: v for k, v in props.items() if v is not None}


@dataclass(frozen=True, slots=True)
class NodeRef:
    label: Label
    key: str | int

    def __post_init__(self) -> None:
        key_of(self.label)


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """A node merged on ``label``'s key; ``kinds`` adds organisation kind labels."""

    label: Label
    key: str | int
    props: Mapping[str, Any]
    prov: Provenance
    kinds: frozenset[Label] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        key_of(self.label)
        bad = self.kinds - ORG_KINDS
        if bad or (self.kinds and self.label is not Label.ORGANIZATION):
            raise WhitelistError(f"kind labels {sorted(self.kinds)} only apply to :Organization")
        for name in self.props:
            check_property(name)

    @property
    def ref(self) -> NodeRef:
        return NodeRef(self.label, self.key)

    def row(self) -> dict[str, Any]:
        props = _present(self.props)
        prov = self.prov.as_properties()
        return {
            "key": self.key,
            "props": props,
            "prov": prov,
            "hash": content_hash(props),
            "phash": content_hash(prov),
        }


@dataclass(frozen=True, slots=True)
class RelRecord:
    """A relationship merged between two existing nodes; ``key`` tells parallel ones apart."""

    type: RelType
    start: NodeRef
    end: NodeRef
    props: Mapping[str, Any]
    prov: Provenance
    key: str | None = None

    def __post_init__(self) -> None:
        RelType(self.type)
        for name in self.props:
            check_property(name)

    def row(self) -> dict[str, Any]:
        props = _present(self.props)
        prov = self.prov.as_properties()
        return {
            "start": self.start.key,
            "end": self.end.key,
            "rkey": self.key,
            "props": props,
            "prov": prov,
            "hash": content_hash(props),
            "phash": content_hash(prov),
        }
