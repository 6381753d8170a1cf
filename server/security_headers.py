"""Security headers on every response, unless the view set its own (the widget frame does).
The `json_errors` middleware applies them to every answer, errors included.

Crumb's pages carry no inline script and no third-party content, so the default policy can
be strict. The demo website is exempt: it plays the customer's site, which loads third-party
resources from another origin and sets its own policy (see README).
"""

from __future__ import annotations

from aiohttp import web

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
