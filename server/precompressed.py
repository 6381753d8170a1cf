"""One answer type for everything Crumb serves from memory: the gate and its UI chunk, the widget
frame page, the bundle files, the cookie-policy page and its stylesheet, the policy JSON and the
OpenAPI document.

Each body is compressed once (brotli and gzip), its headers are built once per content-coding
(security headers included, so the middleware has nothing left to add), and an answer is a
lookup: the client's `Accept-Encoding` picks the coding, `If-None-Match` may make it a 304.
Every page view of every website asks for the gate, which is why nothing here is computed per
request (bench/BENCHMARKS.md: server figures).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Hashable, Mapping

import brotli
from aiohttp import web

from .content_coding import preferred_coding
from .http_cache import etag_matches, etag_of
from .security_headers import ALWAYS

# Coding name -> the file suffix of the bundle's precompressed twins.
FILE_SUFFIXES = {"br": ".br", "gzip": ".gz"}


@dataclass(frozen=True)
class Precompressed:
    """One body in every coding ("" identity, "br", "gzip"), each with its complete headers."""

    bodies: Mapping[str, bytes]
    headers: Mapping[str, Mapping[str, str]]

    @classmethod
    def of(cls, body: bytes, *, content_type: str, cache_control: str, headers: Mapping[str, str] | None = None,
           weak_etag: bool = False, compressed: Mapping[str, bytes] | None = None) -> "Precompressed":
        """Compress `body` (unless `compressed` brings the codings) and build every header set.

        A strong ETag is per coding (the bytes differ); a weak one is the same for every coding,
        for answers whose ETag must not depend on how they travel (the frame page's).
        """
        bodies = {"": body, **(compressed or {"br": brotli.compress(body, quality=11),
                                              "gzip": gzip.compress(body, compresslevel=9, mtime=0)})}
        weak = "W/" + etag_of(body) if weak_etag else None
        common = {**ALWAYS, "Content-Type": content_type, "Cache-Control": cache_control,
                  "Vary": "Accept-Encoding", **(headers or {})}
        answers = {}
        for coding, coded in bodies.items():
            answers[coding] = {**common, "ETag": weak or etag_of(coded)}
            if coding:
                answers[coding]["Content-Encoding"] = coding
        return cls(bodies, answers)

    @classmethod
    def of_file(cls, path: Path, **options) -> "Precompressed":
        """Read a bundle file with its `.br` and `.gz` twins (written at build time)."""
        compressed = {coding: path.with_name(path.name + suffix).read_bytes()
                      for coding, suffix in FILE_SUFFIXES.items()}
        return cls.of(path.read_bytes(), compressed=compressed, **options)

    def answer(self, request: web.Request) -> web.Response:
        """Answer `request`: the coding it accepts best, or 304 when it already holds this ETag."""
        coding = preferred_coding(request.headers.get("Accept-Encoding", ""))
        headers = self.headers[coding]
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match and etag_matches(if_none_match, headers["ETag"]):
            return web.Response(status=304, headers=headers)
        return web.Response(body=self.bodies[coding], headers=headers)


class AnswerCache:
    """Answers made on first request and kept by key (a document's ETag and a variant, say).

    Keys carry content hashes, so a policy reload brings new keys and never a stale answer; the
    bound only matters after many reloads, when everything is simply made again.
    """

    def __init__(self, limit: int = 1024):
        self.limit = limit
        self._answers: dict[Hashable, Precompressed] = {}

    def get(self, key: Hashable, make: Callable[[], Precompressed]) -> Precompressed:
        """Return the answer for `key`, calling `make()` the first time."""
        answer = self._answers.get(key)
        if answer is None:
            if len(self._answers) >= self.limit:
                self._answers.clear()
            answer = self._answers[key] = make()
        return answer
