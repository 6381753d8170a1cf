"""`POST /api/v1/sites/{site}/consents` and `GET .../consents/{consent_id}`: consent receipts.

The checks run cheapest first, and nothing reaches the store until all of them pass:
site, Origin, rate limit, media type, size and arrival (`crumb.request_bodies`), then the body
field by field.
"""

from __future__ import annotations

import logging

from aiohttp import web

from ..appkeys import (
    CANONICAL_POLICIES,
    LOOKUP_LIMITER,
    RECEIPT_BODIES,
    RECEIPT_LIMITER,
    RECEIPTS,
    SETTINGS,
    SITES,
)
from ..errors import json_error, unknown_site
from ..policy import Policy, canonical_json
from ..rate_limit import RateLimiter, retry_after
from ..receipts import StoreUnavailable
from ..receipts.submission import InvalidSubmission, is_consent_id, parse_submission
from ..sites import UnknownSite

log = logging.getLogger("crumb.receipts")

STORE_RETRY_AFTER = "5"
PREFLIGHT_MAX_AGE = "600"


async def post_consent(request: web.Request) -> web.Response:
    """Validate a receipt, add the policy hash and store it; 201 once it is on disk."""
    policy = _policy(request)
    cors = _cors_headers(request, policy)
    _check_rate(request, RECEIPT_LIMITER, "too many receipts from this client; retry later", cors)
    if request.content_type != "application/json":
        raise json_error(web.HTTPUnsupportedMediaType, "unsupported_media_type",
                         f"send Content-Type: application/json (got {request.content_type or 'none'})", headers=cors)
    body = await request.app[RECEIPT_BODIES].read(request, cors)
    try:
        submission = parse_submission(body, policy, (*policy.origins, _own_origin(request)))
    except InvalidSubmission as error:
        raise json_error(web.HTTPBadRequest, error.code, error.detail, headers=cors) from error
    store = request.app[RECEIPTS]
    try:
        # The policy text goes in before the receipt that points at it.
        await store.keep_policy_version(policy.id, policy.revision, policy.content_hash,
                                        _canonical_json(request.app, policy))
        receipt = await store.add(submission.to_receipt(policy.id, policy.content_hash),
                                  [category.id for category in policy.categories if category.required])
    except StoreUnavailable as error:
        log.warning("receipt store unavailable: %s", error)
        raise _store_unavailable(cors) from error
    body = {"receipt_id": receipt.receipt_id, "received_at": receipt.as_json()["received_at"]}
    return web.json_response(body, status=201, headers={**cors, "Cache-Control": "no-store"})


async def get_consent(request: web.Request) -> web.Response:
    """Return every receipt of one consent id on this site, oldest first."""
    policy = _policy(request)
    cors = _cors_headers(request, policy)
    _check_rate(request, LOOKUP_LIMITER, "too many receipt lookups from this client; retry later", cors)
    consent_id = request.match_info["consent_id"]
    if not is_consent_id(consent_id):
        raise json_error(web.HTTPBadRequest, "invalid_consent_id",
                         f"consent_id: expected a UUID4 in lowercase canonical form (got {consent_id[:80]!r})",
                         headers=cors)
    try:
        receipts = await request.app[RECEIPTS].by_consent(policy.id, consent_id)
    except StoreUnavailable as error:
        log.warning("receipt store unavailable: %s", error)
        raise _store_unavailable(cors) from error
    headers = {**cors, "Cache-Control": "no-store"}
    if not receipts:
        raise json_error(web.HTTPNotFound, "unknown_consent",
                         f"no receipt with consent_id {consent_id} on site {policy.id!r}", headers=headers)
    return web.json_response({"consent_id": consent_id, "receipts": [r.as_json() for r in receipts]},
                             headers=headers)


async def preflight_consent(request: web.Request) -> web.Response:
    """Answer the CORS preflight of a receipt POST from one of the site's origins."""
    policy = _policy(request)
    headers = _cors_headers(request, policy)
    headers.update({"Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Content-Type",
                    "Access-Control-Max-Age": PREFLIGHT_MAX_AGE})
    return web.Response(status=204, headers=headers)


def _policy(request: web.Request) -> Policy:
    site = request.match_info["site"]
    try:
        return request.app[SITES].policy(site)
    except UnknownSite as error:
        raise unknown_site(site) from error


def _canonical_json(app: web.Application, policy: Policy) -> str:
    # Computing it takes about a millisecond: too long to repeat on the event loop per receipt.
    cache = app[CANONICAL_POLICIES]
    key = (policy.id, policy.content_hash)
    if key not in cache:
        cache[key] = canonical_json(policy)
    return cache[key]


def _check_rate(request: web.Request, limiter: web.AppKey[RateLimiter], detail: str, cors: dict[str, str]) -> None:
    wait = request.app[limiter].check(_client_address(request))
    if wait is not None:
        raise json_error(web.HTTPTooManyRequests, "rate_limited", detail,
                         headers={**cors, "Retry-After": retry_after(wait)})


def _client_address(request: web.Request) -> str:
    """Return the address that tells this client apart, for the rate limit only."""
    peer = request.remote or ""
    if peer not in request.app[SETTINGS].trusted_proxies:
        return peer
    # A proxy may append its entry to the client's own header or add a header line of its own:
    # the lines are one list (RFC 9110, 5.3), and its last entry is the one the trusted proxy
    # wrote; everything before it the client can forge.
    entries = ",".join(request.headers.getall("X-Forwarded-For", ())).split(",")
    return entries[-1].strip() or peer


def _own_origin(request: web.Request) -> str:
    # The configured public origin (`--public-url`), never the request's Host, which any client
    # can set: a forged Host with a matching Origin would otherwise pass as Crumb itself.
    return request.app[SETTINGS].public_origin


def _cors_headers(request: web.Request, policy: Policy) -> dict[str, str]:
    """Return the CORS headers for the request's Origin.

    :raise HTTPForbidden: `forbidden_origin` when an Origin is sent that is neither the
        Crumb origin nor one of the site's origins.
    """
    origin = request.headers.get("Origin")
    if origin is None or origin == _own_origin(request):
        return {"Vary": "Origin"}
    if origin not in policy.origins:
        raise json_error(web.HTTPForbidden, "forbidden_origin",
                         f"Origin {origin[:100]!r} is not one of the origins of site {policy.id!r}",
                         headers={"Vary": "Origin"})
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


def _store_unavailable(cors: dict[str, str]) -> web.HTTPException:
    return json_error(web.HTTPServiceUnavailable, "store_unavailable",
                      "the receipt store cannot be reached; retry later",
                      headers={**cors, "Retry-After": STORE_RETRY_AFTER})
