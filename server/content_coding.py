"""Content negotiation for precompressed answers: which of brotli and gzip a client accepts.

Browsers send a handful of distinct `Accept-Encoding` values, and every page view of every
website asks for the gate, so each header value is parsed once and remembered.
"""

from __future__ import annotations

import functools

PREFERRED = ("br", "gzip")  # brotli is smaller; gzip is what every client has


@functools.lru_cache(maxsize=512)
def accepted_codings(header: str) -> frozenset[str]:
    """Return the codings of an `Accept-Encoding` header not refused with q=0 (`*` included)."""
    qualities: dict[str, float] = {}
    for part in header.lower().split(","):
        coding, _, params = part.strip().partition(";")
        params = params.strip()
        try:
            qualities[coding.strip()] = float(params[2:]) if params.startswith("q=") else 1.0
        except ValueError:
            continue
    wildcard = qualities.get("*", 0) > 0
    named = {coding for coding, quality in qualities.items() if coding and coding != "*" and quality > 0}
    if wildcard:
        named |= {coding for coding in PREFERRED if coding not in qualities}
    return frozenset(named)


@functools.lru_cache(maxsize=512)
def preferred_coding(header: str) -> str:
    """Return "br", "gzip" or "" (no coding) for an `Accept-Encoding` header."""
    accepted = accepted_codings(header)
    return next((coding for coding in PREFERRED if coding in accepted), "")
