"""What travels to Crumb, and where the widget acts (issue 14, items 6 to 8).

The website here is `http://shop.test` (a non-secure origin: no `crypto.randomUUID`) and Crumb
sits inside its `cookie_domain`, on `http://consent.shop.test`: the consent cookie, written for
the whole domain, would travel to Crumb with every request that carries credentials. The README
("Embedding on your website") loads the gate scripts with `crossorigin="anonymous"`; the frame is
credentialless and its language fetch omits credentials.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.browser.conftest import FRAME_SELECTOR, Origins


@pytest.fixture
def origins(ports) -> Origins:
    """Crumb on a subdomain of the website's (both resolve to loopback: conftest CHROMIUM_ARGS)."""
    return Origins(crumb=f"http://consent.shop.test:{ports['crumb']}", host=f"http://shop.test:{ports['host']}",
                   third=f"http://127.0.0.2:{ports['third']}")


@pytest.fixture
async def shop(crumb, host_site):
    """The demo policy with its cookies written for the whole shop.test domain."""
    crumb.write_policy(cookie_domain="shop.test")
    await crumb.restart()
    return host_site.page("<main><h1>Invoices</h1></main>")


def receipts(crumb) -> int:
    with sqlite3.connect(crumb.db_url.removeprefix("sqlite:///")) as db:
        return db.execute("SELECT count(*) FROM receipts").fetchone()[0]


async def first_receipt(visitor, crumb) -> None:
    """Wait up to 5 s for a receipt to be stored (it is posted as the frame closes)."""
    for _ in range(50):
        if receipts(crumb):
            return
        await visitor.page.wait_for_timeout(100)


async def test_a_decision_works_on_a_plain_http_site(visitor, shop, crumb):
    await visitor.goto(shop)
    assert await visitor.page.evaluate("window.isSecureContext") is False
    await visitor.decide("Accept all")
    assert (await visitor.consent())["how"] == "accept_all"
    await first_receipt(visitor, crumb)
    assert receipts(crumb) == 1


async def test_the_consent_cookie_never_travels_to_crumb_inside_the_cookie_domain(visitor, shop, crumb):
    cookies_sent: list[tuple[str, str]] = []

    async def record(request):
        if request.url.startswith(crumb.origin + "/"):
            cookies_sent.append((request.url, (await request.all_headers()).get("cookie", "")))

    visitor.page.on("requestfinished", record)
    await visitor.goto(shop)
    await visitor.decide("Accept all")
    assert "crumb_consent" in await visitor.page.evaluate("document.cookie")
    cookies_sent.clear()
    await visitor.goto(shop)  # the returning visit: gate.js; then the panel: gate-ui.js, the frame
    await visitor.page.evaluate("crumb.showPreferences(); 0")
    frame = visitor.frame()
    await frame.get_by_label("Language").select_option("lt")  # the language-switch fetch
    await frame.get_by_role("button", name="Priimti visus").wait_for()
    urls = [url for url, _ in cookies_sent]
    for part in ("/gate.js", "/gate-ui.js", "/widget?", "lang=lt"):
        assert any(part in url for url in urls), (part, urls)
    assert [(url, cookie) for url, cookie in cookies_sent if cookie] == []


async def test_the_widget_opened_as_a_popup_does_nothing(visitor, shop, crumb):
    await visitor.goto(shop)
    await visitor.wait_for_banner()
    widget = visitor.page.locator(FRAME_SELECTOR)
    url = await widget.get_attribute("src")
    async with visitor.page.expect_popup() as opened:
        await visitor.page.evaluate("url => { window.open(url); }", url)
    popup = await opened.value
    await popup.wait_for_load_state("load")
    accept = popup.get_by_role("button", name="Accept all")
    if await accept.count():
        await accept.click()
    await popup.wait_for_timeout(1500)  # time for a receipt to be posted, if one were
    assert receipts(crumb) == 0
    assert await visitor.consent() is None


async def test_a_decision_on_a_page_with_a_very_long_path_still_leaves_a_receipt(visitor, crumb, host_site):
    # Receipts hold at most 512 characters of page (server/receipts/submission.py); the gate cuts.
    path = "/" + "invoice-" * 80
    await visitor.goto(host_site.page("<p>Long</p>", path=path))
    await visitor.page.evaluate("crumb.acceptAll()")
    await first_receipt(visitor, crumb)
    with sqlite3.connect(crumb.db_url.removeprefix("sqlite:///")) as db:
        (page,) = db.execute("SELECT page FROM receipts").fetchone()
    assert page == (host_site.origin + path)[:512]
