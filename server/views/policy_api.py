"""`GET /api/v1/sites/{site}/policy`: the localized policy document as JSON."""

from __future__ import annotations

from aiohttp import web

from ..appkeys import SITES
from ..errors import unknown_site
from ..sites import RenderedDocument, UnknownSite


def find_document(request: web.Request) -> RenderedDocument:
    """Return the document for the request's site and `lang`, or raise the JSON 404."""
    site = request.match_info["site"]
    try:
        return request.app[SITES].document(site, request.query.get("lang"))
    except UnknownSite as error:
        raise unknown_site(site) from error


async def get_policy(request: web.Request) -> web.Response:
    """Serve the policy in the requested language (the default one for an unsupported `lang`)."""
    return find_document(request).response.answer(request)
