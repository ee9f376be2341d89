"""The use cases' events shown with rich (status line, progress bars, messages), and the
load summary table."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.status import Status
from rich.table import Table
from rich.text import Text

from api.usecases.events import Events
from graph.ingest import LoadReport

__all__ = ["RichEvents", "error_line", "load_summary"]


def error_line(message: str) -> Text:
    return Text.assemble(("error:", "red"), f" {message}")


class RichEvents:
    """``with RichEvents(console) as events:`` run a use case with ``events``; whatever is
    live (status, bars) is stopped on the way out, also when the use case fails.

    ``bars``: show progress bars (the load's per source, the extraction's over bytes)."""

    def __init__(self, console: Console, *, bars: bool = True) -> None:
        self.console = console
        self.bars = bars
        self._status: Status | None = None
        self._progress: Progress | None = None
        self._tasks: dict[str, tuple[TaskID, float]] = {}
        self._bytes: TaskID | None = None

    def __enter__(self) -> Events:
        return Events(
            on_message=self.message,
            on_warning=self.warning,
            on_status=self.status,
            on_status_end=self.status_end,
            on_load_start=self.load_start,
            on_source_start=self.source_start,
            on_rows=self.rows,
            on_source_done=self.source_done,
            on_source_failed=self.source_failed,
            on_load_end=self.stop_progress,
            on_bytes=self.bytes_read,
            on_file_failed=self.file_failed,
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.status_end()
        self.stop_progress()

    def message(self, text: str) -> None:
        self.console.print(text, markup=False)

    def warning(self, text: str) -> None:
        self.console.print(text, style="yellow", markup=False)

    def status(self, text: str) -> None:
        if self._status is None:
            self._status = self.console.status(text, spinner="dots")
            self._status.start()
        else:
            self._status.update(text)

    def status_end(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def _start_progress(self, *columns: ProgressColumn) -> Progress:
        self.stop_progress()
        self._progress = Progress(*columns, console=self.console, disable=not self.bars)
        self._progress.start()
        return self._progress

    def stop_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._tasks.clear()
            self._bytes = None

    def load_start(self) -> None:
        self._start_progress(
            TextColumn("{task.description:<36}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
        )

    def source_start(self, name: str) -> None:
        if self._progress is not None:
            task = self._progress.add_task(name, total=None, rate="")
            self._tasks[name] = (task, time.monotonic())

    def rows(self, name: str, done: int, total: int) -> None:
        if self._progress is not None and name in self._tasks:
            task, t0 = self._tasks[name]
            rate = done / max(time.monotonic() - t0, 1e-6)
            # total 0: a streamed load knows it only at the end
            self._progress.update(task, completed=done, total=total or None, rate=f"{rate:,.0f}/s")

    def source_done(self, report: LoadReport) -> None:
        if self._progress is not None and report.skipped and report.source in self._tasks:
            task, _ = self._tasks[report.source]
            description = f"{report.source} (unchanged)"
            self._progress.update(task, total=1, completed=1, description=description)

    def source_failed(self, name: str, message: str) -> None:
        if self._progress is not None and name in self._tasks:
            self._progress.update(self._tasks[name][0], description=f"[red]{name} failed")
        self.console.print(error_line(f"{name}: {message}"))

    def bytes_read(self, done: int, total: int) -> None:
        if self._bytes is None:
            progress = self._start_progress(
                TextColumn("{task.description:<40}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
            )
            self._bytes = progress.add_task("extracting", total=total)
        if self._progress is not None:
            self._progress.update(self._bytes, completed=done)

    def file_failed(self, path: str, message: str) -> None:
        self.console.print(error_line(message))


def load_summary(console: Console, reports: list[LoadReport]) -> None:
    """The table of what each source loaded, then where its rejects and review pairs are."""
    table = Table(title="load summary")
    cols = ("source", "rows", "ok", "rejected", "rejects", "created", "updated", "merged")
    for col in (*cols, "review", "overlaps", "s"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for r in reports:
        table.add_row(
            r.source + (" (unchanged, skipped)" if r.skipped else ""),
            f"{r.rows:,}",
            f"{r.rows_ok:,}",
            f"{r.rows_rejected:,}",
            f"{r.rejects:,}",
            f"{r.counts.nodes_created + r.counts.rels_created:,}",
            f"{r.counts.nodes_updated + r.counts.rels_updated:,}",
            f"{r.merged:,}",
            f"{r.review:,}",
            f"{r.overlaps:,}",
            f"{r.seconds:.1f}",
        )
    console.print(table)
    for r in reports:
        if r.rejects_file:
            console.print(f"  {r.source}: {r.rejects} rejects in {r.rejects_file}")
        if r.flags_file:
            console.print(
                f"  {r.source}: {r.flagged} cells begin like a formula, see {r.flags_file}"
            )
        if r.review_file:
            console.print(f"  {r.source}: {r.review} name pairs to review in {r.review_file}")
        if r.overlaps_file:
            console.print(
                f"  {r.source}: {r.overlaps} overlapping certificates of one kind for one "
                f"organisation (both kept), see {r.overlaps_file}"
            )
        if r.unmapped:
            console.print(f"  {r.source}: columns not used: {', '.join(r.unmapped)}")
