"""How the writer plans its batches (no database): which may run at once, and in what order."""

from graph.model import Label, RelType
from graph.records import NodeRef, RelRecord
from graph.writer import Writer
from loaders.provenance import Provenance


def _located(start: str, end: str) -> RelRecord:
    return RelRecord(
        RelType.LOCATED_IN,
        NodeRef(Label.ORGANIZATION, start),
        NodeRef(Label.AREA, end),
        {},
        Provenance("t", "loader:test", row=1),
    )


def test_hub_edges_are_dealt_round_robin_and_ordered_by_hub_within_a_batch() -> None:
    ends = ["fengxi"] * 7 + ["qinhan"] * 5 + ["konggang"] * 2
    rels = [_located(f"o{i}", end) for i, end in enumerate(ends)]
    chunks, parallel = Writer(None, batch_size=3)._hub_chunks(rels)  # type: ignore[arg-type]
    assert parallel
    starts = [r.start.key for c in chunks for r in c]
    assert sorted(starts, key=lambda k: int(k[1:])) == [f"o{i}" for i in range(len(ends))]
    # neighbouring full batches end on different hubs; remainders share the last batch
    assert [[r.end.key for r in c] for c in chunks] == [
        ["fengxi"] * 3,
        ["qinhan"] * 3,
        ["konggang"] * 2,
        ["fengxi"] * 3,
        ["fengxi", "qinhan", "qinhan"],
    ]


def test_hub_edges_sharing_a_start_node_run_one_batch_at_a_time() -> None:
    rels = [_located("o1", "fengxi"), _located("o1", "qinhan"), _located("o2", "qinhan")]
    chunks, parallel = Writer(None, batch_size=2)._hub_chunks(rels)  # type: ignore[arg-type]
    assert not parallel and [len(c) for c in chunks] == [2, 1]
