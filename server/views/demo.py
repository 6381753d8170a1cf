"""The demo website (README, "Run the server with the demo website"): a fictional invoicing company that embeds the gate.

It plays a customer's site. Its third-party resources (an analytics script, an advertising
pixel and a video player) are served by this same app but referenced through the *other*
loopback hostname (`127.0.0.1` <-> `localhost`), so that the browser treats them as another
site and its network panel shows them load only after consent. Like a careful customer, the
page sends its own Content-Security-Policy: no inline script without its nonce, no eval.
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
# Hostnames that reach the same loopback server but are different sites to a browser.
TWIN_HOSTS = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}
ASSETS = {  # file under templates/demo -> content type
    "demo.css": "text/css", "demo.js": "text/javascript",
    "statly.js": "text/javascript", "vidtube.html": "text/html",
}
# 1x1 transparent GIF: what an advertising pixel answers.
PIXEL = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


def third_party_origin(crumb_origin: str) -> str:
    """Return the origin the demo's "third party" is served from: Crumb's twin hostname."""
    scheme, _, rest = crumb_origin.partition("://")
    host, _, port = rest.rpartition(":") if ":" in rest else (rest, "", "")
    return f"{scheme}://{TWIN_HOSTS.get(host, host)}{':' + port if port else ''}"


async def get_index(request: web.Request) -> web.Response:
    """Render the demo product page, with a fresh CSP nonce.

    The page lives on Crumb's public origin (`--public-url`), so that its "third party", the twin
    hostname, is always another site; asked for under another name, it sends the visitor there.
    """
    crumb_origin = request.app[SETTINGS].public_origin
    if f"{request.scheme}://{request.host}" != crumb_origin:
        raise web.HTTPFound(crumb_origin + "/demo/")
    vendor = third_party_origin(crumb_origin)
    nonce = secrets.token_urlsafe(16)
    context = {"crumb_origin": crumb_origin, "vendor": vendor, "site": DEMO_SITE, "nonce": nonce}
    response = aiohttp_jinja2.render_template("demo/index.html", request, context)
    response.headers["Content-Security-Policy"] = demo_csp(crumb_origin, vendor, nonce)
    response.headers["Cache-Control"] = "no-store"
    return response


def demo_csp(crumb_origin: str, vendor: str, nonce: str) -> str:
    """Return the policy a website embedding Crumb needs (README: Content-Security-Policy)."""
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}' {crumb_origin} {vendor}",
        f"frame-src {crumb_origin} {vendor}",
        f"img-src 'self' {vendor}",
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
        (TEMPLATES / name).read_bytes(), content_type=ASSETS[name] + "; charset=utf-8", cache_control="public, max-age=60",
        headers={"Cross-Origin-Resource-Policy": "cross-origin"})).answer(request)


async def get_pixel(request: web.Request) -> web.Response:
    """The advertising pixel: a GIF that must never be cached, like the real thing."""
    return web.Response(body=PIXEL, content_type="image/gif", headers={"Cache-Control": "no-store"})


async def redirect_to_demo(request: web.Request) -> web.Response:
    """`/` leads to the demo website when it is on."""
    raise web.HTTPFound("/demo/")
