"""Third-party browser assets, served from ``web/node_modules`` (installed by scripts/setup)."""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

__all__ = ["ASSET_PACKAGES", "MAX_PATH", "NODE_MODULES", "asset"]

MAX_PATH = 512  # characters of an asset path; the longest real one is under 100
NODE_MODULES = Path(__file__).resolve().parents[1] / "web" / "node_modules"
# Only these packages are reachable, and only files inside them.
ASSET_PACKAGES = frozenset(
    {"graphiql", "react", "react-dom", "preact", "htm", "echarts", "cytoscape"}
)


async def asset(request: Request) -> Response:
    package = request.path_params["package"]
    if package not in ASSET_PACKAGES:
        raise HTTPException(404, f"no asset package {package[:60]!r}")
    name: str = request.path_params["path"]
    # a NUL or control character, or a path too long for the file system, names no file
    if len(name) > MAX_PATH or not name.isprintable():
        raise HTTPException(404, "no such asset")
    root = (NODE_MODULES / package).resolve()
    try:
        path = (root / name).resolve()
        found = path.is_relative_to(root) and path.is_file()
    except (OSError, ValueError):
        found = False
    if not found:
        raise HTTPException(404, "no such asset")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})
