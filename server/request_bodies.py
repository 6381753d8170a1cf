"""Reading a request body: a size cap, a total deadline, and a cap on bodies awaited at once.

A body that trickles in holds a connection, and so a file descriptor, while it is read: one byte
every 10 s was never timed out, and 1,100 such posts made `accept()` fail for every website
(README, "Running in production"). So a body must arrive whole within a deadline, and only so
many unfinished bodies are awaited at once; past that the answer is 503 at once, without
waiting. A body that came in with its headers, as a browser sends a small one and a buffering
proxy sends every one, is already complete: it is read at once and takes no place.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from .errors import error_body, json_error

RECEIPT_MAX_BYTES = 4096
# A 4 KB receipt needs 3.3 kbit/s to arrive in 10 s: far below any network a browser works on.
BODY_DEADLINE_SECONDS = 10.0
# An eighth of the usual default file limit (1024): slow bodies alone never hold more than that
# for longer than the aiohttp lingering time (server/app.py) after their 503.
MAX_BODIES_AWAITED = 128


class BodyReader:
    """Reads bodies of at most `max_bytes`, each within `deadline` seconds, `max_awaited` at once."""

    def __init__(self, max_bytes: int = RECEIPT_MAX_BYTES, deadline: float = BODY_DEADLINE_SECONDS,
                 max_awaited: int = MAX_BODIES_AWAITED):
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.max_awaited = max_awaited
        self.awaited = 0

    async def read(self, request: web.Request, headers: dict[str, str]) -> bytes:
        """Return the whole body; every refusal carries `headers` (the CORS ones).

        :raise HTTPRequestEntityTooLarge: `payload_too_large` past `max_bytes`.
        :raise HTTPServiceUnavailable: `busy`, with Retry-After, when `max_awaited` bodies are
            still arriving and this one is not complete yet.
        :raise HTTPRequestTimeout: `request_timeout` when the body is not whole within `deadline`.
        """
        if request.content_length is not None and request.content_length > self.max_bytes:
            raise self._too_large(request.content_length, headers)
        if request.content.is_eof():  # it came with the headers: nothing to wait for
            return await self._read_all(request, headers)
        if self.awaited >= self.max_awaited:
            raise json_error(web.HTTPServiceUnavailable, "busy",
                             f"{self.max_awaited} request bodies are arriving at once; retry later",
                             headers={**headers, "Retry-After": str(round(self.deadline))})
        self.awaited += 1
        try:
            async with asyncio.timeout(self.deadline):
                return await self._read_all(request, headers)
        except TimeoutError:
            raise json_error(web.HTTPRequestTimeout, "request_timeout",
                             f"the body did not arrive whole within {self.deadline:g} s",
                             headers={**headers, "Connection": "close"}) from None
        finally:
            self.awaited -= 1

    async def _read_all(self, request: web.Request, headers: dict[str, str]) -> bytes:
        body = bytearray()
        async for chunk in request.content.iter_any():
            body += chunk
            if len(body) > self.max_bytes:  # chunked bodies announce no length
                raise self._too_large(len(body), headers)
        return bytes(body)

    def _too_large(self, size: int, headers: dict[str, str]) -> web.HTTPException:
        return web.HTTPRequestEntityTooLarge(
            max_size=self.max_bytes, actual_size=size, content_type="application/json", headers=headers,
            text=error_body("payload_too_large", f"a receipt is at most {self.max_bytes} bytes"))
