"""`GET /healthz`: 200 when policies are loaded and the receipt store answers."""

from __future__ import annotations

from aiohttp import web

from ..appkeys import HEALTH_CHECKS, SITES


async def get_health(request: web.Request) -> web.Response:
    """Report the loaded sites and whether every dependency answers."""
    problems = [problem for check in request.app[HEALTH_CHECKS]
                if (problem := await check(request.app))]
    body = {"status": "ok" if not problems else "unavailable", "sites": request.app[SITES].ids(),
            "problems": problems}
    return web.json_response(body, status=200 if not problems else 503,
                             headers={"Cache-Control": "no-store"})
