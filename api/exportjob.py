"""The worker that builds a large download in its own process.

Building 200k cells takes seconds of pure-Python work (json, checks, openpyxl); in a thread
of the server it still stalls the event loop for hundreds of milliseconds at a time, because
the build holds the GIL. A child process has its own interpreter, so the server stays free.

Protocol, so the parent needs no shared state: the raw request body arrives on stdin and
``argv[1]`` names the format; stdout carries one JSON line (``{"stem": ...}`` or
``{"error": ...}``) and then, on success, the file's bytes.
"""

from __future__ import annotations

import json
import sys

from api.errors import ExportError
from api.exports import build

__all__ = ["main"]


def main(argv: list[str]) -> int:
    fmt = argv[1] if len(argv) > 1 else ""
    raw = sys.stdin.buffer.read()
    out = sys.stdout.buffer
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
