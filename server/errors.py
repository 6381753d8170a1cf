"""JSON errors with stable codes, and the middleware that makes every failure one."""

from __future__ import annotations

import json
import logging

from aiohttp import web

from .security_headers import add_security_headers

log = logging.getLogger("crumb")

# Codes for errors aiohttp raises itself (routing, body limits), by status.
_CODES_BY_STATUS = {
    400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 408: "request_timeout", 413: "payload_too_large", 415: "unsupported_media_type",
    429: "rate_limited", 500: "internal_error", 503: "unavailable",
}


def error_body(code: str, detail: str) -> str:
    """Return the JSON text of an error: `{"error": code, "detail": detail}`."""
    return json.dumps({"error": code, "detail": detail})


def json_error(status: type[web.HTTPException], code: str, detail: str,
               headers: dict[str, str] | None = None) -> web.HTTPException:
    """Return an HTTP exception (to raise) whose body is a JSON error."""
    return status(text=error_body(code, detail), content_type="application/json", headers=headers)


def unknown_site(site: str) -> web.HTTPException:
    """Return the 404 for a site id no policy declares."""
    return json_error(web.HTTPNotFound, "unknown_site", f"no policy with id {site!r} is loaded")


@web.middleware
async def json_errors(request: web.Request, handler) -> web.StreamResponse:
    """Turn every error into JSON with a stable code; never send a traceback to a client.

    Every answer, error or not, also leaves with the security headers here: one middleware
    instead of a middleware plus a response signal, since both ran on every request and were
    a measurable share of the time a gate.js answer costs (bench/BENCHMARKS.md).
    """
    try:
        response = await handler(request)
    except web.HTTPException as error:
        if error.status < 400 or error.content_type == "application/json":
            add_security_headers(request, error)
            raise
        code = _CODES_BY_STATUS.get(error.status, "http_" + str(error.status))
        detail = error.reason if error.status != 404 else f"no route for {request.method} {request.path}"
        if error.status == 405:
            allowed = ", ".join(sorted(getattr(error, "allowed_methods", ()) or ()))
            detail = f"{request.method} is not allowed here; use {allowed}"
        response = _json_response(error.status, code, detail, _kept_headers(error))
    except Exception:  # the last line of defence: log it, answer plainly
        log.exception("unexpected error on %s %s", request.method, request.path)
        response = _json_response(500, "internal_error", "the server failed to answer this request")
    add_security_headers(request, response)
    return response


def _json_response(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, text=error_body(code, detail), content_type="application/json",
                        headers=headers)


def _kept_headers(error: web.HTTPException) -> dict[str, str]:
    return {name: value for name, value in error.headers.items() if name in ("Allow", "Retry-After")}
