"""Typed keys for the state one application holds (no module-level singletons)."""

from __future__ import annotations

from aiohttp import web

from .settings import Settings
from .sites import Sites

SETTINGS = web.AppKey("settings", Settings)
SITES = web.AppKey("sites", Sites)
