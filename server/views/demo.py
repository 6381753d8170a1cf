"""The demo website (README, "Run the server with the demo website"): a fictional invoicing
company that embeds the gate.

It plays a customer's site. Its third-party resources (an analytics script, an advertising
pixel and a video player) are served by this same app but referenced through a hostname of
their own under `localhost` (`statly.localhost`, ...), which browsers resolve to loopback
(RFC 6761): each is another site to the browser, its network panel shows them load only after
consent, and the demo policy lists each as its service's `hosts`, so that a scan of the demo
(README, "Scanning your site") matches every request to its service. Like a careful customer,
the page sends its own Content-Security-Policy: no inline script without its nonce, no eval.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web

from ..appkeys import DEMO_FILES, SETTINGS
from ..precompressed import Precompressed

DEMO_SITE = "demo"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "demo"
# Public hostnames under which the vendors get hostnames of their own (see above).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
VENDORS = ("statly", "adpixel", "vidtube")
ASSETS = {  # file under templates/demo -> content type
    "demo.css": "text/css", "demo.js": "text/javascript",
    "statly.js": "text/javascript", "vidtube.html": "text/html",
}
# 1x1 transparent GIF: what an advertising pixel answers.
PIXEL = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


def vendor_origins(crumb_origin: str) -> dict[str, str]:
    """Return the origin each demo vendor is served from: `<vendor>.localhost` on Crumb's port
    when Crumb is on loopback; elsewhere (no such names resolve for visitors) Crumb's own."""
    scheme, _, rest = crumb_origin.partition("://")
    host, _, port = rest.rpartition(":") if not rest.endswith("]") and ":" in rest else (rest, "", "")
    if host not in LOOPBACK_HOSTS:
        return dict.fromkeys(VENDORS, crumb_origin)
    return {vendor: f"{scheme}://{vendor}.localhost{':' + port if port else ''}" for vendor in VENDORS}


async def get_index(request: web.Request) -> web.Response:
    """Render the demo product page, with a fresh CSP nonce.

    The page lives on Crumb's public origin (`--public-url`), so that its "third party", the twin
    hostname, is always another site; asked for under another name, it sends the visitor there.
    """
    crumb_origin = request.app[SETTINGS].public_origin
    if f"{request.scheme}://{request.host}" != crumb_origin:
        raise web.HTTPFound(crumb_origin + "/demo/")
    vendors = vendor_origins(crumb_origin)
    nonce = secrets.token_urlsafe(16)
    context = {"crumb_origin": crumb_origin, "vendors": vendors, "site": DEMO_SITE, "nonce": nonce}
    response = aiohttp_jinja2.render_template("demo/index.html", request, context)
    response.headers["Content-Security-Policy"] = demo_csp(crumb_origin, vendors, nonce)
    response.headers["Cache-Control"] = "no-store"
    return response


def demo_csp(crumb_origin: str, vendors: dict[str, str], nonce: str) -> str:
    """Return the policy a website embedding Crumb needs (README: Content-Security-Policy)."""
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}' {crumb_origin} {vendors['statly']}",
        f"frame-src {crumb_origin} {vendors['vidtube']}",
        f"img-src 'self' {vendors['adpixel']}",
        f"connect-src 'self' {crumb_origin}",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
    ))


async def get_asset(request: web.Request) -> web.Response:
    """Serve the demo's stylesheet and script, and the fake third party's script and player."""
    name = request.match_info["name"]
    if name not in ASSETS:
        raise web.HTTPNotFound()
    return request.app[DEMO_FILES].get(name, lambda: Precompressed.of(
        (TEMPLATES / name).read_bytes(), content_type=ASSETS[name] + "; charset=utf-8",
        cache_control="public, max-age=60", headers={"Cross-Origin-Resource-Policy": "cross-origin"})).answer(request)


async def get_pixel(request: web.Request) -> web.Response:
    """The advertising pixel: a GIF that must never be cached, like the real thing."""
    return web.Response(body=PIXEL, content_type="image/gif", headers={"Cache-Control": "no-store"})


async def redirect_to_demo(request: web.Request) -> web.Response:
    """`/` leads to the demo website when it is on."""
    raise web.HTTPFound("/demo/")
