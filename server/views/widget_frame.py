"""`GET /sites/{site}/widget?lang=&mode=&origin=`: the widget's frame page.

The page carries the localized policy inline (no second request), the first layer rendered
here so it shows before the Brython runtime is ready, the frame's boot script (`frame.js`)
inline right after that layer, so that it runs as soon as the layer is parsed, without waiting
for a download (the gate shows the frame only once it has run), and the Brython bundle,
deferred. Its CSP allows that one inline script by its hash, and `'unsafe-eval'` because
Brython runs Python through `new Function`; it is the one page that needs it, which is why the
widget lives in its own frame.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from dataclasses import dataclass

import aiohttp_jinja2
import brotli
from aiohttp import web
from markupsafe import Markup

from ..appkeys import ASSETS
from ..content_coding import accepted_codings
from ..http_cache import etag_matches, etag_of
from ..texts import fill
from .policy_api import find_document


MODES = ("banner", "preferences")
# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def inline_json(json_text: str) -> Markup:
    """Return JSON text that is safe between `<script type="application/json">` tags."""
    return Markup(json_text.translate(_SCRIPT_SAFE))


def inline_script(text: str) -> Markup:
    """Return a script's text for inlining between `<script>` tags.

    :raise ValueError: when the text could end the element early.
    """
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError("an inline script must not hold '</script' or '<!--'")
    return Markup(text)


def script_hash(text: str) -> str:
    """Return the CSP source (`'sha256-...'`) that allows an inline script with this text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def frame_csp(origins: list[str], boot_script: str) -> str:
    """Return the frame's Content-Security-Policy: its own scripts and the inline boot script
    (`boot_script`: its text) only; only the site's origins may frame it."""
    return "; ".join((
        "default-src 'none'",
        "script-src 'self' 'unsafe-eval' " + script_hash(boot_script),
        "style-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors " + " ".join(["'self'", *origins]),
    ))


@dataclass(frozen=True)
class FramePage:
    """One rendered frame page, with its brotli and gzip forms (it depends on no request data)."""

    html: bytes
    br: bytes
    gz: bytes
    etag: str
    csp: str


class FramePages:
    """Rendered pages by (document ETag, mode): rendering and compressing happen once each."""

    LIMIT = 512  # sites x languages x modes; a reload brings new ETags, so old pages age out

    def __init__(self):
        self._pages: dict[tuple[str, str], FramePage] = {}

    def get(self, key: tuple[str, str], render) -> FramePage:
        """Return the cached page for `key`, made from `render()` (its HTML and CSP) the first time."""
        page = self._pages.get(key)
        if page is None:
            if len(self._pages) >= self.LIMIT:
                self._pages.clear()
            text, csp = render()
            html = text.encode("utf-8")
            page = FramePage(html, brotli.compress(html, quality=11), gzip.compress(html, 9, mtime=0),
                             "W/" + etag_of(html), csp)  # weak ETag: one tag for every content-coding
            self._pages[key] = page
        return page


FRAME_PAGES = web.AppKey("frame_pages", FramePages)


def render_page(request: web.Request, data: dict, json_text: str, mode: str) -> tuple[str, str]:
    """Return the frame page's HTML and the CSP that allows its inline boot script."""
    boot_script = request.app[ASSETS].text("frame.js")  # the bundle's minified frame.js
    texts = data["texts"]
    context = {
        "doc": data,
        "texts": texts,
        "mode": mode,
        "policy_json": inline_json(json_text),
        "frame_script": inline_script(boot_script),
        "asset": request.app[ASSETS].url,
        "banner_title": fill(texts["banner_title"], site=data["name"]),
        "preferences_intro": fill(texts["preferences_intro"], site=data["name"]),
    }
    return aiohttp_jinja2.render_string("widget.html", request, context), frame_csp(data["origins"], boot_script)


async def get_widget(request: web.Request) -> web.Response:
    """Serve the frame page for the site, language and first layer asked for."""
    document = find_document(request)
    data = document.data
    mode = request.query.get("mode")
    mode = mode if mode in MODES else "banner"
    page = request.app[FRAME_PAGES].get(
        (document.etag, mode), lambda: render_page(request, data, document.json_bytes.decode("utf-8"), mode))
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": page.csp,
        "Cache-Control": "no-cache",
        "Content-Language": data["language"],
        "Vary": "Accept-Encoding",
        "ETag": page.etag,
    }
    if etag_matches(request.headers.get("If-None-Match", ""), page.etag):
        return web.Response(status=304, headers=headers)
    accepted = accepted_codings(request.headers.get("Accept-Encoding", ""))
    body = page.html
    if "br" in accepted:
        body, headers["Content-Encoding"] = page.br, "br"
    elif "gzip" in accepted:
        body, headers["Content-Encoding"] = page.gz, "gzip"
    return web.Response(body=body, headers=headers)


def setup_routes(app: web.Application) -> None:
    """Register the frame page and its cache of rendered pages."""
    app[FRAME_PAGES] = FramePages()
    app.router.add_get("/sites/{site}/widget", get_widget)
