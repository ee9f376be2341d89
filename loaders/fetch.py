"""Fetching sources over HTTP(S) with httpx: timeouts, bounded retries, conditional GET, cache.

A source that has not changed since the last fetch (304 Not Modified) is served from the
on-disk cache and not downloaded again. Pages declared in GBK/GB2312/GB18030 are
transcoded to UTF-8 so that every parser sees one encoding.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from loaders.errors import FetchError

__all__ = ["Fetched", "Fetcher"]

DEFAULT_MAX_BYTES = 64 * 2**20
USER_AGENT = "innograph-loader/0.1 (+registry of an innovation ecosystem)"


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes
    status: str  # downloaded | not-modified | local
    retrieved_at: datetime
    attempts: int = 1


class Fetcher:
    def __init__(
        self,
        cache_dir: Path,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_bytes: int = DEFAULT_MAX_BYTES,
        client: httpx.Client | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _paths(self, uri: str) -> tuple[Path, Path]:
        key = hashlib.sha256(uri.encode("utf-8")).hexdigest()[:24]
        return self.cache_dir / f"{key}.body", self.cache_dir / f"{key}.json"

    def fetch(self, uri: str) -> Fetched:
        if not uri.startswith(("http://", "https://")):
            path = Path(uri)
            try:
                data = path.read_bytes()
            except OSError as e:
                raise FetchError(f"{uri}: cannot be read ({e.strerror})") from e
            when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            return Fetched(data, "local", when)
        body_path, meta_path = self._paths(uri)
        meta: dict[str, str] = {}
        if body_path.exists() and meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        headers = {}
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
        last_error = ""
        for attempt in range(1, self.retries + 1):
            try:
                result = self._get(uri, headers, body_path, meta_path, meta, attempt)
            except httpx.TransportError as e:
                last_error = f"{type(e).__name__}: {e}"
            except _Retryable as e:
                last_error = str(e)
            else:
                return result
            if attempt < self.retries:
                time.sleep(self.backoff * 2 ** (attempt - 1))
        raise FetchError(f"{uri}: failed after {self.retries} attempts ({last_error})")

    def _get(
        self,
        uri: str,
        headers: dict[str, str],
        body_path: Path,
        meta_path: Path,
        meta: dict[str, str],
        attempt: int,
    ) -> Fetched:
        with self._client.stream("GET", uri, headers=headers) as response:
            if response.status_code == 304 and body_path.exists():
                return Fetched(body_path.read_bytes(), "not-modified", datetime.now(UTC), attempt)
            if response.status_code >= 500:
                raise _Retryable(f"HTTP {response.status_code}")
            if response.status_code >= 400:
                raise FetchError(
                    f"{uri}: HTTP {response.status_code}; check the URI in the sources file"
                )
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"{uri}: {declared} bytes is over the {self.max_bytes}-byte limit")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(f"{uri}: larger than the {self.max_bytes}-byte limit")
                chunks.append(chunk)
            data = _to_utf8(b"".join(chunks), response.charset_encoding)
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            body_path.write_bytes(data)
            meta_path.write_text(
                json.dumps(
                    {
                        "uri": uri,
                        "etag": response.headers.get("ETag", ""),
                        "last_modified": response.headers.get("Last-Modified", ""),
                        "sha256": hashlib.sha256(data).hexdigest(),
                    }
                ),
                encoding="utf-8",
            )
            return Fetched(data, "downloaded", datetime.now(UTC), attempt)


class _Retryable(Exception):
    pass


def _to_utf8(data: bytes, charset: str | None) -> bytes:
    if not charset or charset.lower().replace("-", "") in ("utf8", "ascii", "usascii"):
        return data
    name = "gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030", "x-gbk") else charset
    try:
        return data.decode(name).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return data  # leave it to the parsers' own detection
