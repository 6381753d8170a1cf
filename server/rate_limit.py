"""A per-client sliding-window rate limit, in memory, that never keeps a client address.

Clients are told apart by a keyed hash of their address; the key is random per process
and never leaves memory, so the hashes cannot be turned back into addresses, and nothing
about a client is ever written anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
import time
from collections import deque
from typing import Callable

WINDOW_SECONDS = 60.0
SWEEP_EVERY = 1024  # requests between sweeps of idle clients, which bounds memory
# One IPv6 client holds a whole /64 at least (a home line or a phone gets a /64 or more to pick
# addresses from, RFC 4291 and RFC 6177), so a client is its /64, never a single address.
IPV6_CLIENT_PREFIX = 64


class RateLimiter:
    """At most `limit` requests per client in any `window` seconds."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self._clock = clock
        self._key = secrets.token_bytes(32)
        self._hits: dict[bytes, deque[float]] = {}
        self._since_sweep = 0

    def check(self, client_address: str) -> float | None:
        """Count one request; return None when allowed, else the seconds until one is allowed.

        A limit of 0 or less allows everything (the limit is kept by a proxy in front).
        """
        if self.limit <= 0:
            return None
        now = self._clock()
        self._sweep(now)
        hits = self._hits.setdefault(self._client(client_address), deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        return None

    def _client(self, address: str) -> bytes:
        return hmac.digest(self._key, client_bucket(address).encode("utf-8"), hashlib.sha256)[:16]

    def _sweep(self, now: float) -> None:
        self._since_sweep += 1
        if self._since_sweep < SWEEP_EVERY:
            return
        self._since_sweep = 0
        idle = [key for key, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]
        for key in idle:
            del self._hits[key]


def client_bucket(address: str) -> str:
    """Return what tells a client apart: an IPv4 address, an IPv6 address's /64, or the text as it came."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:198.51.100.7 is an IPv4 client
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed.packed, IPV6_CLIENT_PREFIX), strict=False))
    return str(parsed)


def retry_after(seconds: float) -> str:
    """Return a `Retry-After` value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
