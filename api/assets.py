"""Third-party browser assets, served from ``web/node_modules`` (installed by scripts/setup)."""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

__all__ = ["ASSET_PACKAGES", "NODE_MODULES", "asset"]

NODE_MODULES = Path(__file__).resolve().parents[1] / "web" / "node_modules"
# Only these packages are reachable, and only files inside them.
ASSET_PACKAGES = frozenset(
    {"graphiql", "react", "react-dom", "preact", "htm", "echarts", "cytoscape"}
)


async def asset(request: Request) -> Response:
    package = request.path_params["package"]
    if package not in ASSET_PACKAGES:
        raise HTTPException(404, f"no asset package {package!r}")
    root = (NODE_MODULES / package).resolve()
    path = (root / request.path_params["path"]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise HTTPException(404, "no such asset")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})
