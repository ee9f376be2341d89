"""Downloads. ``POST /export/{csv|xlsx|jsonl}`` with ``{"query", "variables"}``: every row
of one connection (or list) field, all its pages, as a file carrying its as-of date, area,
filters, language and export time (api/exportrun.py). The older form, ``{"title", "columns",
"rows"}`` (CSV or XLSX), writes a table as posted (api/exporttable.py).

Both keep the same limits: the body's size, two export workers at a time, a time limit,
formula-looking text written as text, non-finite numbers refused.
"""

from __future__ import annotations

import asyncio
import json
import weakref

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.errors import AuthError, ExportError
from api.exportjob import answer, spawn
from api.exportrun import MEDIA, query_export
from api.exportstream import disposition
from api.exporttable import build

__all__ = ["WORKER_ABOVE", "export"]

MAX_BODY = 16 * 1024 * 1024
# Bodies above this are built in a child process (api/exportjob.py): a table this size builds
# in well under 50 ms, larger ones would hold the GIL long enough to stall other requests.
WORKER_ABOVE = 256 * 1024
WORKER_SECONDS = 120.0
WORKERS = 2  # one per core: more would only queue inside the OS
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _worker_slots() -> asyncio.Semaphore:
    # a semaphore belongs to one event loop; tests and reloads run several
    loop = asyncio.get_running_loop()
    return _slots.setdefault(loop, asyncio.Semaphore(WORKERS))


FORMATS = MEDIA  # csv, xlsx, jsonl (jsonl: query exports only)


def _cross_site(request: Request) -> bool:
    """True when a browser says the request comes from another site's page. A browser sends
    Origin on every cross-origin POST and Sec-Fetch-Site on every request; a client that sends
    neither is not a browser, so not a page another site could make post here."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    return origin is not None and origin != own


async def _build_in_worker(raw: bytes, fmt: str) -> tuple[str, bytes]:
    """Run build() in a child process; returns the file's stem and bytes."""
    async with _worker_slots():
        child = await spawn(fmt)
        try:
            out, err = await asyncio.wait_for(child.communicate(raw), WORKER_SECONDS)
        except (TimeoutError, asyncio.CancelledError):
            child.kill()  # a client that went away, or a build past its time: free the core
            await child.wait()
            raise
    head, content = answer(child, out, err)
    return str(head["stem"]), content


async def export(request: Request) -> Response:
    """POST /export/{format}: the posted table as a download; same-origin or with a key."""
    fmt = request.path_params["format"]
    if fmt not in FORMATS:
        return JSONResponse(
            {"error": f"format {fmt[:20]!r}: use csv, xlsx or jsonl"}, status_code=404
        )
    if "authorization" not in request.headers and _cross_site(request):
        return JSONResponse(
            {"error": "exports are for this site's pages, or need Authorization: Bearer <key>"},
            status_code=403,
        )
    if "authorization" in request.headers:
        try:
            request.app.state.keys.principal(request.headers["authorization"])
        except AuthError as e:
            return JSONResponse({"error": str(e)}, status_code=401)
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return JSONResponse({"error": f"body over {MAX_BODY} bytes"}, status_code=413)
    if raw.lstrip().startswith(b"{") and b'"query"' in raw:
        try:
            body = json.loads(raw)
        except ValueError as e:
            return JSONResponse({"error": f"the body is not JSON: {e}"}, status_code=400)
        if isinstance(body, dict) and "query" in body:
            return await query_export(request, fmt, body, _worker_slots())
    if fmt == "jsonl":
        return JSONResponse(
            {"error": "jsonl: post {query, variables}; a posted table is csv or xlsx"},
            status_code=400,
        )
    try:
        if len(raw) > WORKER_ABOVE:
            stem, content = await _build_in_worker(raw, fmt)
        else:  # small: a thread is cheaper than a process and stalls nothing noticeable
            table, content = await run_in_threadpool(build, raw, fmt)
            stem = table.filename_stem
    except (ValueError, ExportError) as e:  # bad JSON, or a bad table
        return JSONResponse({"error": str(e)}, status_code=400)
    except TimeoutError:
        return JSONResponse(
            {"error": f"the export took over {WORKER_SECONDS:.0f} s; filter the table first"},
            status_code=503,
        )
    headers = {"Content-Disposition": disposition(stem, fmt)}
    return Response(content, media_type=FORMATS[fmt], headers=headers)
