"""The widget frame page on its own, in Chromium: first layer before Brython, early clicks,
keyboard use, equal-weight buttons, languages, right-to-left, narrow screens, receipts, axe."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.parse

import pytest
from aiohttp import web
from axe_playwright_python.async_playwright import Axe

from tests.browser.conftest import SITE, start_site

READY = "body[data-crumb-ready]"


class HeldRuntime:
    """Holds back brython.js until released, so the test sees the page before Python runs."""

    def __init__(self):
        self.released = asyncio.Event()
        self.requested = asyncio.Event()

    async def handle(self, route):
        self.requested.set()
        await self.released.wait()
        await route.continue_()


class FramedWidget:
    """The widget frame inside a website page (no gate: the frame alone, filling the viewport).

    The widget only runs framed (README, "Running in production"), so every test opens it so.
    What a frame can do (evaluate, locators, waits) goes to the frame; the rest (keyboard, routes,
    requests, screenshots) to the page around it.
    """

    def __init__(self, page, frame):
        self.page = page
        self.frame = frame
        self.errors = []

    def __getattr__(self, name):
        return getattr(self.frame if hasattr(self.frame, name) else self.page, name)


async def framing_page(request: web.Request) -> web.Response:
    """A website page whose only content is the frame at `?frame=`, over the whole viewport."""
    frame = request.query["frame"].replace('"', "%22")
    return web.Response(content_type="text/html", text=(
        '<!doctype html><html lang="en"><title>Website</title><style>html,body{margin:0;height:100%}'
        f'iframe{{display:block;width:100vw;height:100vh;border:0}}</style><iframe src="{frame}"></iframe>'))


@pytest.fixture(autouse=True)
async def website(crumb, ports):
    """The website that frames the widget, on the host origin the policy allows."""
    host = web.Application()
    host.router.add_get("/", framing_page)
    runner = await start_site(host, "127.0.0.1", ports["host"])
    yield
    await runner.cleanup()


async def open_frame(browser, crumb, query: str = "mode=banner", held: HeldRuntime | None = None,
                     wait_ready: bool = True, **context_options):
    """Open the frame page framed by the website (`crumb.host_origin`), as the gate opens it."""
    context = await browser.new_context(**context_options)
    context.set_default_timeout(10_000)
    page = await context.new_page()
    if held is not None:
        await page.route("**/static/dist/brython.*", held.handle)
    url = f"{crumb.origin}/sites/{SITE}/widget?{query}&origin={urllib.parse.quote(crumb.host_origin, safe='')}"
    await page.goto(f"{crumb.host_origin}/?frame={urllib.parse.quote(url, safe='')}", wait_until="commit")
    frame = page.frame_locator("iframe")
    await frame.locator("#crumb-root").wait_for(state="attached")
    widget = FramedWidget(page, next(f for f in page.frames if f.url.startswith(crumb.origin)))
    page.on("pageerror", lambda error: widget.errors.append(error))
    if wait_ready and held is None:
        await widget.wait_for_selector(READY, state="attached")
    return widget


async def active(page) -> str:
    """Describe the focused element: its action, switch, or tag."""
    return await page.evaluate("""() => { const e = document.activeElement;
        return e.getAttribute('data-crumb-action') || e.getAttribute('data-crumb-category')
            || e.getAttribute('data-crumb-language') !== null && 'language' || e.tagName.toLowerCase(); }""")


async def tab_to(page, wanted: str, *, shift: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the focused element is `wanted` (see `active`)."""
    for _ in range(limit):
        await page.keyboard.press("Shift+Tab" if shift else "Tab")
        if await active(page) == wanted:
            return
    raise AssertionError(f"{wanted} never got focus")


async def receipt_of(page, action):
    """Do `action` and return the JSON body of the receipt POST it causes."""
    async with page.expect_request(lambda r: r.url.endswith("/consents") and r.method == "POST") as info:
        await action()
    return json.loads((await info.value).post_data)


async def test_banner_is_shown_by_the_server_before_brython_runs(browser, crumb):
    held = HeldRuntime()
    page = await open_frame(browser, crumb, held=held)
    await held.requested.wait()
    for name in ("Accept all", "Reject all", "Preferences"):
        await page.get_by_role("button", name=name).wait_for(state="visible")
    assert await page.locator(READY).count() == 0
    held.released.set()
    await page.wait_for_selector(READY, state="attached")
    assert page.errors == []


async def test_a_click_before_brython_is_ready_is_kept_and_handled(browser, crumb):
    held = HeldRuntime()
    page = await open_frame(browser, crumb, held=held)
    await held.requested.wait()

    async def click_then_release():
        await page.get_by_role("button", name="Reject all").click()
        held.released.set()

    body = await receipt_of(page, click_then_release)
    assert body["method"] == "reject_all" and body["categories"] == ["necessary"]
    await page.get_by_role("status").wait_for()
    assert page.errors == []


