"""`GET /api/v1/sites/{site}/stats?from=&to=`: a site's counts for its owner (README, "Statistics").

The token is checked before anything else, so that without one not even the existence of a
site can be learnt here.
"""

from __future__ import annotations

import datetime as dt
import logging

from aiohttp import web

from ..appkeys import OWNER_TOKENS, RECEIPTS, SHOWN_BANNERS, SITES
from ..errors import json_error, unknown_site
from ..receipts import StoreUnavailable
from ..sites import UnknownSite
from ..stats.report import BadRange, Period, parse_range

log = logging.getLogger("crumb.stats")


async def read_period(app: web.Application, site: str, first: dt.date, last: dt.date) -> Period:
    """Return the site's counts from `first` to `last`, banners shown until now included.

    :raise StoreUnavailable: when the store cannot be read.
    """
    store = app[RECEIPTS]
    await app[SHOWN_BANNERS].write(store)
    day_rows, accepted_rows = await store.stats(site, first, last)
    return Period.of(site, first, last, day_rows, accepted_rows)


def known_site(request: web.Request) -> str:
    """Return the request's site id, or raise the JSON 404 when no policy declares it."""
    site = request.match_info["site"]
    try:
        request.app[SITES].policy(site)
    except UnknownSite as error:
        raise unknown_site(site) from error
    return site


def today() -> dt.date:
    """Return today's date in UTC, the day the counts are kept by."""
    return dt.datetime.now(dt.timezone.utc).date()


def _check_bearer(request: web.Request) -> None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not request.app[OWNER_TOKENS].accepts(token.strip()):
        raise json_error(web.HTTPUnauthorized, "unauthorized",
                         "send Authorization: Bearer TOKEN with an owner token of this server",
                         headers={"WWW-Authenticate": "Bearer", "Cache-Control": "no-store"})


async def get_stats(request: web.Request) -> web.Response:
    """Answer the site's counts per day and in total, as JSON."""
    _check_bearer(request)
    site = known_site(request)
    try:
        first, last = parse_range(request.query.get("from"), request.query.get("to"), today())
    except BadRange as error:
        raise json_error(web.HTTPBadRequest, error.code, error.detail) from error
    try:
        period = await read_period(request.app, site, first, last)
    except StoreUnavailable as error:
        log.warning("receipt store unavailable: %s", error)
        raise json_error(web.HTTPServiceUnavailable, "store_unavailable",
                         "the receipt store cannot be reached; retry later", headers={"Retry-After": "5"}) from error
    return web.json_response(period.as_json(), headers={"Cache-Control": "no-store"})
