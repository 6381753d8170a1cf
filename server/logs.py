"""What the server writes to its log, and what it never writes there: a visitor's address.

README ("Running in production") promises that no client address is written anywhere. aiohttp
logs "Error handling request from ADDRESS" at ERROR for every malformed request; the app hands
aiohttp `HTTP_LOG` instead of its own logger (server/app.py), and that log drops the address.
When the process runs out of file descriptors, asyncio reports every failed `accept()` with a
traceback, hundreds a second; `throttle_accept_errors` makes that one line per interval, with
a count.
"""

from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator

from aiohttp import web

HTTP_LOG = logging.getLogger("crumb.http")
log = logging.getLogger("crumb")

# asyncio's own words for a failed accept() (EMFILE, ENFILE, ENOBUFS, ENOMEM), asyncio/selector_events.py.
ACCEPT_FAILED = "socket.accept() out of system resource"
ACCEPT_LOG_SECONDS = 10.0


class WithoutAddresses(logging.Filter):
    """Rewrites aiohttp's "Error handling request from ADDRESS" records without the address."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record; the one that names the client's address loses it (and its traceback)."""
        if isinstance(record.msg, str) and record.msg.startswith("Error handling request"):
            error = record.exc_info[1] if record.exc_info else None
            record.msg, record.args = "refused a malformed request (%s)", (type(error).__name__,)
            record.exc_info = record.exc_text = None
            # A client's mistake, not the server's: no ERROR for it.
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True


HTTP_LOG.addFilter(WithoutAddresses())


class AcceptErrorLog:
    """A loop exception handler that logs failed accept() calls once per interval, with a count;
    anything else goes on to the handler that was there before."""

    def __init__(self, loop: asyncio.AbstractEventLoop, interval: float = ACCEPT_LOG_SECONDS):
        self.loop = loop
        self.interval = interval
        self.previous = loop.get_exception_handler()
        self.failures = 0
        self._timer: asyncio.TimerHandle | None = None

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        """Count an accept() failure (logging the first of an interval); pass anything else on."""
        if context.get("message") != ACCEPT_FAILED:
            if self.previous is not None:
                self.previous(loop, context)
            else:
                loop.default_exception_handler(context)
            return
        self.failures += 1
        if self._timer is None:
            log.error("cannot accept connections: %s; raise the file limit (README, Running in production); "
                      "further failures are counted, one line per %g s", context.get("exception"), self.interval)
            self.failures = 0
            self._timer = self.loop.call_later(self.interval, self._report, context.get("exception"))

    def _report(self, error: BaseException | None) -> None:
        self._timer = None
        if self.failures:
            log.error("cannot accept connections: %s, %d more times in the last %g s",
                      error, self.failures, self.interval)
            self.failures = 0
            self._timer = self.loop.call_later(self.interval, self._report, error)

    def stop(self) -> None:
        """Put the previous handler back."""
        if self._timer is not None:
            self._timer.cancel()
        self.loop.set_exception_handler(self.previous)


async def throttle_accept_errors(app: web.Application) -> AsyncIterator[None]:
    """`cleanup_ctx`: failed accept() calls are logged through `AcceptErrorLog` while the app runs."""
    loop = asyncio.get_running_loop()
    handler = AcceptErrorLog(loop)
    loop.set_exception_handler(handler)
    yield
    handler.stop()
