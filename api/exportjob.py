"""The worker that builds a large download in its own process.

Building 200k cells takes seconds of pure-Python work (json, checks, openpyxl); in a thread
of the server it still stalls the event loop for hundreds of milliseconds at a time, because
the build holds the GIL. A child process has its own interpreter, so the server stays free.

Protocol, so the parent needs no shared state. A posted table: the raw request body arrives
on stdin and ``argv[1]`` names the format; stdout carries one JSON line (``{"stem": ...}``
or ``{"error": ...}``) and then, on success, the file's bytes. A query export's XLSX
(``argv[1]`` ``stream-xlsx``, ``argv[2]`` the file to write): stdin carries one JSON line
``{"meta": ..., "headings": [...]}`` and then one JSON line per page (a list of rows); the
workbook is written in write-only mode, so memory stays that of one page; stdout carries
``{"rows": n}`` or ``{"error": ...}``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any, BinaryIO

from openpyxl import Workbook

from api.errors import ExportError
from api.exportstream import Meta, xlsx_cells, xlsx_head
from api.exporttable import build

__all__ = ["answer", "main", "spawn", "stream_xlsx"]


async def spawn(*args: str) -> asyncio.subprocess.Process:
    """Start the worker (``python -m api.exportjob *args``) with stdin, stdout and stderr
    piped: the one way both export paths (api/exports.py, api/exportrun.py) start it."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "api.exportjob",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


def answer(
    child: asyncio.subprocess.Process, out: bytes, err: bytes
) -> tuple[dict[str, Any], bytes]:
    """The worker's JSON line and the bytes after it, once it ended. A worker that failed
    (non-zero exit, no line) raises RuntimeError naming its last line of stderr; an
    ``{"error": ...}`` line raises ExportError with it."""
    line, _, rest = out.partition(b"\n")
    if child.returncode != 0 or not line:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"the export worker failed: {last[0]}")
    head = json.loads(line)
    if "error" in head:
        raise ExportError(head["error"])
    return head, rest


def stream_xlsx(source: BinaryIO, path: str) -> int:
    """Write the pages read from ``source`` to the workbook ``path``; the number of rows."""
    head = json.loads(source.readline())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    meta = Meta(**head["meta"])
    wb.properties.title = meta.title
    xlsx_head(ws, meta, head["headings"])
    rows = 0
    for line in source:
        for row in json.loads(line):
            ws.append(xlsx_cells(ws, row))
            rows += 1
    wb.save(path)
    return rows


def main(argv: list[str]) -> int:
    fmt = argv[1] if len(argv) > 1 else ""
    out = sys.stdout.buffer
    if fmt == "stream-xlsx":
        try:
            rows = stream_xlsx(sys.stdin.buffer, argv[2])
        except (ValueError, KeyError, TypeError) as e:
            out.write(json.dumps({"error": f"the export's pages: {e}"}).encode() + b"\n")
            return 0
        out.write(json.dumps({"rows": rows}).encode() + b"\n")
        return 0
    raw = sys.stdin.buffer.read()
    try:
        table, content = build(raw, fmt)
    except (ValueError, ExportError) as e:  # bad JSON, or a bad table
        out.write(json.dumps({"error": str(e)}).encode() + b"\n")
        return 0
    out.write(json.dumps({"stem": table.filename_stem}).encode() + b"\n")
    out.write(content)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
