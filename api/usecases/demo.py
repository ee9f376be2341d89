"""The demo: Neo4j ready, the synthetic ecosystem written and loaded with the real rows, and
the plan's targets read from the plan text by the extractor (for the ledger)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from api.settings import Settings
from api.usecases.events import NO_EVENTS, Events
from api.usecases.load import LoadRun, load_sources
from api.usecases.prepare import prepare
from graph.driver import open_driver
from graph.extract_writer import begin_document
from graph.extracts import EXTRACTOR, document_records
from graph.writer import Writer
from loaders.demo import DEMO_SEED, DemoSize, demo_plan, write_demo
from loaders.sources import DEFAULT_SOURCES, read_sources
from loaders.textfile import read_text
from nlp.quantities import extract_quantities

__all__ = ["DemoRun", "run_demo", "write_plan_targets"]


@dataclass(frozen=True, slots=True)
class DemoRun:
    files: dict[str, int]  # rows written per demo file
    load: LoadRun
    targets: int | None  # the plan's targets written; None: no plan text
    seconds: float


def run_demo(
    settings: Settings,
    *,
    size: DemoSize | None = None,
    seed: int = DEMO_SEED,
    events: Events = NO_EVENTS,
) -> DemoRun:
    """Prepare the database, write the demo files (of ``size``, from ``seed``) into
    ``<data dir>/demo``, load every declared source (a failing one is reported, the rest go
    on; a list written in parts is loaded part by part) and the plan's targets."""
    t0 = time.monotonic()
    prepare(settings, events)
    out_dir = settings.data_dir / "demo"
    files = write_demo(out_dir, seed=seed, size=size)
    events.on_message(
        f"demo files (synthetic) written to {out_dir}: "
        + ", ".join(f"{k} {v:,}" for k, v in files.items())
    )
    specs = read_sources(DEFAULT_SOURCES, settings.data_dir)
    load = load_sources(settings, specs, events=events)
    targets = write_plan_targets(settings, demo_plan("en"), events)
    return DemoRun(files, load, targets, time.monotonic() - t0)


def write_plan_targets(settings: Settings, plan: Path, events: Events = NO_EVENTS) -> int | None:
    """The plan's Document and its targets, read by the extractor; None (and a warning) when
    there is no plan text: the ledger then starts empty."""
    if not plan.exists():
        events.on_warning(f"no plan text at {plan}: the ledger starts empty")
        return None
    text = read_text(plan)
    nodes, rels = document_records(plan.name, text, extract_quantities(text), "en")
    with open_driver(settings) as driver:
        writer = Writer(driver, settings.neo4j_database)
        # a changed plan replaces the targets of its earlier text; the same text writes nothing
        if begin_document(writer, plan.name, str(nodes[0].props["sha256"]), (EXTRACTOR,)):
            writer.write(nodes, rels)
    events.on_message(f"plan targets: {len(nodes) - 1} read from {plan.name}")
    return len(nodes) - 1
