"""`GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the `/api/v1` routes."""

from __future__ import annotations

import functools
import json

from aiohttp import web

from ..openapi import openapi_spec
from ..precompressed import Precompressed

SPEC_MAX_AGE = 300


@functools.cache
def spec_answer() -> Precompressed:
    """Return the spec's answer (encoded and compressed once per process), readable from any
    origin (API explorers, code generators)."""
    body = json.dumps(openapi_spec(), ensure_ascii=False, indent=1).encode("utf-8")
    return Precompressed.of(body, content_type="application/json; charset=utf-8",
                            cache_control=f"public, max-age={SPEC_MAX_AGE}",
                            headers={"Access-Control-Allow-Origin": "*"})


async def get_openapi(request: web.Request) -> web.Response:
    """Serve the OpenAPI description."""
    return spec_answer().answer(request)
