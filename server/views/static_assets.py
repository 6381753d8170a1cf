"""`GET /static/dist/{name}`: the hashed bundle files, cached forever, precompressed.

Only names listed in the manifest are served, so no request can reach another file; the
name's hash changes with its content, which is what makes `immutable` safe. Each file is read
(with its `.br` and `.gz` twins) on its first request and then answered from memory.
"""

from __future__ import annotations

from aiohttp import web

from ..appkeys import ASSETS, BUNDLE_FILES
from ..errors import json_error
from ..precompressed import Precompressed

IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
}


async def get_asset(request: web.Request) -> web.Response:
    """Serve one bundle file, as brotli or gzip when the client accepts it."""
    assets = request.app[ASSETS]
    name = request.match_info["name"]
    if not assets.serves(name):
        raise json_error(web.HTTPNotFound, "unknown_asset", f"no bundle file named {name!r}")
    suffix = "." + name.rpartition(".")[2]
    return request.app[BUNDLE_FILES].get(name, lambda: Precompressed.of_file(
        assets.dist_dir / name, content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
        cache_control=IMMUTABLE, headers={"Cross-Origin-Resource-Policy": "cross-origin"})).answer(request)
