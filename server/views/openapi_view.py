"""`GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the `/api/v1` routes."""

from __future__ import annotations

import functools
import json

from aiohttp import web

from ..http_cache import cached_response
from ..openapi import openapi_spec

SPEC_MAX_AGE = 300


@functools.cache
def spec_bytes() -> bytes:
    """Return the spec as the exact JSON bytes served (encoded once per process)."""
    return json.dumps(openapi_spec(), ensure_ascii=False, indent=1).encode("utf-8")


async def get_openapi(request: web.Request) -> web.Response:
    """Serve the OpenAPI description, readable from any origin (API explorers, code generators)."""
    return cached_response(request, spec_bytes(), content_type="application/json", max_age=SPEC_MAX_AGE,
                           headers={"Access-Control-Allow-Origin": "*"})


def setup_routes(app: web.Application) -> None:
    """Register the OpenAPI route."""
    app.router.add_get("/api/v1/openapi.json", get_openapi)