async def test_keyboard_only_accept_all(browser, crumb):
    page = await open_frame(browser, crumb)
    await tab_to(page, "accept_all")
    body = await receipt_of(page, lambda: page.keyboard.press("Enter"))
    assert body["method"] == "accept_all"


async def test_keyboard_only_reject_all(browser, crumb):
    page = await open_frame(browser, crumb)
    await tab_to(page, "reject_all")
    body = await receipt_of(page, lambda: page.keyboard.press("Space"))
    assert body["method"] == "reject_all"


async def test_keyboard_only_custom_choice(browser, crumb):
    page = await open_frame(browser, crumb)
    await tab_to(page, "preferences")
    await page.keyboard.press("Enter")
    await page.get_by_role("dialog", name="Cookie preferences").wait_for()
    await tab_to(page, "analytics")
    await page.keyboard.press("Space")
    await tab_to(page, "custom")
    body = await receipt_of(page, lambda: page.keyboard.press("Enter"))
    assert body == {**body, "method": "custom", "categories": ["necessary", "analytics"], "services": ["statly"]}


async def test_focus_stays_inside_the_preferences_dialog(browser, crumb):
    page = await open_frame(browser, crumb, "mode=preferences")
    dialog = page.get_by_role("dialog", name="Cookie preferences")
    await dialog.wait_for()
    last = dialog.locator("footer a")
    await last.focus()
    await page.keyboard.press("Tab")
    assert await active(page) == "language"  # the first control of the dialog
    await page.keyboard.press("Shift+Tab")
    assert await page.evaluate("document.activeElement.textContent") == "Cookie policy"


async def test_escape_closes_the_preferences_back_to_the_banner(browser, crumb):
    page = await open_frame(browser, crumb)
    await tab_to(page, "preferences")
    await page.keyboard.press("Enter")
    await page.get_by_role("dialog").wait_for()
    await page.keyboard.press("Escape")
    await page.get_by_role("region", name="Cookie consent").wait_for()
    assert await page.get_by_role("dialog").count() == 0
    assert await active(page) == "preferences"


async def test_the_three_first_layer_buttons_have_equal_weight(browser, crumb):
    page = await open_frame(browser, crumb, viewport={"width": 1280, "height": 720})
    looks = await page.evaluate("""() => [...document.querySelectorAll('.crumb-banner button')].map(b => {
        const s = getComputedStyle(b), r = b.getBoundingClientRect();
        return [Math.round(r.width), Math.round(r.height), s.fontSize, s.fontWeight, s.color,
                s.backgroundColor, s.borderTopWidth, s.borderTopColor, s.borderRadius, s.padding]; })""")
    assert len(looks) == 3
    assert looks[0] == looks[1] == looks[2]


async def test_no_switch_is_on_before_the_visitor_acts(browser, crumb):
    page = await open_frame(browser, crumb, "mode=preferences")
    switches = page.get_by_role("switch")
    assert await switches.count() == 6
    assert [await s.is_checked() for s in await switches.all()] == [False] * 6


async def test_required_categories_show_always_on_and_no_switch(browser, crumb):
    page = await open_frame(browser, crumb, "mode=preferences")
    necessary = page.locator("section.crumb-category", has=page.get_by_role("heading", name="Strictly necessary"))
    assert await necessary.get_by_text("Always on").is_visible()
    assert await necessary.get_by_role("switch").count() == 0


async def test_the_cookie_table_lists_every_row_of_a_category(browser, crumb):
    page = await open_frame(browser, crumb, "mode=preferences")
    analytics = page.locator("section.crumb-category", has=page.get_by_role("heading", name="Analytics"))
    await analytics.get_by_text("Show cookies").click()
    table = analytics.get_by_role("table")
    assert await table.locator("tbody tr").count() == 3
    assert await table.locator("tbody tr").first.inner_text() == (
        "_st_id\tThis website\tDistinguishes visits without identifying you.\t13 months\t"
        "Statly Analytics (Statly OÜ, Tallinn, Estonia)")


async def test_the_language_switch_re_renders_the_panel_in_that_language(browser, crumb):
    page = await open_frame(browser, crumb, "mode=preferences")
    await page.get_by_role("switch", name="Allow Marketing").check()
    await page.get_by_label("Language").select_option("lt")
    await page.get_by_role("dialog", name="Slapukų nuostatos").wait_for()
    assert await page.evaluate("document.documentElement.lang") == "lt"
    assert await page.get_by_role("heading", name="Rinkodara").is_visible()
    assert await page.locator("[data-crumb-category=marketing]").is_checked()  # the choice survives


