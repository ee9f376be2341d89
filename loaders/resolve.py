"""Entity resolution: one registry organisation per real organisation, across all sources.

Order of evidence: the USCC; then the exact name or a known alias/former name; then the
normalised name (width, brackets, spaces, legal-form suffixes); then rapidfuzz similarity
of normalised names for mentions without a USCC. A similarity of ``MERGE_AT`` or more
merges; ``REVIEW_AT`` up to ``MERGE_AT`` creates a new organisation and reports the pair
for review instead of merging. Two different USCCs are never merged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from loaders.normalize import clean_text, name_key
from loaders.org_store import Index, KnownOrg, OrgStore
from loaders.records import OrgKind, OrgMention

__all__ = ["MERGE_AT", "REVIEW_AT", "KnownOrg", "Resolution", "Resolver", "ReviewPair", "org_id"]

# Thresholds on rapidfuzz's ratio (0-100) between normalised names. 陕西众森电能科技 vs
# 陕西众森科技 scores 85.7: close enough to ask a person, too far to merge on its own.
MERGE_AT = 95.0
REVIEW_AT = 85.0


def org_id(uscc: str | None, name: str) -> str:
    """Deterministic id: from the USCC when known, else from the normalised name."""
    if uscc:
        return f"org-{uscc}"
    return "org-n" + hashlib.sha1(name_key(name).encode("utf-8")).hexdigest()[:16]


def _name_claims(name: str) -> Iterator[tuple[Index, str]]:
    """The index entries a name makes: its cleaned form, and its normalised key if any."""
    yield "name", clean_text(name)
    if key := name_key(name):
        yield "key", key


def _claims(org: KnownOrg) -> Iterator[tuple[Index, str]]:
    """Every index entry a newly known organisation makes, in the order they are claimed."""
    if org.uscc:
        yield "uscc", org.uscc
    for name in {org.name, *org.names, *org.former_names}:
        yield from _name_claims(name)


@dataclass(frozen=True, slots=True)
class Resolution:
    id: str
    method: str  # uscc | exact | alias | normalized | fuzzy | new
    score: float
    created: bool


@dataclass(frozen=True, slots=True)
class ReviewPair:
    name: str
    id: str
    candidate_name: str
    candidate_id: str
    score: float
    source: str
    row: int | None


class Resolver:
    """Resolves mentions against what it knows (``known``: the registry's organisations),
    learning each new one. Its organisations and names live in an :class:`OrgStore`, so its
    memory stays bounded however many it knows."""

    def __init__(self, known: Iterable[KnownOrg] = ()) -> None:
        self.orgs = OrgStore()
        self.reviews: list[ReviewPair] = []
        self.successors: set[tuple[str, str]] = set()  # (new id, former org id)
        self.merged = 0  # mentions folded into an organisation by name or similarity
        pending: dict[Index, list[tuple[str, str]]] = {"uscc": [], "name": [], "key": []}
        for org in self.orgs.add_many(known):
            for index, k in _claims(org):
                pending[index].append((k, org.id))
            if len(pending["name"]) >= 20_000:
                self._claim_pending(pending)
        self._claim_pending(pending)

    def _claim_pending(self, pending: dict[Index, list[tuple[str, str]]]) -> None:
        for index, pairs in pending.items():
            self.orgs.claim_many(index, pairs)
            pairs.clear()

    def _register(self, org: KnownOrg) -> None:
        self.orgs.add(org)
        for index, k in _claims(org):
            self.orgs.claim(index, k, org.id)

    def _index_name(self, name: str, ident: str) -> None:
        for index, k in _name_claims(name):
            self.orgs.claim(index, k, ident)

    def _find(self, m: OrgMention) -> Resolution | None:
        if m.uscc and (ident := self.orgs.find("uscc", m.uscc)):
            return Resolution(ident, "uscc", 100.0, False)
        name = clean_text(m.name)
        tries: tuple[tuple[str, Index, str], ...] = (
            ("exact", "name", name),
            ("normalized", "key", name_key(name)),
        )
        for method, index, k in tries:
            ident = self.orgs.find(index, k)
            if ident and self._compatible(m, ident):
                return Resolution(ident, method, 100.0, False)
        return None

    def _compatible(self, m: OrgMention, ident: str) -> bool:
        other = self.orgs[ident].uscc
        return not (m.uscc and other and other != m.uscc)

    def resolve(self, m: OrgMention) -> Resolution:
        """The organisation ``m`` names, registering what it adds (names, USCC)."""
        found = self._find(m)
        review: tuple[str, float] | None = None
        if found is None and not m.uscc and self.orgs.has_keys():
            key = name_key(m.name)
            hit = self.orgs.most_similar(key, REVIEW_AT)
            if hit:
                candidate, score = hit
                ident = self.orgs.find("key", candidate)
                assert ident is not None  # every similarity key is claimed
                if score >= MERGE_AT:
                    found = Resolution(ident, "fuzzy", float(score), False)
                else:
                    review = (ident, float(score))
        if found is None:
            ident = org_id(m.uscc, m.name)
            if ident in self.orgs:  # same normalised name, but a USCC conflict elsewhere
                ident = org_id(m.uscc or None, f"{m.name}#{len(self.orgs)}")
            self._register(
                KnownOrg(ident, clean_text(m.name), m.kind, m.uscc, {clean_text(m.name)})
            )
            found = Resolution(ident, "new", 100.0, True)
            if review:
                cand = self.orgs[review[0]]
                self.reviews.append(
                    ReviewPair(
                        m.name, ident, cand.name, cand.id, review[1], m.prov.source, m.prov.row
                    )
                )
        else:
            self.merged += found.method in ("normalized", "fuzzy")
        org = self.orgs[found.id]
        self._absorb(org, m)
        self.orgs.put(org)
        return found

    def _absorb(self, org: KnownOrg, m: OrgMention) -> None:
        name = clean_text(m.name)
        org.names.add(name)
        self._index_name(name, org.id)
        if m.uscc and not org.uscc:
            org.uscc = m.uscc
            self.orgs.claim("uscc", m.uscc, org.id)
        if m.name_en and not org.name_en:
            org.name_en = m.name_en
            self._index_name(m.name_en, org.id)
        if m.uscc and org.kind is not OrgKind.FIRM and m.kind is OrgKind.FIRM:
            org.kind = OrgKind.FIRM
        for former in m.former_names:
            other = self.orgs.find("name", clean_text(former)) or self.orgs.find(
                "key", name_key(former)
            )
            if other and other != org.id:
                self.successors.add((org.id, other))  # the renamed organisation had its own entry
            else:
                org.former_names.add(clean_text(former))
                self._index_name(former, org.id)
