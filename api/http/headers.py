"""Security headers: nosniff on every response; on HTML pages a self-only Content Security
Policy (inline scripts allowed only by their SHA-256 hash), no framing, no referrer."""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SecurityHeaders", "content_security_policy", "html_page"]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.S | re.I)
ALWAYS = [(b"x-content-type-options", b"nosniff")]
ON_HTML = [
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def content_security_policy(html: str = "") -> str:
    """Self only; each inline ``<script>`` of ``html`` allowed by its hash. Styles may be
    inline (GraphiQL and the charts set them), which cannot run code."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
        for m in INLINE_SCRIPT.findall(html)
    ]
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *hashes]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def html_page(html: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    """An HTML response whose policy allows exactly its own inline scripts."""
    return HTMLResponse(
        html, headers={**(headers or {}), "Content-Security-Policy": content_security_policy(html)}
    )


DEFAULT_CSP = content_security_policy().encode()


class SecurityHeaders:
    """Adds the headers to every response; an HTML response without a policy gets the
    strict one (no inline script at all)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = list(ALWAYS)
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    extra += ON_HTML
                    if b"content-security-policy" not in names:
                        extra.append((b"content-security-policy", DEFAULT_CSP))
                headers += [(k, v) for k, v in extra if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
