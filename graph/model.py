"""The fixed vocabulary of the graph: labels, relationship types and node keys.

Cypher text is only ever built from these enumerations; every value is a parameter.
"""

from __future__ import annotations

import functools
from enum import StrEnum

from graph.errors import WhitelistError

__all__ = ["KEYS", "ORG_KINDS", "Label", "RelType", "check_property", "key_of"]


class Label(StrEnum):
    ORGANIZATION = "Organization"
    FIRM = "Firm"
    RD_INSTITUTION = "RDInstitution"
    UNIVERSITY = "University"
    SOCIETY = "Society"
    AGENCY = "Agency"
    RECOGNITION = "Recognition"
    CONSORTIUM = "Consortium"
    GROUP_STANDARD = "GroupStandard"
    TECHNOLOGY = "Technology"
    AREA = "Area"
    DOCUMENT = "Document"
    TARGET = "Target"
    SOURCE = "Source"
    REPORTED_FIGURE = "ReportedFigure"
    AUDIT_ENTRY = "AuditEntry"
    TALLY = "Tally"  # a maintained count cell (graph.tally)
    TALLY_BUCKET = "TallyBucket"
    REVIEW_ITEM = "ReviewItem"


class RelType(StrEnum):
    HOLDS = "HOLDS"
    MEMBER_OF = "MEMBER_OF"
    ISSUED = "ISSUED"
    DRAFTED = "DRAFTED"
    BROADER = "BROADER"
    WORKS_ON = "WORKS_ON"
    FOCUSES_ON = "FOCUSES_ON"
    COVERS = "COVERS"
    LOCATED_IN = "LOCATED_IN"
    PART_OF = "PART_OF"
    STATED_IN = "STATED_IN"
    MENTIONS = "MENTIONS"
    SUCCESSOR_OF = "SUCCESSOR_OF"
    PARENT_OF = "PARENT_OF"
    MEASURES = "MEASURES"
    SAME_AS = "SAME_AS"


# Organisation kinds are extra labels on :Organization nodes.
ORG_KINDS = frozenset(
    {Label.FIRM, Label.RD_INSTITUTION, Label.UNIVERSITY, Label.SOCIETY, Label.AGENCY}
)

# The key property of each label that is merged on; each is backed by a uniqueness constraint.
KEYS: dict[Label, str] = {
    Label.ORGANIZATION: "id",
    Label.FIRM: "uscc",
    Label.RECOGNITION: "id",
    Label.CONSORTIUM: "id",
    Label.GROUP_STANDARD: "code",
    Label.TECHNOLOGY: "id",
    Label.AREA: "id",
    Label.DOCUMENT: "id",
    Label.TARGET: "id",
    Label.SOURCE: "id",
    Label.REPORTED_FIGURE: "id",
    Label.AUDIT_ENTRY: "id",
    Label.TALLY: "id",
    Label.TALLY_BUCKET: "key",
    Label.REVIEW_ITEM: "id",
}


def key_of(label: Label | str) -> str:
    """The key property of a mergeable label; raises for anything outside the model."""
    if isinstance(label, Label) and label in KEYS:  # every record on the load path
        return KEYS[label]
    try:
        return KEYS[Label(label)]
    except (ValueError, KeyError) as e:
        raise WhitelistError(
            f"{label!r} is not a mergeable label; use one of {', '.join(sorted(KEYS))}"
        ) from e


@functools.cache
def check_property(name: str) -> str:
    """Property names become map keys in parameters, never Cypher text; still, keep them plain."""
    if not name or not (name.replace("_", "a").isalnum() and name.isascii()):
        raise WhitelistError(f"property name {name!r} must be ASCII letters, digits and '_'")
    return name
