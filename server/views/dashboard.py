"""`/admin/sites/{site}`: the owner's dashboard, server-rendered, behind the owner tokens.

Without a session the page is the login form and nothing else (401): no figure is rendered
before the token was checked. The session cookie is HttpOnly, SameSite=Strict, Secure when the
public URL is https, and lives in memory only (README, "Statistics").
"""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
from aiohttp import web

from ..appkeys import OWNER_SESSIONS, OWNER_TOKENS, RECEIPTS, SETTINGS, SITES
from ..errors import json_error
from ..receipts import StoreUnavailable
from ..stats import charts
from ..stats.counting import METHODS
from ..stats.report import BadRange, parse_range
from ..stylesheets import Stylesheet
from .stats_api import known_site, read_period, today

COOKIE = "crumb_owner"
STYLESHEET = Stylesheet(Path(__file__).resolve().parent.parent / "templates" / "admin.css", "/admin/admin.css")
NO_STORE = {"Cache-Control": "no-store"}


def _session(request: web.Request) -> str | None:
    session = request.cookies.get(COOKIE)
    return session if request.app[OWNER_SESSIONS].is_open(session) else None


def _login_page(request: web.Request, site: str, status: int, message: str = "") -> web.Response:
    context = {"site": site, "message": message, "stylesheet": STYLESHEET.href}
    return _page("admin_login.html", request, context, status)


def _page(template: str, request: web.Request, context: dict, status: int = 200) -> web.Response:
    response = aiohttp_jinja2.render_template(template, request, context, status=status)
    response.headers.update(NO_STORE)
    return response


async def get_dashboard(request: web.Request) -> web.Response:
    """Answer the dashboard with a session, else the login form (401)."""
    site = request.match_info["site"]
    if _session(request) is None:
        return _login_page(request, site, 401)
    known_site(request)
    query = request.query
    context = {"site": site, "name": request.app[SITES].policy(site).name, "stylesheet": STYLESHEET.href,
               "from": query.get("from", ""), "to": query.get("to", ""), "methods": METHODS}
    try:
        first, last = parse_range(query.get("from") or None, query.get("to") or None, today())
    except BadRange as error:
        return _page("admin_dashboard.html", request, {**context, "error": error.detail}, 400)
    try:
        period = await read_period(request.app, site, first, last)
        revisions = await request.app[RECEIPTS].served_policies(site)
    except StoreUnavailable as error:
        raise json_error(web.HTTPServiceUnavailable, "store_unavailable",
                         "the receipt store cannot be reached; retry later", headers={"Retry-After": "5"}) from error
    context.update({
        "from": first.isoformat(), "to": last.isoformat(), "period": period, "totals": period.totals(),
        "decisions": charts.decisions_chart(period), "acceptance": charts.acceptance_chart(period),
        "rates": charts.rate_rows(period), "languages": charts.language_chart(period),
        "categories": [name for name, kind in period.kinds.items() if kind == "category"],
        "revisions": revisions,
        "width": charts.WIDTH, "height": charts.HEIGHT, "left": charts.LEFT,
    })
    return _page("admin_dashboard.html", request, context)


async def post_login(request: web.Request) -> web.Response:
    """Check the posted token; open a session and go to the dashboard, or show the form again (401)."""
    _check_origin(request)
    form = await request.post()
    site = _posted_site(request, form)
    if not request.app[OWNER_TOKENS].accepts(str(form.get("token", "")).strip()):
        return _login_page(request, site, 401, "That is not an owner token of this server.")
    response = web.HTTPSeeOther(f"/admin/sites/{site}", headers=NO_STORE)
    response.set_cookie(COOKIE, request.app[OWNER_SESSIONS].open(), path="/admin", httponly=True,
                        samesite="Strict", secure=request.app[SETTINGS].public_origin.startswith("https://"))
    raise response


async def post_logout(request: web.Request) -> web.Response:
    """End the session and go back to the login form."""
    _check_origin(request)
    request.app[OWNER_SESSIONS].close(request.cookies.get(COOKIE))
    site = _posted_site(request, await request.post())
    response = web.HTTPSeeOther(f"/admin/sites/{site}", headers=NO_STORE)
    response.del_cookie(COOKIE, path="/admin")
    raise response


def _posted_site(request: web.Request, form) -> str:
    """Return the form's site, one the server has: the redirect goes nowhere else."""
    site = str(form.get("site", ""))
    if site not in request.app[SITES].ids():
        raise json_error(web.HTTPBadRequest, "unknown_site", f"site: no policy with id {site[:80]!r} is loaded")
    return site


def _check_origin(request: web.Request) -> None:
    # A form posted from another website carries its Origin: refused, so that no page can log an
    # owner in or out behind their back (the cookie's SameSite=Strict covers the session itself).
    origin = request.headers.get("Origin")
    if origin is not None and origin != request.app[SETTINGS].public_origin:
        raise json_error(web.HTTPForbidden, "forbidden_origin",
                         f"Origin {origin[:100]!r} is not this server's origin")
