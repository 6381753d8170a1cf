"""`GET /sites/{site}/gate.js` and `/sites/{site}/gate-ui.js`: the gate and its UI chunk, each
with the site's config baked in.

Every website page view asks for the gate, so each site's scripts are built and compressed once
(brotli and gzip) and then served from memory by `Accept-Encoding`. A policy reload changes
the policy's content hash, which rebuilds that site's scripts on their next request. The chunk
is cached like the gate (it carries the site's texts, which a policy reload may change).
"""

from __future__ import annotations

import functools

from aiohttp import web

from ..appkeys import ASSETS, GATES, SITES
from ..content_coding import preferred_coding
from ..errors import unknown_site
from ..gate_config import Gates, gate_template
from ..http_cache import etag_matches
from ..security_headers import CROSS_ORIGIN_SCRIPT
from ..sites import UnknownSite

GATE_MAX_AGE = 300
GATE_SCRIPTS = ("gate.js", "gate_ui.js")


async def get_gate(request: web.Request) -> web.Response:
    """Serve the site's gate, compressed as the client accepts, with ETag and 304."""
    return serve_gate_script(request, "gate.js")


async def get_gate_ui(request: web.Request) -> web.Response:
    """Serve the site's gate UI chunk, as the gate is served."""
    return serve_gate_script(request, "gate_ui.js")


def serve_gate_script(request: web.Request, name: str) -> web.Response:
    """Serve the site's gate script `name`, compressed as the client accepts, with ETag and 304."""
    site = request.match_info["site"]
    try:
        policy = request.app[SITES].policy(site)
    except UnknownSite as error:
        raise unknown_site(site) from error
    built = request.app[GATES].get(policy, name)
    encoding = preferred_coding(request.headers.get("Accept-Encoding", ""))
    headers = answer_headers(built.etags[encoding], encoding)
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and etag_matches(if_none_match, built.etags[encoding]):
        return web.Response(status=304, headers=headers)
    return web.Response(body=built.bodies[encoding], headers=headers)


@functools.lru_cache(maxsize=1024)
def answer_headers(etag: str, encoding: str) -> dict[str, str]:
    """Return every header of one gate variant, built once: every website page view asks for it."""
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={GATE_MAX_AGE}", "Vary": "Accept-Encoding",
               "Content-Type": "text/javascript; charset=utf-8", **CROSS_ORIGIN_SCRIPT}
    if encoding:
        headers["Content-Encoding"] = encoding
    return headers


async def build_all_gates(app: web.Application) -> None:
    """Build every site's gate at start-up, so that no visitor waits for brotli."""
    for site in app[SITES].ids():
        for name in GATE_SCRIPTS:
            app[GATES].get(app[SITES].policy(site), name)


def setup_routes(app: web.Application) -> None:
    """Register the gate routes and build the gates when the app starts."""
    app[GATES] = Gates({name: gate_template(app[ASSETS], name) for name in GATE_SCRIPTS})
    app.on_startup.append(build_all_gates)
    app.router.add_get("/sites/{site}/gate.js", get_gate)
    app.router.add_get("/sites/{site}/gate-ui.js", get_gate_ui)
