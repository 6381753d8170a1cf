"""A stylesheet of Crumb's own pages (the cookie-policy page, the owner's dashboard), served
under a URL that carries its content version, so it may be cached for a day."""

from __future__ import annotations

import functools
from pathlib import Path

from aiohttp import web

from .http_cache import etag_of
from .precompressed import Precompressed

MAX_AGE = 86400


class Stylesheet:
    """One stylesheet file: its bytes (read once), its versioned URL and its answer."""

    def __init__(self, file: Path, path: str):
        self.file = file
        self.path = path  # the route it is served under

    @functools.cached_property
    def body(self) -> bytes:
        """The file's bytes."""
        return self.file.read_bytes()

    @functools.cached_property
    def href(self) -> str:
        """The URL with the content version, so a changed file is fetched anew."""
        version = etag_of(self.body).strip('"')[:12]
        return f"{self.path}?v={version}"

    @functools.cached_property
    def _answer(self) -> Precompressed:
        return Precompressed.of(self.body, content_type="text/css; charset=utf-8",
                                cache_control=f"public, max-age={MAX_AGE}")

    async def get(self, request: web.Request) -> web.StreamResponse:
        """Serve it (encoding, ETag and 304 as for every precompressed answer)."""
        return self._answer.answer(request)
