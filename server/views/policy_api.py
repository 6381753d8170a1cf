"""`GET /api/v1/sites/{site}/policy`: the localized policy document as JSON."""

from __future__ import annotations

from aiohttp import web

from ..appkeys import SITES
from ..errors import unknown_site
from ..http_cache import cached_response
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
    return cached_response(
        request, document.json_bytes, content_type="application/json", max_age=POLICY_MAX_AGE,
        etag=document.etag,
        headers={"Access-Control-Allow-Origin": "*", "Content-Language": document.data["language"]},
    )


def setup_routes(app: web.Application) -> None:
    """Register the policy API."""
    app.router.add_get("/api/v1/sites/{site}/policy", get_policy)
