"""`GET /healthz`: 200 when policies are loaded and the receipt store answers."""

from __future__ import annotations

from aiohttp import web

from ..appkeys import HEALTH_CHECKS


async def get_health(request: web.Request) -> web.Response:
    """Report whether every dependency answers (and what fails), naming no site: anyone may ask."""
    problems = [problem for check in request.app[HEALTH_CHECKS]
                if (problem := await check(request.app))]
    body = {"status": "ok" if not problems else "unavailable", "problems": problems}
    return web.json_response(body, status=200 if not problems else 503,
                             headers={"Cache-Control": "no-store"})
