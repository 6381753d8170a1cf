"""The composition root: `create_app()` wires policies, stores, views and middleware."""

from __future__ import annotations

import aiohttp_jinja2
import jinja2
from aiohttp import web

from . import appkeys as keys
from .assets import Assets
from .errors import json_errors
from .gate_config import GATE_TEMPLATES, Gates, gate_template
from .logs import HTTP_LOG, throttle_accept_errors
from .precompressed import AnswerCache
from .rate_limit import RateLimiter
from .receipts.lifespan import check_receipt_store, receipt_store, warn_about_drift
from .request_bodies import BodyReader
from .routes import add_routes
from .security_headers import hide_server_version
from .settings import Settings
from .sites import Sites
from .stats.banners import BannerCounter
from .stats.lifespan import banner_counting
from .stats.sessions import Sessions
from .stats.tokens import OwnerTokens
from .views.demo import DEMO_SITE
from .views.gate import build_all_gates

TEMPLATES = jinja2.PackageLoader(__package__, "templates")
# How aiohttp's connection handler runs, however the app is served (run_app, a runner, the test
# client): its log lines go through a log that drops client addresses, no access log is written
# (it would hold every visitor's address), and a body left unread by an early answer (413, 408,
# 503) is drained for at most 2 s instead of 10 before the connection closes.
HANDLER_ARGS = {"logger": HTTP_LOG, "access_log": None, "lingering_time": 2.0}


def create_app(settings: Settings | None = None, sites: Sites | None = None) -> web.Application:
    """Build the Crumb application.

    :raise SettingsError: when the settings cannot run.
    :raise PolicyError: when a policy file is invalid; the server must not start on it.
    :raise MissingAsset: when the widget bundle is not built.
    """
    settings = (settings or Settings()).checked()
    hide_server_version()
    # Policies load first: an invalid file stops everything before a port is opened.
    sites = sites or Sites.from_directory(settings.policies_dir)
    app = web.Application(middlewares=[json_errors], client_max_size=64 * 1024, handler_args=HANDLER_ARGS)
    app[keys.SETTINGS] = settings
    app[keys.SITES] = sites
    # The bundle is built before the app (command line, test session, wheel): here it is only read.
    app[keys.ASSETS] = assets = Assets.load(settings.static_dir / "dist")
    app[keys.GATES] = Gates({name: gate_template(assets, name) for name in GATE_TEMPLATES}, settings.public_origin)
    for key in (keys.FRAME_PAGES, keys.POLICY_PAGES, keys.BUNDLE_FILES, keys.DEMO_FILES):
        app[key] = AnswerCache()
    app[keys.CANONICAL_POLICIES] = {}
    add_request_state(app, settings)
    # The store opens at start-up, after the policies loaded: a bad policy file stops the
    # server before it touches the database, and no request is served before migrations ran.
    app.cleanup_ctx.append(receipt_store)
    # After the store: its clean-up runs first, so the last banners shown are written before it closes.
    app.cleanup_ctx.append(banner_counting)
    app.cleanup_ctx.append(throttle_accept_errors)
    app.on_startup.append(build_all_gates)
    app.on_startup.append(warn_about_drift)
    aiohttp_jinja2.setup(app, loader=TEMPLATES, autoescape=True, trim_blocks=True, lstrip_blocks=True)
    # The demo website needs the demo's policy: a --policies directory without it gets no demo,
    # rather than a demo page whose gate answers 404.
    add_routes(app, demo_site=settings.demo and DEMO_SITE in sites.ids())
    return app


def add_request_state(app: web.Application, settings: Settings) -> None:
    """What requests share: rate limits, slow-body accounting, health checks, counting, owners."""
    app[keys.RECEIPT_LIMITER] = RateLimiter(settings.receipt_rate_per_minute)
    # Looking receipts up gets a limit of its own, so that it never spends a visitor's posts.
    app[keys.LOOKUP_LIMITER] = RateLimiter(settings.receipt_rate_per_minute)
    app[keys.RECEIPT_BODIES] = BodyReader()
    app[keys.HEALTH_CHECKS] = [check_receipt_store]
    app[keys.SHOWN_BANNERS] = BannerCounter()
    app[keys.OWNER_TOKENS] = OwnerTokens(settings.admin_tokens_file)
    app[keys.OWNER_SESSIONS] = Sessions()
