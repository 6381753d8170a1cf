"""`GET /static/dist/{name}`: the hashed bundle files, cached forever, precompressed.

Only names listed in the manifest are served, so no request can reach another file; the
name's hash changes with its content, which is what makes `immutable` safe.
"""

from __future__ import annotations

from aiohttp import web

from ..appkeys import ASSETS
from ..content_coding import accepted_codings
from ..errors import json_error

IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
}
# Preferred first: brotli is smaller, gzip is what every client has.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


async def get_asset(request: web.Request) -> web.StreamResponse:
    """Serve one bundle file, as brotli or gzip when the client accepts it."""
    assets = request.app[ASSETS]
    name = request.match_info["name"]
    if not assets.serves(name):
        raise json_error(web.HTTPNotFound, "unknown_asset", f"no bundle file named {name!r}")
    suffix = "." + name.rpartition(".")[2]
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding",
               "Content-Type": CONTENT_TYPES.get(suffix, "application/octet-stream"),
               "Cross-Origin-Resource-Policy": "cross-origin"}
    path = assets.dist_dir / name
    accepted = accepted_codings(request.headers.get("Accept-Encoding", ""))
    for coding, extension in ENCODINGS:
        if coding in accepted and path.with_name(name + extension).exists():
            path = path.with_name(name + extension)
            headers["Content-Encoding"] = coding
            break
    return web.Response(body=path.read_bytes(), headers=headers)


def setup_routes(app: web.Application) -> None:
    """Register the bundle route."""
    app.router.add_get("/static/dist/{name}", get_asset)
