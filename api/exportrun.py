"""``POST /export/{csv|xlsx|jsonl}`` with ``{"query", "variables"}``: every row of one
connection, across all its pages, as a file (the plan: api/exportquery.py; the files:
api/exportstream.py).

Optional body fields: ``title`` (names the file; default the field), ``lang`` (``zh`` or
``en``: the header block's words and the labelled cells), ``headings`` (column path ->
heading; default the path), ``labels`` (column path -> vocabulary section, whose labels in
``lang`` replace the keys in that column) and ``values`` (column path -> {value: words},
the page's own words for values outside the vocabulary, e.g. a status). Each page is one GraphQL execution of the same
schema with the request's key, so the API's limits and deadline hold per page. An export
holds one of the export worker slots (api/exports.py) until its last byte; a query that
is refused on its first page is answered 400 before any byte of the file; a failure on a
later page ends the file with a line saying so (``# error: ...`` in CSV, ``{"error": ...}``
in JSON Lines; an XLSX is then not sent at all).
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse

from api.auth import ANONYMOUS
from api.errors import AuthError, ExportError
from api.exportjob import answer, spawn
from api.exportquery import Plan, plan, row_of
from api.exportstream import (
    Meta,
    Pages,
    csv_head,
    csv_rows,
    disposition,
    jsonl_head,
    jsonl_rows,
    labelled,
    words,
)
from api.graphql.build import schema
from api.graphql.context import Context
from api.graphql.http import plain_error

__all__ = ["EXPORT_SECONDS", "query_export"]

EXPORT_SECONDS = 600.0  # a query export's whole run; past it the file ends with an error
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _strings(body: dict[str, Any], name: str) -> dict[str, str]:
    value = body.get(name) or {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ExportError(f"{name}: an object of text -> text is needed")
    return value


def _executor(request: Request) -> Any:
    settings = request.app.state.settings
    try:
        principal = request.app.state.keys.principal(request.headers.get("authorization"))
    except AuthError as e:
        raise ExportError(str(e)) from e
    if settings.reads_need_key and principal is ANONYMOUS:
        raise ExportError("this server needs an API key: Authorization: Bearer <key>")

    async def execute(
        document: str, variables: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, list[str]]:
        ctx = Context(
            driver=request.app.state.driver,
            database=settings.neo4j_database,
            principal=principal,
            deadline=settings.query_deadline,
        )
        result = await schema.execute(document, variable_values=variables, context_value=ctx)
        return result.data, [plain_error(e).message for e in result.errors or []]

    return execute


class _ExportJob:
    """One export: its plan, pages, meta and the way a page becomes cells."""

    def __init__(self, body: dict[str, Any], request: Request) -> None:
        self.plan: Plan = plan(schema._schema, body.get("query"), body.get("variables"))
        lang = body.get("lang", "zh")
        if lang not in ("zh", "en"):
            raise ExportError(f"lang: {str(lang)[:20]!r}; use zh or en")
        title = body.get("title") or self.plan.key
        if not isinstance(title, str):
            raise ExportError("title: a string is needed (it names the file)")
        headings = _strings(body, "headings")
        self.maps = {path: words(s, lang) for path, s in _strings(body, "labels").items()}
        values = body.get("values") or {}
        if not isinstance(values, dict):
            raise ExportError("values: an object of column path -> {value: words} is needed")
        for path in values:
            self.maps[path] = {**self.maps.get(path, {}), **_strings(values, path)}
        self.headings = [headings.get(c, c) for c in self.plan.columns]
        shown = {
            k: v for k, v in (body.get("variables") or {}).items() if k not in ("first", "after")
        }
        self.meta = Meta.of(title.strip() or self.plan.key, lang, shown)
        self.pages = Pages(self.plan, _executor(request))
        self.started = time.monotonic()

    def cells(self, nodes: list[dict[str, Any]]) -> list[list[Any]]:
        rows = [row_of(n, self.plan.columns) for n in nodes]
        return labelled(rows, self.plan.columns, self.maps)

    async def each(self) -> AsyncIterator[list[dict[str, Any]]]:
        async for page in self.pages:
            if time.monotonic() - self.started > EXPORT_SECONDS:
                raise ExportError(f"the export took over {EXPORT_SECONDS:.0f} s; filter it first")
            yield page


async def _stream(job: _ExportJob, fmt: str, release: Any) -> AsyncIterator[bytes]:
    try:
        columns = job.plan.columns
        yield csv_head(job.meta, job.headings) if fmt == "csv" else jsonl_head(job.meta, columns)
        try:
            async for page in job.each():
                yield csv_rows(job.cells(page)) if fmt == "csv" else jsonl_rows(page, columns)
        except ExportError as e:
            yield (
                f"# error: {e}\r\n".encode()
                if fmt == "csv"
                else json.dumps({"error": str(e)}, ensure_ascii=False).encode() + b"\n"
            )
    finally:
        release()


async def _xlsx(job: _ExportJob, path: str) -> None:
    """Feed the pages to the worker, which writes the workbook ``path``."""
    child = await spawn("stream-xlsx", path)
    assert child.stdin is not None
    try:
        head = {"meta": job.meta.__dict__, "headings": job.headings}
        child.stdin.write(json.dumps(head, ensure_ascii=False).encode() + b"\n")
        async for page in job.each():
            child.stdin.write(json.dumps(job.cells(page), ensure_ascii=False).encode() + b"\n")
            await child.stdin.drain()  # the pipe's buffer bounds what waits in memory
        child.stdin.close()
        out, err = await asyncio.wait_for(child.communicate(), EXPORT_SECONDS)
    except BaseException:
        child.kill()  # a failed page, a client gone, the time up: free the core
        await child.wait()
        raise
    answer(child, out, err)


async def query_export(
    request: Request, fmt: str, body: dict[str, Any], slots: asyncio.Semaphore
) -> Response:
    """The file of every row of the query's connection (see the module's docstring)."""
    try:
        job = _ExportJob(body, request)
    except ExportError as e:
        return JSONResponse({"error": str(e)}, status_code=400)
    await slots.acquire()
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            slots.release()

    try:
        await job.pages.first()
        job.meta.rows = job.pages.total
        headers = {"Content-Disposition": disposition(job.meta.title, fmt)}
        if fmt != "xlsx":
            stream = _stream(job, fmt, release)
            return StreamingResponse(stream, media_type=MEDIA[fmt], headers=headers)
        handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="innograph-export-")
        os.close(handle)
        try:
            await _xlsx(job, path)
        except BaseException:
            os.unlink(path)
            raise
        finally:
            release()
        done = BackgroundTask(os.unlink, path)
        return FileResponse(path, media_type=MEDIA[fmt], headers=headers, background=done)
    except ExportError as e:
        release()
        return JSONResponse({"error": str(e)}, status_code=400)
    except BaseException:
        release()
        raise
