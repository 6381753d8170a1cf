"""The receipt store's life inside the app: opened at start-up, closed at shutdown, health-checked."""

from __future__ import annotations

from typing import AsyncIterator

from aiohttp import web

from ..appkeys import RECEIPTS, SETTINGS, SITES
from .drift import log_drift
from .store import store_for


async def receipt_store(app: web.Application) -> AsyncIterator[None]:
    """`cleanup_ctx`: open the store named by `Settings.db_url` (migrating it), close it at the end.

    :raise StoreUnavailable: when the database cannot be reached at start-up.
    """
    store = store_for(app[SETTINGS].db_url)
    await store.open()
    app[RECEIPTS] = store
    try:
        yield
    finally:
        await store.close()


async def warn_about_drift(app: web.Application) -> None:
    """`on_startup` (the store is open by then): log every policy served anew under an old revision."""
    await log_drift(app[RECEIPTS], app[SITES].policies())


async def check_receipt_store(app: web.Application) -> str | None:
    """Health check: None when the store answers a query, else what is wrong."""
    store = app.get(RECEIPTS)
    if store is None:
        return "receipt store: not open"
    return await store.ping()
