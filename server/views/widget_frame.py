"""`GET /sites/{site}/widget?lang=&mode=&origin=`: the widget's frame page.

The page carries the localized policy inline (no second request), the first layer rendered
here so it shows before the Brython runtime is ready, and the bundle scripts, deferred. Its
CSP allows `'unsafe-eval'` because Brython runs Python through `new Function`; it is the one
page that needs it, which is why the widget lives in its own frame.
"""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web
from markupsafe import Markup

from ..appkeys import ASSETS
from ..texts import fill
from .policy_api import find_document

MODES = ("banner", "preferences")
# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def inline_json(json_text: str) -> Markup:
    """Return JSON text that is safe between `<script type="application/json">` tags."""
    return Markup(json_text.translate(_SCRIPT_SAFE))


def frame_csp(origins: list[str]) -> str:
    """Return the frame's Content-Security-Policy; only the site's origins may frame it."""
    return "; ".join((
        "default-src 'none'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors " + " ".join(["'self'", *origins]),
    ))


def optional_categories(document: dict) -> list[dict]:
    """Return the categories a visitor can switch, in policy order."""
    return [category for category in document["categories"] if not category["required"]]


async def get_widget(request: web.Request) -> web.Response:
    """Render the frame page for the site, language and first layer asked for."""
    document = find_document(request)
    data = document.data
    mode = request.query.get("mode")
    mode = mode if mode in MODES else "banner"
    assets = request.app[ASSETS]
    texts = data["texts"]
    context = {
        "doc": data,
        "texts": texts,
        "mode": mode,
        "policy_json": inline_json(document.json_bytes.decode("utf-8")),
        "asset": assets.url,
        "banner_title": fill(texts["banner_title"], site=data["name"]),
        "preferences_intro": fill(texts["preferences_intro"], site=data["name"]),
        "optional": optional_categories(data),
    }
    response = aiohttp_jinja2.render_template("widget.html", request, context)
    response.headers["Content-Security-Policy"] = frame_csp(data["origins"])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Language"] = data["language"]
    return response


def setup_routes(app: web.Application) -> None:
    """Register the frame page."""
    app.router.add_get("/sites/{site}/widget", get_widget)
