"""Security headers on every response, unless the view set its own (the widget frame does).
The `json_errors` middleware applies them to every answer, errors included.

Crumb's pages carry no inline script and no third-party content, so the default policy can
be strict. The demo website is exempt: it plays the customer's site, which loads third-party
resources from another origin and sets its own policy (see README).
"""

from __future__ import annotations

from aiohttp import web, web_response

DEFAULT_CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
))
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                          "browsing-topics=(), interest-cohort=()",
}


# What `Server` says on every answer: no Python or aiohttp version for a scanner to match.
SERVER = "Crumb"


def hide_server_version() -> None:
    """Make every answer of this process say `Server: Crumb`.

    aiohttp has no setting for it, and the 400 its parser sends for a malformed request never
    passes a middleware or a signal, so the default it fills in is replaced where it is read
    (aiohttp issues #3607 and #8870). The test of it sends a malformed request.
    """
    web_response.SERVER_SOFTWARE = SERVER


def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Fill in the headers a view did not set itself.

    An answer that carries X-Content-Type-Options has the whole set built in (every
    `Precompressed` answer does, the gate's among them), so nothing is checked again.
    """
    headers = response.headers
    if "X-Content-Type-Options" in headers:
        return
    for name, value in ALWAYS.items():
        headers.setdefault(name, value)
    if headers.get("Content-Type", "").startswith("text/html") and not request.path.startswith("/demo"):
        headers.setdefault("Content-Security-Policy", DEFAULT_CSP)
