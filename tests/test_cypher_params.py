"""Every Cypher builder returns a complete ``(query, params)``: each ``$param`` in the text is
in the params and each param is used, for every builder of the graph package."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import Any

import pytest

from graph import cypher, documents, edits, loads, merges, reads, registry_names, reviews, tallies
from graph.model import Label, RelType
from graph.reads import counted

D = date(2025, 12, 31)
WHO = {"who": "tester", "role": "bureau", "reason": "test"}
ROW = [{"key": "k", "props": {}, "prov": {}, "hash": "h", "phash": "p"}]
FIGURE = {"indicator": "non_fossil_share", "value": 1.0, "unit": "%", "as_of": D, "source": "s"}

# Each builder with arguments that reach its every branch that changes the text.
CASES: dict[str, list[Callable[[], tuple[str, dict[str, Any]]]]] = {
    "cypher.merge_nodes": [
        lambda: cypher.merge_nodes(Label.ORGANIZATION, ROW, "now", [Label.FIRM])
    ],
    "cypher.merge_rels": [
        lambda: cypher.merge_rels(RelType.HOLDS, Label.ORGANIZATION, Label.RECOGNITION, ROW, "n"),
        lambda: cypher.merge_rels(
            RelType.MEMBER_OF, Label.ORGANIZATION, Label.CONSORTIUM, ROW, "n", keyed=True
        ),
    ],
    "cypher.delete_all": [lambda: cypher.delete_all()],
    "cypher.stats_labels": [lambda: cypher.stats_labels()],
    "cypher.stats_rels": [lambda: cypher.stats_rels()],
    "edits.correct_organization": [lambda: edits.correct_organization("o", {"name": "n"}, **WHO)],
    "merges.merge_organizations": [lambda: merges.merge_organizations("a", "b", **WHO)],
    "merges.undo_merge": [lambda: merges.undo_merge("b", **WHO)],
    "merges.refresh_merges": [lambda: merges.refresh_merges()],
    "merges.standing": [lambda: merges.standing("o")],
    "edits.set_membership": [lambda: edits.set_membership("o", "c", "lead", D, **WHO)],
    "edits.membership_since": [lambda: edits.membership_since("o", "c")],
    "edits.end_membership": [lambda: edits.end_membership("o", "c", D, **WHO)],
    "edits.report_figure": [lambda: edits.report_figure(FIGURE, **WHO)],
    "edits.withdraw_figure": [lambda: edits.withdraw_figure("non_fossil_share||2025-12-31", **WHO)],
    "documents.document_text": [lambda: documents.document_text("plan.txt")],
    "documents.clear_document": [lambda: documents.clear_document("plan.txt")],
    "loads.known_orgs": [lambda: loads.known_orgs("s")],
    "loads.area_ids": [lambda: loads.area_ids()],
    "loads.source_node": [lambda: loads.source_node("s")],
    "loads.sources": [lambda: loads.sources()],
    "loads.overlapping_recognitions": [lambda: loads.overlapping_recognitions(["rec-1"])],
    "registry_names.registry_names": [lambda: registry_names.registry_names()],
    "registry_names.registry_version": [lambda: registry_names.registry_version()],
    "reads.areas": [lambda: reads.areas()],
    "reviews.review_queue": [lambda: reviews.review_queue(offset=0, limit=21)],
    "reviews.review_item": [lambda: reviews.review_item("review-1")],
    "reviews.decide_review": [
        lambda: reviews.decide_review("review-1", "SAME", **WHO),
        lambda: reviews.decide_review("review-1", "DISTINCT", **WHO),
    ],
    "reads.audit_trail": [lambda: reads.audit_trail(entity="o", since=None, offset=0, limit=21)],
    "reads.organization": [
        lambda: reads.organization(id="o", uscc=None, as_of=D),
        lambda: reads.organization(id=None, uscc="u", as_of=D, related=frozenset()),
    ],
    "reads.organizations_page": [
        lambda: reads.organizations_page(offset=0, limit=21, as_of=D),
        lambda: reads.organizations_page(offset=0, limit=21, as_of=D, area="fengdong"),
        lambda: reads.organizations_page(offset=20, limit=21, as_of=D, text="光伏", sort="ID"),
        lambda: reads.organizations_page(offset=7, limit=21, as_of=D, after=["名", "org-1"]),
        lambda: reads.organizations_page(
            offset=7, limit=21, as_of=D, after=["org-1"], sort="ID", descending=True, count=False
        ),
        lambda: reads.organizations_page(
            offset=0, limit=21, as_of=D, recognition="national_hightech", count=False
        ),
    ],
    "reads.search": [lambda: reads.search("光伏", 10)],
    "reads.coverage": [lambda: reads.coverage(as_of=D, area=None, technologies=None)],
    "reads.partners": [lambda: reads.partners(id="o", technology=None, first=10, as_of=D)],
    "reads.grouped_counts": [
        (lambda g=g: reads.grouped_counts(g, as_of=D, kind=None, area=None))  # type: ignore[misc]
        for g in reads.COUNT_GROUPS
    ],
    "reads.ledger": [lambda: reads.ledger(as_of=D, area=None)],
    "reads.grouped_counts_scan": [
        (lambda g=g: reads.grouped_counts_scan(g, as_of=D, kind=None, area=None))  # type: ignore[misc]
        for g in reads.COUNT_GROUPS
    ],
    "reads.coverage_scan": [lambda: reads.coverage_scan(as_of=D, area=None, technologies=None)],
    "counted.grouped_counts": [
        (lambda g=g: counted.grouped_counts(g, as_of=D, kind="national_hightech", area="x"))  # type: ignore[misc]
        for g in counted.COUNTED_GROUP_BY
    ],
    "counted.counted_total": [
        lambda: counted.counted_total("k:national_hightech", as_of=D, area=None, technology=None)
    ],
    "tallies.tally_inputs": [lambda: tallies.tally_inputs(["o"])],
    "tallies.any_counted": [lambda: tallies.any_counted(["o"])],
    "tallies.merge_trees": [lambda: tallies.merge_trees(["o"])],
    "tallies.holders": [lambda: tallies.holders(["r"])],
    "tallies.merged_orgs": [lambda: tallies.merged_orgs()],
    "tallies.missing_tallies": [lambda: tallies.missing_tallies()],
    "tallies.tallied_orgs": [lambda: tallies.tallied_orgs()],
    "tallies.clear_tallies": [(lambda i=i: tallies.clear_tallies(i)) for i in range(3)],  # type: ignore[misc]
    "tallies.apply_tally": [
        lambda: tallies.apply_tally([], [], []),
        lambda: tallies.apply_tally([], [], [], Label.GROUP_STANDARD),
    ],
    "tallies.standard_inputs": [lambda: tallies.standard_inputs(["T/A 1-2020"])],
    "tallies.tallied_standards": [lambda: tallies.tallied_standards()],
    "tallies.mark_rebuild": [
        lambda: tallies.mark_rebuild(True),
        lambda: tallies.mark_rebuild(False),
    ],
    "tallies.missing_standards": [lambda: tallies.missing_standards()],
    "tallies.clear_standards": [(lambda i=i: tallies.clear_standards(i)) for i in range(3)],  # type: ignore[misc]
    "reads.data_until": [lambda: reads.data_until()],
    "reads.expiring_page": [
        lambda: reads.expiring_page(
            as_of=D, until=D, area=None, kind="national_hightech", offset=0, limit=21
        )
    ],
    "reads.flows": [
        lambda: reads.flows(
            periods=[{"period": "2025", "start": D, "end": D}], area=None, kind=None
        )
    ],
    "reads.consortia_to_join": [lambda: reads.consortia_to_join(id="o", as_of=D, first=10)],
    "reads.standard_drafters": [lambda: reads.standard_drafters(id="o", as_of=D, per_technology=5)],
    "reads.dump_page": [lambda: reads.dump_page(Label.ORGANIZATION, after=None, limit=1000)],
    "reads.list_page": [
        (lambda label=label: reads.list_page(label, offset=0, limit=21, as_of=D))  # type: ignore[misc]
        for label in ("Consortium", "GroupStandard", "Technology", "Document")
    ],
    "reads.guarded": [
        lambda: reads.guarded(reads.areas()),
        lambda: reads.guarded(
            reads.ledger(as_of=D, area="fengdong"),
            areas=["fengdong"],
            technologies=["pv"],
            organizations=["o"],
        ),
    ],
    "reads.unknown_keys": [
        lambda: reads.unknown_keys(areas=["a"], technologies=[], organizations=["o"])
    ],
    "reads.near_organizations": [lambda: reads.near_organizations("org-9161")],
    "reads.item_by_key": [
        (lambda label=label: reads.item_by_key(label, "k", as_of=D))  # type: ignore[misc]
        for label in ("Consortium", "GroupStandard", "Technology", "Document")
    ],
}

# `$name` outside string literals (the builders put no `$` inside their literals).
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def _builders(module: ModuleType) -> set[str]:
    """The module's (or package's) public functions whose return annotation is a Query."""
    return {
        f"{module.__name__.split('.')[-1]}.{name}"
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if (fn.__module__ == module.__name__ or fn.__module__.startswith(module.__name__ + "."))
        and not name.startswith("_")
        and "Query" in str(inspect.signature(fn).return_annotation)
    }


def test_every_builder_is_checked() -> None:
    found = set().union(
        *(
            _builders(m)
            for m in (
                cypher,
                documents,
                edits,
                loads,
                merges,
                reads,
                registry_names,
                reviews,
                tallies,
                counted,
            )
        )
    )
    assert found == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_param_in_the_text_is_given_and_each_given_is_used(name: str) -> None:
    for build in CASES[name]:
        text, params = build()
        used = set(_PARAM.findall(text))
        assert used == set(params), (
            f"{name}: missing {used - set(params)}, unused {set(params) - used}"
        )
