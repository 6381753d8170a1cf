"""Every route Crumb serves, in one table (README, "HTTP API"; the OpenAPI test checks the `/api/v1`
part against `crumb.openapi` both ways).

Order matters: aiohttp's router tries routes that share a prefix (`/sites/{site}/...`) in the
order they were added, and every page view of every website asks for the gate, so it comes first.
"""

from __future__ import annotations

from aiohttp import web

from .views import (
    dashboard,
    demo,
    gate,
    health,
    openapi_view,
    pages,
    policy_api,
    receipts,
    static_assets,
    stats_api,
    widget_frame,
)

ROUTES = (
    ("GET", "/sites/{site}/gate.js", gate.get_gate),
    ("GET", "/sites/{site}/gate-ui.js", gate.get_gate_ui),
    ("GET", "/api/v1/sites/{site}/policy", policy_api.get_policy),
    ("GET", "/healthz", health.get_health),
    ("GET", "/sites/{site}/cookie-policy", pages.get_cookie_policy),
    ("GET", pages.STYLESHEET.path, pages.STYLESHEET.get),
    ("POST", "/api/v1/sites/{site}/consents", receipts.post_consent),
    ("OPTIONS", "/api/v1/sites/{site}/consents", receipts.preflight_consent),
    ("GET", "/api/v1/sites/{site}/consents/{consent_id}", receipts.get_consent),
    ("GET", "/api/v1/sites/{site}/stats", stats_api.get_stats),
    ("GET", "/api/v1/openapi.json", openapi_view.get_openapi),
    ("GET", "/static/dist/{name}", static_assets.get_asset),
    ("GET", "/sites/{site}/widget", widget_frame.get_widget),
    ("GET", "/admin/sites/{site}", dashboard.get_dashboard),
    ("POST", "/admin/login", dashboard.post_login),
    ("POST", "/admin/logout", dashboard.post_logout),
    ("GET", dashboard.STYLESHEET.path, dashboard.STYLESHEET.get),
)

# The demo website (README, "Demo"), served unless `--no-demo`.
DEMO_ROUTES = (
    ("GET", "/", demo.redirect_to_demo),
    ("GET", "/demo/", demo.get_index),
    ("GET", "/demo/assets/{name}", demo.get_asset),
    ("GET", "/demo/vendor/{name}", demo.get_asset),
    ("GET", "/demo/vendor-pixel.gif", demo.get_pixel),
)


def add_routes(app: web.Application, *, demo_site: bool) -> None:
    """Register every route of the table (and the demo's, when it is on)."""
    for method, path, handler in ROUTES + (DEMO_ROUTES if demo_site else ()):
        if method == "GET":  # HEAD too: uptime monitors and load balancers ask with it
            app.router.add_get(path, handler)
        else:
            app.router.add_route(method, path, handler)
