"""The intruder's doubling fragments over real HTTP: refused at once, /healthz answers."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from api.app import create_app
from api.graphql.documents import MAX_DOCUMENT_BYTES
from api.settings import Settings
from tests.http_server import serving
from tests.test_query_limits import doubling

pytestmark = pytest.mark.neo4j


def test_doubling_fragments_are_refused_over_http_and_health_answers(settings: Settings) -> None:
    with serving(create_app(settings)) as base:
        assert httpx.get(f"{base}/healthz", timeout=30).status_code == 200
        health: list[float] = []

        def probe() -> None:  # bounded: a few probes while the attacks are sent
            for _ in range(10):
                start = time.perf_counter()
                assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200
                health.append(time.perf_counter() - start)

        prober = threading.Thread(target=probe)
        prober.start()
        for n in (22, 30, 22, 30):
            start = time.perf_counter()
            reply = httpx.post(f"{base}/graphql", json={"query": doubling(n)}, timeout=10)
            elapsed = time.perf_counter() - start
            assert reply.status_code == 200 and "data" not in reply.json()
            assert "over the limit of" in reply.json()["errors"][0]["message"]
            assert elapsed < 0.5, (n, elapsed)
        # a comment padded past the size limit is refused before parsing, at once
        padded = "{ __typename } #" + "x" * (2 * MAX_DOCUMENT_BYTES)
        start = time.perf_counter()
        reply = httpx.post(f"{base}/graphql", json={"query": padded}, timeout=10)
        assert "bytes" in reply.json()["errors"][0]["message"]
        assert time.perf_counter() - start < 0.5
        prober.join(30)
        assert len(health) == 10 and max(health) < 1.0, health
