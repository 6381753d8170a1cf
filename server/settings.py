"""Run-time settings of one Crumb server process, from the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_POLICIES = Path(__file__).resolve().parent / "policies"
DEFAULT_DB = "sqlite:///crumb-receipts.sqlite3"


@dataclass(frozen=True)
class Settings:
    """Where policies, receipts and bundles live, and whether the demo site is served."""

    policies_dir: Path = DEMO_POLICIES
    db_url: str = DEFAULT_DB
    static_dir: Path = PROJECT_ROOT / "static"
    demo: bool = True
    # Per-client limit on POST consents, per minute; a visitor decides a few times at most.
    receipt_rate_per_minute: int = 60
    # Reverse proxies whose X-Forwarded-For names the client, for the rate limit only
    # (hashed in memory, never stored). Without them every visitor would share the proxy's limit.
    trusted_proxies: tuple[str, ...] = ()
