"""Every piece of state one application holds, under a typed key (no module-level singletons).

`create_app()` (server/app.py) puts each of them in place before the app serves; views only read.
"""

from __future__ import annotations

from typing import Awaitable, Callable

from aiohttp import web

from .assets import Assets
from .gate_config import Gates
from .precompressed import AnswerCache
from .rate_limit import RateLimiter
from .receipts import ReceiptStore
from .request_bodies import BodyReader
from .settings import Settings
from .sites import Sites
from .stats.banners import BannerCounter
from .stats.sessions import Sessions
from .stats.tokens import OwnerTokens

HealthCheck = Callable[[web.Application], Awaitable[str | None]]

SETTINGS = web.AppKey("settings", Settings)
SITES = web.AppKey("sites", Sites)
ASSETS = web.AppKey("assets", Assets)
RECEIPTS = web.AppKey("receipts", ReceiptStore)
RECEIPT_LIMITER = web.AppKey("receipt_limiter", RateLimiter)
LOOKUP_LIMITER = web.AppKey("lookup_limiter", RateLimiter)  # GET .../consents/{consent_id}
RECEIPT_BODIES = web.AppKey("receipt_bodies", BodyReader)
# Checks /healthz runs: each returns None when healthy, else a short description of the problem.
HEALTH_CHECKS = web.AppKey("health_checks", list[HealthCheck])
# Built answers: the gates per site, and pages made on first request (keys carry content hashes).
GATES = web.AppKey("gates", Gates)
FRAME_PAGES = web.AppKey("frame_pages", AnswerCache)
POLICY_PAGES = web.AppKey("policy_pages", AnswerCache)
BUNDLE_FILES = web.AppKey("bundle_files", AnswerCache)
DEMO_FILES = web.AppKey("demo_files", AnswerCache)
# Canonical policy JSON by (site, content hash), kept with the first receipt of each version.
CANONICAL_POLICIES = web.AppKey("canonical_policies", dict[tuple[str, str], str])
# Owner statistics (README, "Statistics"): banners shown not yet written, and dashboard sessions.
SHOWN_BANNERS = web.AppKey("shown_banners", BannerCounter)
OWNER_SESSIONS = web.AppKey("owner_sessions", Sessions)
OWNER_TOKENS = web.AppKey("owner_tokens", OwnerTokens)
