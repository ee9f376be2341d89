"""Entity resolution: one registry organisation per real organisation, across all sources.

Order of evidence: the USCC; then the exact name or a known alias/former name; then the
normalised name (width, brackets, spaces, legal-form suffixes); then rapidfuzz similarity
of normalised names for mentions without a USCC. A similarity of ``MERGE_AT`` or more
merges; ``REVIEW_AT`` up to ``MERGE_AT`` creates a new organisation and reports the pair
for review instead of merging. Two different USCCs are never merged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from loaders.normalize import clean_text, name_key
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


@dataclass(slots=True)
class KnownOrg:
    id: str
    name: str
    kind: OrgKind
    uscc: str | None = None
    names: set[str] = field(default_factory=set)  # every name it has been listed under
    former_names: set[str] = field(default_factory=set)
    name_en: str | None = None
    # As the graph already has them: kept so that a later source does not flip them.
    region: str | None = None
    synthetic: bool | None = None


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
    def __init__(self, known: Iterable[KnownOrg] = ()) -> None:
        self.orgs: dict[str, KnownOrg] = {}
        self._by_uscc: dict[str, str] = {}
        self._by_name: dict[str, str] = {}  # cleaned name -> id
        self._by_key: dict[str, str] = {}  # normalised name -> id
        self.reviews: list[ReviewPair] = []
        self.successors: set[tuple[str, str]] = set()  # (new id, former org id)
        self.merged = 0  # mentions folded into an organisation by name or similarity
        for org in known:
            self._register(org)

    def _register(self, org: KnownOrg) -> None:
        self.orgs[org.id] = org
        if org.uscc:
            self._by_uscc.setdefault(org.uscc, org.id)
        for name in {org.name, *org.names, *org.former_names}:
            self._index_name(name, org.id)

    def _index_name(self, name: str, ident: str) -> None:
        self._by_name.setdefault(clean_text(name), ident)
        key = name_key(name)
        if key:
            self._by_key.setdefault(key, ident)

    def _find(self, m: OrgMention) -> Resolution | None:
        if m.uscc and m.uscc in self._by_uscc:
            return Resolution(self._by_uscc[m.uscc], "uscc", 100.0, False)
        name = clean_text(m.name)
        for method, ident in (
            ("exact", self._by_name.get(name)),
            ("normalized", self._by_key.get(name_key(name))),
        ):
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
        if found is None and not m.uscc and self._by_key:
            key = name_key(m.name)
            hit = process.extractOne(
                key, self._by_key.keys(), scorer=fuzz.ratio, score_cutoff=REVIEW_AT
            )
            if hit:
                candidate, score, _ = hit
                ident = self._by_key[candidate]
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
        self._absorb(self.orgs[found.id], m)
        return found

    def _absorb(self, org: KnownOrg, m: OrgMention) -> None:
        name = clean_text(m.name)
        org.names.add(name)
        self._index_name(name, org.id)
        if m.uscc and not org.uscc:
            org.uscc = m.uscc
            self._by_uscc.setdefault(m.uscc, org.id)
        if m.name_en and not org.name_en:
            org.name_en = m.name_en
            self._index_name(m.name_en, org.id)
        if m.uscc and org.kind is not OrgKind.FIRM and m.kind is OrgKind.FIRM:
            org.kind = OrgKind.FIRM
        for former in m.former_names:
            other = self._by_name.get(clean_text(former)) or self._by_key.get(name_key(former))
            if other and other != org.id:
                self.successors.add((org.id, other))  # the renamed organisation had its own entry
            else:
                org.former_names.add(clean_text(former))
                self._index_name(former, org.id)
