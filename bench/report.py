"""What every benchmark shares: a free loopback port, and printing/saving its figures."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

__all__ = ["emit", "free_port"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def emit(results: dict[str, Any], path: Path | None) -> None:
    """Print the figures as JSON, and write them to ``path`` when given."""
    text = json.dumps(results, indent=1)
    print(text)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
