"""uvicorn as innograph runs it: the h11 parser with a 64 KiB bound on a request's head
(an 8 MB header is refused after 64 KiB, not buffered), a deadline for the head to arrive
(uvicorn itself has none: its keep-alive timer starts only after a first response), idle
keep-alive connections closed after 5 s, and a cap on connections and tasks (503 above)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.supervisors import Multiprocess

from api.http.guard import MAX_HEADER_BYTES
from api.settings import Settings

__all__ = ["GuardedConfig", "GuardedH11Protocol", "run", "server_config"]

KEEP_ALIVE_S = 5
MAX_CONNECTIONS = 2048  # uvicorn answers 503 above this many connections or tasks
log = logging.getLogger("innograph.http")


class GuardedConfig(uvicorn.Config):
    """uvicorn's config with the deadline for a request's head (picklable for workers)."""

    header_timeout: float = 10.0


class GuardedH11Protocol(H11Protocol):
    """h11 with a deadline for each request's head: a connection that has not sent a whole
    request line and headers within ``header_timeout`` seconds of its first byte (or of
    connecting) is closed."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.header_timeout = getattr(config, "header_timeout", GuardedConfig.header_timeout)
        self._head_timer: asyncio.TimerHandle | None = None

    def _awaiting_head(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._awaiting_head():
            self._arm()
        super().data_received(data)
        if not self._awaiting_head():
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._disarm()  # an idle keep-alive connection is uvicorn's timer's to close
        super().on_response_complete()

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self._awaiting_head() and not self.transport.is_closing():
            log.warning(
                "closed %s: no complete request head within %ss", self.client, self.header_timeout
            )
            self.transport.close()


def server_config(app: Any, settings: Settings, host: str, port: int, **kw: Any) -> GuardedConfig:
    """The config every server of innograph runs with (``app``: an app or an import string)."""
    config = GuardedConfig(
        app,
        host=host,
        port=port,
        http=GuardedH11Protocol,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        timeout_keep_alive=KEEP_ALIVE_S,
        limit_concurrency=MAX_CONNECTIONS,
        **kw,
    )
    config.header_timeout = settings.header_timeout
    return config


def run(app: Any, settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted, as ``uvicorn.run`` does, with :func:`server_config`."""
    extra: dict[str, Any] = {"factory": True, "workers": workers} if workers > 1 else {}
    config = server_config(app, settings, host, port, log_level="info", **extra)
    if workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        uvicorn.Server(config).run()
