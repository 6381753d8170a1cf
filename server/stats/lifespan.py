"""Owner statistics inside the app: banners shown are written every few seconds and at shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import AsyncIterator

from aiohttp import web

from ..appkeys import RECEIPTS, SHOWN_BANNERS
from ..receipts import StoreUnavailable
from .banners import BannerCounter

log = logging.getLogger("crumb.stats")
FLUSH_SECONDS = 10.0


async def banner_counting(app: web.Application) -> AsyncIterator[None]:
    """`cleanup_ctx`: write the counts every `FLUSH_SECONDS`, and once more at shutdown."""
    counter = app[SHOWN_BANNERS]
    task = asyncio.create_task(_write_every(app, counter))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        with contextlib.suppress(StoreUnavailable):
            await counter.write(app[RECEIPTS])


async def _write_every(app: web.Application, counter: BannerCounter) -> None:
    while True:
        await asyncio.sleep(FLUSH_SECONDS)
        try:
            await counter.write(app[RECEIPTS])
        except StoreUnavailable as error:
            log.warning("banners shown not written yet, the receipt store is unavailable: %s", error)
