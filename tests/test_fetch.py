"""The fetcher against a real HTTP server on 127.0.0.1 started by the test."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from loaders.errors import FetchError
from loaders.fetch import Fetcher
from loaders.formats import read_rows

CSV = "序号,企业名称,统一社会信用代码\n1,陕西甲科技有限公司,91350100M000100Y43\n"
HTML_GBK = "<html><head><meta charset='gbk'></head><body><table><tr><th>序号</th><th>企业名称</th></tr><tr><td>1</td><td>沣西新城甲公司</td></tr></table></body></html>"


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        n = self.hits[self.path]
        if self.path == "/list.csv":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
                self.end_headers()
                return
            body = CSV.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/flaky.csv":
            if n == 1:
                self.send_response(500)
                self.end_headers()
                return
            self._ok(CSV.encode("utf-8"))
        elif self.path == "/down.csv":
            self.send_response(503)
            self.end_headers()
        elif self.path == "/slow.csv":
            time.sleep(1.5)
            self._ok(CSV.encode("utf-8"))
        elif self.path == "/gbk.html":
            body = HTML_GBK.encode("gbk")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=GBK")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/big.csv":
            self._ok(b"x" * 50_000)
        else:
            self.send_response(404)
            self.end_headers()

    def _ok(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def server() -> Iterator[str]:
    Handler.hits = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_conditional_get_serves_an_unchanged_source_from_the_cache(
    server: str, tmp_path: Path
) -> None:
    with Fetcher(tmp_path) as f:
        first = f.fetch(f"{server}/list.csv")
        second = f.fetch(f"{server}/list.csv")
    assert first.status == "downloaded" and second.status == "not-modified"
    assert first.data == second.data == CSV.encode("utf-8")
    assert Handler.hits["/list.csv"] == 2


def test_a_500_then_200_is_retried(server: str, tmp_path: Path) -> None:
    with Fetcher(tmp_path, backoff=0.01) as f:
        got = f.fetch(f"{server}/flaky.csv")
    assert got.attempts == 2 and got.data.startswith("序号".encode())


def test_retries_are_bounded_and_the_error_names_the_uri(server: str, tmp_path: Path) -> None:
    with (
        Fetcher(tmp_path, retries=3, backoff=0.01) as f,
        pytest.raises(FetchError, match=r"down.csv: failed after 3 attempts \(HTTP 503\)"),
    ):
        f.fetch(f"{server}/down.csv")
    assert Handler.hits["/down.csv"] == 3


def test_client_errors_are_not_retried(server: str, tmp_path: Path) -> None:
    with Fetcher(tmp_path, backoff=0.01) as f, pytest.raises(FetchError, match="HTTP 404"):
        f.fetch(f"{server}/missing.csv")
    assert Handler.hits["/missing.csv"] == 1


def test_a_slow_response_times_out(server: str, tmp_path: Path) -> None:
    with (
        Fetcher(tmp_path, timeout=0.3, retries=2, backoff=0.01) as f,
        pytest.raises(FetchError, match="ReadTimeout"),
    ):
        f.fetch(f"{server}/slow.csv")


def test_gbk_pages_reach_the_parsers_as_utf8(server: str, tmp_path: Path) -> None:
    with Fetcher(tmp_path) as f:
        got = f.fetch(f"{server}/gbk.html")
    assert "沣西新城甲公司" in got.data.decode("utf-8")
    assert read_rows(got.data, "gbk.html")[0][1]["企业名称"] == "沣西新城甲公司"


def test_size_limit(server: str, tmp_path: Path) -> None:
    with (
        Fetcher(tmp_path, max_bytes=10_000) as f,
        pytest.raises(FetchError, match="10000-byte limit"),
    ):
        f.fetch(f"{server}/big.csv")


def test_local_paths_are_read_directly(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(CSV, encoding="utf-8")
    with Fetcher(tmp_path / "cache") as f:
        assert f.fetch(str(path)).status == "local"
        with pytest.raises(FetchError, match="cannot be read"):
            f.fetch(str(tmp_path / "nope.csv"))
