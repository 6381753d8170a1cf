"""`GET /api/v1/sites/{site}/policy`: the localized policy document as JSON."""

from __future__ import annotations

import functools

from aiohttp import web

from ..appkeys import SITES
from ..errors import unknown_site
from ..http_cache import etag_matches
from ..security_headers import ALWAYS as SECURITY_HEADERS
from ..sites import RenderedDocument, UnknownSite

POLICY_MAX_AGE = 300


def find_document(request: web.Request) -> RenderedDocument:
    """Return the document for the request's site and `lang`, or raise the JSON 404."""
    site = request.match_info["site"]
    try:
        return request.app[SITES].document(site, request.query.get("lang"))
    except UnknownSite as error:
        raise unknown_site(site) from error


async def get_policy(request: web.Request) -> web.Response:
    """Serve the policy in the requested language (the default one for an unsupported `lang`)."""
    document = find_document(request)
    headers = policy_headers(document.etag, document.data["language"])
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and etag_matches(if_none_match, document.etag):
        return web.Response(status=304, headers=headers)
    return web.Response(body=document.json_bytes, headers=headers)


@functools.lru_cache(maxsize=1024)
def policy_headers(etag: str, language: str) -> dict[str, str]:
    """Return every header of one document's answer, built once: websites' own code may ask for
    the policy on every page view. A reload brings new ETags; old entries age out."""
    return {"ETag": etag, "Cache-Control": f"public, max-age={POLICY_MAX_AGE}",
            "Content-Type": "application/json; charset=utf-8", "Access-Control-Allow-Origin": "*",
            "Content-Language": language, **SECURITY_HEADERS}


def setup_routes(app: web.Application) -> None:
    """Register the policy API."""
    app.router.add_get("/api/v1/sites/{site}/policy", get_policy)
