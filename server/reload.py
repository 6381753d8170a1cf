"""Policy reload without downtime: on SIGHUP the policies are read again; an invalid new file
is refused with its problems and the old policies keep serving."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from .appkeys import RECEIPTS, SETTINGS, SITES
from .policy import PolicyError
from .receipts.drift import log_drift
from .sites import Sites

log = logging.getLogger("crumb.reload")


async def reload_policies(app: web.Application) -> list[str]:
    """Re-read the policies directory; return its problems (empty when the reload happened)."""
    directory = app[SETTINGS].policies_dir
    try:
        # Parsing and rendering every language is CPU work: keep it off the event loop.
        newer = await asyncio.get_running_loop().run_in_executor(None, Sites.from_directory, directory)
    except PolicyError as error:
        log.error("reload refused, the current policies keep serving:\n%s", "\n".join(error.problems))
        return error.problems
    app[SITES].swap(newer)
    log.info("policies reloaded: %s", ", ".join(newer.ids()))
    if RECEIPTS in app:
        await log_drift(app[RECEIPTS], newer.policies())
    return []


def reload_on_sighup(app: web.Application) -> None:
    """Make SIGHUP reload the policies (call once per process, for the served app)."""

    async def install(app: web.Application) -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGHUP, lambda: asyncio.ensure_future(reload_policies(app)))

    app.on_startup.append(install)
