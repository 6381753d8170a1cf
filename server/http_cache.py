"""ETags from content, and the If-None-Match comparison that turns an answer into a 304."""

from __future__ import annotations

import hashlib


def etag_of(body: bytes) -> str:
    """Return a quoted strong ETag for these exact bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """True when an `If-None-Match` header names `etag` (or is `*`).

    If-None-Match compares weakly (RFC 9110): a `W/` prefix on either side is ignored.
    """
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))
