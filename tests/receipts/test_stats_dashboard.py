"""The owner's dashboard on a real server, both stores: login, sessions, exact figures, no figure without one."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from crumb.app import create_app
from crumb.appkeys import OWNER_SESSIONS
from tests.receipts.receipt_data import receipt_settings
from tests.receipts.stats_data import TOKEN, TOTALS, post_known_mix, token_file

PAGE = "/admin/sites/bakery"


@pytest.fixture
async def owner_client(aiohttp_client, db_url, tmp_path):
    """A client of the real app with an owner token file."""
    return await aiohttp_client(create_app(receipt_settings(db_url, admin_tokens_file=token_file(tmp_path))))


async def login(client, token: str = TOKEN):
    return await client.post("/admin/login", data={"site": "bakery", "token": token}, allow_redirects=False)


async def session_cookie(client) -> dict[str, str]:
    """Log in and return the Cookie header the browser would send to /admin."""
    response = await login(client)
    assert response.status == 303 and response.headers["Location"] == PAGE
    return {"Cookie": f"crumb_owner={response.cookies['crumb_owner'].value}"}


def assert_login_form_only(html: str) -> None:
    page = BeautifulSoup(html, "html.parser")
    assert page.find("input", attrs={"name": "token", "type": "password"}) is not None
    assert page.find("svg") is None and page.find("table") is None and page.find("dl") is None


async def test_without_a_session_the_page_is_the_login_form_and_no_figure(owner_client):
    await post_known_mix(owner_client)
    response = await owner_client.get(PAGE)
    assert response.status == 401
    assert response.headers["Cache-Control"] == "no-store"
    assert_login_form_only(await response.text())


async def test_a_wrong_token_shows_the_login_form_again_with_a_401(owner_client):
    response = await login(owner_client, "not-the-token")
    assert response.status == 401 and "crumb_owner" not in response.cookies
    assert_login_form_only(await response.text())


async def test_the_session_cookie_is_httponly_strict_and_scoped_to_admin(owner_client):
    cookie = (await login(owner_client)).cookies["crumb_owner"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/admin"
    assert not cookie["secure"]  # the public URL is http here


async def test_the_session_cookie_is_secure_when_the_public_url_is_https(aiohttp_client, db_url, tmp_path):
    app = create_app(receipt_settings(db_url, admin_tokens_file=token_file(tmp_path),
                                      public_url="https://consent.example"))
    client = await aiohttp_client(app)
    assert (await login(client)).cookies["crumb_owner"]["secure"]


async def test_the_dashboard_shows_exactly_the_posted_counts(owner_client):
    await post_known_mix(owner_client)
    response = await owner_client.get(PAGE, headers=await session_cookie(owner_client))
    assert response.status == 200
    page = BeautifulSoup(await response.text(), "html.parser")
    shown = {div.dt.text: div.dd.text.split(" ")[0] for div in page.select("dl.totals div")}
    assert shown == {"Banners shown": "12", "Decisions": "10",
                     **{method: str(n) for method, n in TOTALS["decisions"].items()},
                     **{f"accepted {name}": str(n) for name, n in TOTALS["accepted"].items()}}
    languages = {row.th.text: [td.text for td in row.find_all("td")]
                 for row in page.find_all("table")[2].tbody.find_all("tr")}
    assert languages == {"en": ["7", "4", "40%"], "lt": ["5", "6", "60%"]}
    assert len(page.select("svg.chart")) == 3 and len(page.select("svg.chart rect")) == 4 + 2


async def test_the_dashboard_lists_the_policy_revision_served(owner_client):
    await post_known_mix(owner_client)
    page = BeautifulSoup(await (await owner_client.get(PAGE, headers=await session_cookie(owner_client))).text(),
                         "html.parser")
    rows = page.find_all("table")[-1].tbody.find_all("tr")
    assert [(row.th.text, row.find_all("td")[-1].text) for row in rows] == [("4", "10")]


async def test_an_expired_session_gets_the_login_form(owner_client):
    cookie = await session_cookie(owner_client)
    sessions = owner_client.app[OWNER_SESSIONS]
    clock = sessions.clock
    sessions.clock = lambda: clock() + sessions.lifetime + 1
    response = await owner_client.get(PAGE, headers=cookie)
    assert response.status == 401
    assert_login_form_only(await response.text())


async def test_after_logout_the_session_no_longer_opens_the_dashboard(owner_client):
    cookie = await session_cookie(owner_client)
    response = await owner_client.post("/admin/logout", data={"site": "bakery"}, headers=cookie,
                                       allow_redirects=False)
    assert response.status == 303
    assert (await owner_client.get(PAGE, headers=cookie)).status == 401


async def test_a_login_posted_from_another_origin_is_refused(owner_client):
    response = await owner_client.post("/admin/login", data={"site": "bakery", "token": TOKEN},
                                       headers={"Origin": "https://evil.example"}, allow_redirects=False)
    assert response.status == 403 and "crumb_owner" not in response.cookies


async def test_bad_dates_on_the_dashboard_are_a_400_naming_the_field(owner_client):
    response = await owner_client.get(PAGE, params={"from": "2026-12-02", "to": "2026-12-01"},
                                      headers=await session_cookie(owner_client))
    assert response.status == 400
    assert BeautifulSoup(await response.text(), "html.parser").find(role="alert").text.startswith("from:")


async def test_the_dashboard_csp_allows_no_inline_script_or_style(owner_client):
    response = await owner_client.get(PAGE, headers=await session_cookie(owner_client))
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
