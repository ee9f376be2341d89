"""The app served as `innograph serve` serves it (api/http/server.py's config: h11 with its
head deadline and size bound), on a free loopback port, plus raw-socket helpers."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import uvicorn

from api.app import create_app
from api.http.server import server_config
from api.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def edge_settings(data_dir: Path, base: Settings | None = None, **limits: Any) -> Settings:
    """Settings for an edge test: ``base`` (a real Neo4j) or none listening, with ``limits``."""
    start = base or Settings(data_dir=data_dir, bolt_port=free_port())
    return replace(start, api_keys_file=data_dir / "api-keys.toml", **limits)


@contextlib.contextmanager
def serving_hardened(settings: Settings) -> Iterator[int]:
    """Serve ``create_app(settings)`` with the production config; yields the port."""
    port = free_port()
    config = server_config(create_app(settings), settings, "127.0.0.1", port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def connect(port: int, timeout: float = 5.0) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return s


def read_all(s: socket.socket, limit: float = 10.0) -> bytes:
    """Everything the server sends until it closes (or ``limit`` seconds pass)."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/") else 0
