"""The composition root: `create_app()` wires policies, stores, views and middleware."""

from __future__ import annotations

import aiohttp_jinja2
import jinja2
from aiohttp import web

from .appkeys import SETTINGS, SITES
from .errors import json_errors
from .security_headers import use_security_headers
from .settings import Settings
from .sites import Sites
from .views import health, pages, policy_api

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
    use_security_headers(app)
    aiohttp_jinja2.setup(app, loader=TEMPLATES, autoescape=True,
                         trim_blocks=True, lstrip_blocks=True)
    policy_api.setup_routes(app)
    health.setup_routes(app)
    pages.setup_routes(app)
    return app
