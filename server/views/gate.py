"""`GET /sites/{site}/gate.js` and `/sites/{site}/gate-ui.js`: the gate and its UI chunk, each
with the site's config baked in.

Every website page view asks for the gate, so each site's scripts are built and compressed once
(`crumb.precompressed`) and then served from memory. A policy reload changes the policy's
content hash, which rebuilds that site's scripts on their next request. The chunk is cached like
the gate (it carries the site's texts, which a policy reload may change).
"""

from __future__ import annotations

from aiohttp import web

from ..appkeys import GATES, SITES
from ..errors import unknown_site
from ..sites import UnknownSite

GATE_SCRIPTS = ("gate.js", "gate_ui.js")


async def get_gate(request: web.Request) -> web.Response:
    """Serve the site's gate, compressed as the client accepts, with ETag and 304."""
    return serve_gate_script(request, "gate.js")


async def get_gate_ui(request: web.Request) -> web.Response:
    """Serve the site's gate UI chunk, as the gate is served."""
    return serve_gate_script(request, "gate_ui.js")


def serve_gate_script(request: web.Request, name: str) -> web.Response:
    """Serve the site's gate script `name`."""
    site = request.match_info["site"]
    try:
        policy = request.app[SITES].policy(site)
    except UnknownSite as error:
        raise unknown_site(site) from error
    return request.app[GATES].get(policy, name).answer(request)


async def build_all_gates(app: web.Application) -> None:
    """`on_startup`: build every site's gate, so that no visitor waits for brotli."""
    for site in app[SITES].ids():
        for name in GATE_SCRIPTS:
            app[GATES].get(app[SITES].policy(site), name)
