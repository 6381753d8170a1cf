"""`GET /sites/{site}/gate.js`: the gate with the site's config baked in.

Every website page view asks for this, so each site's gate is built and compressed once
(brotli and gzip) and then served from memory by `Accept-Encoding`. A policy reload changes
the policy's content hash, which rebuilds that site's gate on its next request.
"""

from __future__ import annotations

from aiohttp import web

from ..appkeys import ASSETS, GATES, SITES
from ..errors import unknown_site
from ..gate_config import Gates, gate_template
from ..http_cache import cached_response
from ..sites import UnknownSite

GATE_MAX_AGE = 300
ENCODINGS = ("br", "gzip")  # in order of preference


def preferred_encoding(accept_encoding: str) -> str:
    """Return "br", "gzip" or "" (identity) for an `Accept-Encoding` header."""
    offered = {}
    for item in accept_encoding.lower().split(","):
        name, _, params = item.strip().partition(";")
        quality = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            offered[name.strip()] = float(quality)
        except ValueError:
            continue
    return next((name for name in ENCODINGS if offered.get(name, offered.get("*", 0)) > 0), "")


async def get_gate(request: web.Request) -> web.Response:
    """Serve the site's gate, compressed as the client accepts, with ETag and 304."""
    site = request.match_info["site"]
    try:
        policy = request.app[SITES].policy(site)
    except UnknownSite as error:
        raise unknown_site(site) from error
    built = request.app[GATES].get(policy)
    encoding = preferred_encoding(request.headers.get("Accept-Encoding", ""))
    headers = {"Vary": "Accept-Encoding"}
    if encoding:
        headers["Content-Encoding"] = encoding
    return cached_response(request, built.bodies[encoding], content_type="text/javascript",
                           max_age=GATE_MAX_AGE, etag=built.etags[encoding], headers=headers)


async def build_all_gates(app: web.Application) -> None:
    """Build every site's gate at start-up, so that no visitor waits for brotli."""
    for site in app[SITES].ids():
        app[GATES].get(app[SITES].policy(site))


def setup_routes(app: web.Application) -> None:
    """Register the gate route and build the gates when the app starts."""
    app[GATES] = Gates(gate_template(app[ASSETS]))
    app.on_startup.append(build_all_gates)
    app.router.add_get("/sites/{site}/gate.js", get_gate)
