"""The composition root: `create_app()` wires policies, stores, views and middleware."""

from __future__ import annotations

import aiohttp_jinja2
import jinja2
from aiohttp import web

from .appkeys import ASSETS, RECEIPT_LIMITER, SETTINGS, SITES
from .assets import Assets
from .errors import json_errors
from .rate_limit import RateLimiter
from .receipts.lifespan import check_receipt_store, receipt_store
from .settings import Settings
from .sites import Sites
from .views import demo, gate, health, openapi_view, pages, policy_api, receipts, static_assets, widget_frame
from .views.health_checks import add_health_check

TEMPLATES = jinja2.PackageLoader("server", "templates")


def create_app(settings: Settings | None = None, sites: Sites | None = None) -> web.Application:
    """Build the Crumb application.

    :raise PolicyError: when a policy file is invalid; the server must not start on it.
    """
    settings = settings or Settings()
    # Policies load first: an invalid file stops everything before a port is opened.
    sites = sites or Sites.from_directory(settings.policies_dir)
    app = web.Application(middlewares=[json_errors], client_max_size=64 * 1024)
    app[SETTINGS] = settings
    app[SITES] = sites
    # The bundle is built before the app (CLI start-up, test session): here it is only read.
    app[ASSETS] = Assets.load(settings.static_dir / "dist")
    # The store opens at start-up, after the policies loaded: a bad policy file stops the
    # server before it touches the database, and no request is served before migrations ran.
    app.cleanup_ctx.append(receipt_store)
    add_health_check(app, check_receipt_store)
    app[RECEIPT_LIMITER] = RateLimiter(settings.receipt_rate_per_minute)
    aiohttp_jinja2.setup(app, loader=TEMPLATES, autoescape=True,
                         trim_blocks=True, lstrip_blocks=True)
    # The gate first: every page view of every website asks for it, and the router tries the
    # routes that share a prefix (/sites/{site}/...) in the order they were added.
    gate.setup_routes(app)
    policy_api.setup_routes(app)
    health.setup_routes(app)
    pages.setup_routes(app)
    receipts.setup_routes(app)
    openapi_view.setup_routes(app)
    demo.setup_routes(app)
    static_assets.setup_routes(app)
    widget_frame.setup_routes(app)
    return app
