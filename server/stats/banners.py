"""Banners shown, counted in memory and added to the store every few seconds (README, "Statistics").

A banner is counted when the gate opens the frame for a visitor who must still decide (the frame
URL then carries `ask=1`). The count is a number per site, day (UTC) and language: nothing of the
request (address, cookie, user agent) is read or kept. Counting in memory keeps a database write
off every page view; what is pending is written at shutdown and before every statistics read.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter


class BannerCounter:
    """Banners shown since the last write, by (site, day, language)."""

    def __init__(self) -> None:
        self._pending: Counter = Counter()
        self._lock = asyncio.Lock()

    def count(self, site: str, language: str) -> None:
        """Count one banner shown now."""
        today = dt.datetime.now(dt.timezone.utc).date().isoformat()
        self._pending[(site, today, language)] += 1

    async def write(self, store) -> None:
        """Add what is pending to `store`; kept for the next write when the store is unavailable.

        :raise StoreUnavailable: when the store cannot take it.
        """
        async with self._lock:  # two writers at once would add the same counts twice
            pending, self._pending = self._pending, Counter()
            if not pending:
                return
            try:
                await store.count_shown(dict(pending))
            except BaseException:
                self._pending.update(pending)
                raise
