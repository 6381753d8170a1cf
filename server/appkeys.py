"""Typed keys for the state one application holds (no module-level singletons)."""

from __future__ import annotations

from aiohttp import web

from .assets import Assets
from .gate_config import Gates
from .rate_limit import RateLimiter
from .receipts import ReceiptStore
from .settings import Settings
from .sites import Sites

SETTINGS = web.AppKey("settings", Settings)
SITES = web.AppKey("sites", Sites)
RECEIPTS = web.AppKey("receipts", ReceiptStore)
RECEIPT_LIMITER = web.AppKey("receipt_limiter", RateLimiter)
GATES = web.AppKey("gates", Gates)
ASSETS = web.AppKey("assets", Assets)
