"""Conditional GET: strong ETags from content and 304 answers for revalidation."""

from __future__ import annotations

import hashlib

from aiohttp import web


def etag_of(body: bytes) -> str:
    """Return a quoted strong ETag for these exact bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def cached_response(request: web.Request, body: bytes, *, content_type: str, max_age: int,
                    etag: str | None = None, headers: dict[str, str] | None = None) -> web.Response:
    """Answer with `body`, or 304 when the client already holds this ETag."""
    etag = etag or etag_of(body)
    all_headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    all_headers.update(headers or {})
    tags = _if_none_match(request)
    if etag in tags or "*" in tags:
        return web.Response(status=304, headers=all_headers)
    response = web.Response(body=body, headers=all_headers)
    response.content_type = content_type
    response.charset = "utf-8"
    return response


def _if_none_match(request: web.Request) -> set[str]:
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return {"*"}
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
