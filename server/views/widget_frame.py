"""`GET /sites/{site}/widget?lang=&mode=&origin=`: the widget's frame page.

The page carries the localized policy inline (no second request), the first layer rendered here
from the widget's own view (`widget/view.py`) so it shows before the Brython runtime is ready,
the frame's boot script (`frame.js`) inline right after that layer, so that it runs as soon as
the layer is parsed, without waiting for a download (the gate shows the frame only once it has
run), and the Brython bundle, deferred. Its CSP allows that one inline script by its hash, and
`'unsafe-eval'` because Brython runs Python through `new Function`; it is the one page that
needs it, which is why the widget lives in its own frame.
"""

from __future__ import annotations

import base64
import hashlib

import aiohttp_jinja2
from aiohttp import web
from markupsafe import Markup

from ..appkeys import ASSETS, FRAME_PAGES, SHOWN_BANNERS
from ..precompressed import Precompressed
from ..sites import RenderedDocument
from ..widget.choices import Choices
from ..widget.tree import render_html
from ..widget.view import banner_view, preferences_view
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


def first_layer(data: dict, mode: str) -> Markup:
    """Return the layer the frame shows first, as HTML: the widget's own view (`widget/view.py`),
    in the state the Python widget starts in (nothing switched on, no earlier consent)."""
    node = preferences_view(data, Choices(data)) if mode == "preferences" else banner_view(data)
    return Markup(render_html(node))


def render_page(request: web.Request, data: dict, json_text: str, mode: str) -> tuple[str, str]:
    """Return the frame page's HTML and the CSP that allows its inline boot script."""
    boot_script = request.app[ASSETS].text("frame.js")  # the bundle's minified frame.js
    context = {
        "doc": data,
        "texts": data["texts"],
        "mode": mode,
        "policy_json": inline_json(json_text),
        "first_layer": first_layer(data, mode),
        "frame_script": inline_script(boot_script),
        "asset": request.app[ASSETS].url,
    }
    return aiohttp_jinja2.render_string("widget.html", request, context), frame_csp(data["origins"], boot_script)


async def get_widget(request: web.Request) -> web.Response:
    """Serve the frame page for the site, language and first layer asked for."""
    document = find_document(request)
    mode = request.query.get("mode")
    mode = mode if mode in MODES else "banner"
    if mode == "banner" and request.query.get("ask") == "1":
        # The gate asks this for a visitor who must still decide: one banner shown, counted as a
        # number per site, day and language; nothing of the request is kept (README, "Statistics").
        request.app[SHOWN_BANNERS].count(document.data["site"], document.data["language"])
    return request.app[FRAME_PAGES].get((document.etag, mode), lambda: frame_answer(request, document, mode)
                                        ).answer(request)


def frame_answer(request: web.Request, document: RenderedDocument, mode: str) -> Precompressed:
    """Render and compress one frame page; it depends on no request data, so it is made once."""
    html, csp = render_page(request, document.data, document.json_bytes.decode("utf-8"), mode)
    # A weak ETag: one tag for every content-coding. no-cache: revalidated on every open.
    return Precompressed.of(html.encode("utf-8"), content_type="text/html; charset=utf-8",
                            cache_control="no-cache", weak_etag=True,
                            headers={"Content-Security-Policy": csp, "Content-Language": document.data["language"]})