async def test_the_banner_offers_the_language_as_a_labelled_select_and_switches_to_it(browser, crumb):
    page = await open_frame(browser, crumb)
    select = page.locator(".crumb-banner").get_by_label("Language")
    assert await select.evaluate("e => [e.tagName, e.value, e.options.length]") == ["SELECT", "en", 3]
    await tab_to(page, "language")  # the keyboard reaches it
    await select.select_option("lt")
    banner = page.get_by_role("region", name="Sutikimas dėl slapukų")
    await banner.get_by_role("button", name="Priimti visus").wait_for()
    assert await page.evaluate("document.documentElement.lang") == "lt"
    assert await active(page) == "language"  # the focus stays where the visitor was
    assert await page.locator(".crumb-banner").get_by_label("Kalba").input_value() == "lt"


async def test_arabic_renders_right_to_left(browser, crumb):
    crumb.write_policy(languages=["en", "lt", "pt", "ar"])
    await crumb.restart()
    page = await open_frame(browser, crumb, "mode=banner&lang=ar")
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    assert await page.evaluate("getComputedStyle(document.querySelector('.crumb-banner')).direction") == "rtl"
    assert await page.get_by_role("button", name="قبول الكل").is_visible()


async def test_english_fallback_texts_keep_their_own_direction_under_arabic(browser, crumb):
    crumb.write_policy(languages=["en", "lt", "pt", "ar"])  # the policy has no Arabic texts of its own
    await crumb.restart()
    page = await open_frame(browser, crumb, "mode=preferences&lang=ar")
    directions = await page.evaluate("""() => [
        getComputedStyle(document.querySelector('.crumb-dialog')).direction,
        getComputedStyle(document.querySelector('.crumb-category p')).direction]""")
    assert directions == ["rtl", "ltr"]


@pytest.mark.parametrize("mode", ["banner", "preferences"])
async def test_a_320_pixel_wide_screen_needs_no_horizontal_scrolling(browser, crumb, mode):
    page = await open_frame(browser, crumb, f"mode={mode}", viewport={"width": 320, "height": 640})
    await page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    widths = await page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] == 320


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_the_banner_has_no_accessibility_violations(browser, crumb, scheme):
    page = await open_frame(browser, crumb, color_scheme=scheme)
    results = await Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_the_open_preferences_panel_has_no_accessibility_violations(browser, crumb, scheme):
    page = await open_frame(browser, crumb, "mode=preferences", color_scheme=scheme)
    await page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    results = await Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


async def test_a_failed_receipt_is_sent_again(browser, crumb):
    page = await open_frame(browser, crumb)
    answers = []
    second = asyncio.Event()

    async def fail_first(route):
        if not answers:
            answers.append(503)
            await route.fulfill(status=503, content_type="application/json",
                                body='{"error": "unavailable", "detail": "test"}')
            return
        response = await route.fetch()
        answers.append(response.status)
        await route.fulfill(response=response)
        second.set()

    await page.route("**/api/v1/sites/*/consents", fail_first)
    await page.get_by_role("button", name="Accept all").click()
    await asyncio.wait_for(second.wait(), 15)
    assert answers == [503, 201]


async def test_the_frame_page_runs_only_its_own_boot_script_inline_and_blocks_any_other(browser, crumb):
    context = await browser.new_context()
    page = await context.new_page()
    await page.add_init_script("window.violations = [];"
                               "document.addEventListener('securitypolicyviolation', e => violations.push(e.violatedDirective));")
    response = await page.goto(f"{crumb.origin}/sites/{SITE}/widget?mode=banner")
    csp = response.headers["content-security-policy"]
    assert re.search(r"script-src 'self' 'unsafe-eval' 'sha256-[A-Za-z0-9+/]{43}=';", csp)
    assert "'unsafe-inline'" not in csp and f"frame-ancestors 'self' {crumb.host_origin}" in csp
    # The boot script ran (the theme is applied), and opened on its own it went no further.
    assert await page.evaluate("document.documentElement.style.getPropertyValue('--crumb-accent')") != ""
    await page.evaluate("""() => { const s = document.createElement('script');
                                   s.text = 'window.injected = true'; document.body.append(s); }""")
    assert await page.evaluate("window.injected") is None
    assert await page.evaluate("violations") == ["script-src-elem"]


async def test_policy_text_with_markup_is_shown_as_text_by_the_python_widget(browser, crumb):
    hostile = '<img src=x onerror="window.pwned=1">Analytics'

    def retitle(policy):
        policy["categories"][2]["title"] = {"en": hostile}
        policy["services"][0]["name"] = hostile

    crumb.write_policy(retitle)
    await crumb.restart()
    page = await open_frame(browser, crumb, "mode=preferences")
    await page.locator("[data-crumb-category=analytics]").wait_for()
    assert await page.locator("#crumb-root img").count() == 0
    assert await page.get_by_role("heading", name=hostile).count() == 1
    assert await page.evaluate("window.pwned") is None
